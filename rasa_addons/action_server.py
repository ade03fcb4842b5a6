"""The action server: rasa_sdk's app, refusing every call without Rasa's token.

    ACTION_SERVER_TOKEN=... python -m rasa_addons.action_server --actions actions --port 5055

The same options as `python -m rasa_sdk` (--ssl-certificate/--ssl-keyfile for TLS). Rasa sends
`Authorization: Bearer <token>` (the `headers` of the action endpoint in endpoints.yml); anything
else gets 401 before the tracker is read. Only /health is open. It listens on SANIC_HOST
(127.0.0.1 unless set). On an error it answers without echoing the request, which holds the
patient's whole conversation.
"""
from __future__ import annotations

import logging
import os
from typing import Optional, Sequence

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_argument_parser, create_ssl_context
from rasa_sdk.endpoint import create_app as create_sdk_app
from sanic import Sanic, response
from sanic.request import Request

from bot.internal_auth import ACTION_TOKEN_ENV, accepted_secrets, bearer_ok

logger = logging.getLogger(__name__)
OPEN_PATHS = {"/health"}


def create_app(tokens: Sequence[str], actions: str = "actions") -> Sanic:
    """rasa_sdk's action server app (no CORS: browsers never call it), taking calls that carry
    one of `tokens` (the current token, and the previous one during a rotation)."""
    app = create_sdk_app(actions, cors_origins=None)

    @app.middleware("request")
    async def sent_by_rasa(request: Request) -> Optional[response.HTTPResponse]:
        given = request.headers.get("authorization")
        if request.path in OPEN_PATHS or any(bearer_ok(given, token) for token in tokens):
            return None
        logger.warning("refused a call to %s without the action server token", request.path)
        return response.json({"error": "unauthorized"}, status=401)

    @app.listener("before_server_start")
    async def load_drug_list(app: Sanic, loop) -> None:
        """Read the public drug list once at start, not on a patient's first medicines answer."""
        from bot import drug_table
        drug_table.warm()
        logger.info("public drug list loaded")

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception) -> response.HTTPResponse:
        logger.error("action server error on %s", request.path, exc_info=exception)
        return response.json({"error": "the action failed; see the action server log"}, status=500)

    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Parse rasa_sdk's options, read the token from the environment, serve."""
    args = create_argument_parser().parse_args(argv)
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file,
                                 args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()
    app = create_app(accepted_secrets(ACTION_TOKEN_ENV, os.environ), args.actions)
    ssl = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logger.info("Action server on %s://%s:%s", "https" if ssl else "http", host, args.port)
    app.run(host, args.port, ssl=ssl, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
