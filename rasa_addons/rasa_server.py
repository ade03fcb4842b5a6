"""`rasa run` with its HTTP API behind a JWT, the secret read from the environment.

    RASA_JWT_SECRET=... python -m rasa_addons.rasa_server -i 127.0.0.1 -p 5005 -m models/x.tar.gz \
        --endpoints endpoints.yml --credentials credentials.yml

Takes `rasa run`'s options. The secret goes to Rasa's parser inside this process, so it never
appears on a command line (which any local user can read) or in a log. The API then accepts only
`Authorization: Bearer <JWT signed with RASA_JWT_SECRET>` (see bot.internal_auth.rasa_api_jwt);
a query-string `?token=` is refused, so `--auth-token` is refused here too, and so is
`--connector` (only the channels in credentials.yml: the web app's signed one).
"""
from __future__ import annotations

import os
import sys
from typing import Sequence

from bot.internal_auth import JWT_METHOD, JWT_SECRET_ENV, require_secret

# Options that would open another way in: a query-string token, another JWT setting, or a
# channel other than those in credentials.yml (`--connector rest` answers anyone).
REFUSED = ("--auth-token", "--jwt-secret", "--jwt-method", "--jwt-private-key", "--connector")


def refused_option(arg: str) -> bool:
    """True for one of REFUSED, however argparse would read it: abbreviated ("--auth"), with
    "=value", or as the short "-t" (alone, "-tVALUE", or after -v flags: "-vt")."""
    if arg.startswith("--"):
        name = arg.split("=", 1)[0]
        return len(name) > 2 and any(option.startswith(name) for option in REFUSED)
    return arg.startswith("-") and arg.lstrip("-v").startswith("t")


def rasa_argv(args: Sequence[str], secret: str) -> list[str]:
    """The argv for Rasa's own main(): `rasa run <args> --enable-api` with JWT auth."""
    refused = [a for a in args if refused_option(a)]
    if refused:
        raise SystemExit(f"rasa_server: {refused[0].split('=', 1)[0]} is not allowed: the API "
                         f"takes only a JWT signed with {JWT_SECRET_ENV}, and the channels are "
                         "those in credentials.yml")
    return ["rasa", "run", *args, "--enable-api", "--jwt-secret", secret,
            "--jwt-method", JWT_METHOD]


def main(argv: Sequence[str] | None = None) -> None:
    """Run Rasa with the JWT secret from the environment."""
    secret = require_secret(JWT_SECRET_ENV, os.environ.get(JWT_SECRET_ENV))
    sys.argv = rasa_argv(sys.argv[1:] if argv is None else argv, secret)
    from rasa.__main__ import main as rasa_main  # after sys.argv: Rasa parses it

    rasa_main()


if __name__ == "__main__":
    main()
