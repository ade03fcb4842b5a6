"""Process glue that runs inside Rasa and the action server, never in the web app or the domain.

- `channel.WebAppInput`: Rasa's REST protocol for the web app only (signed bodies).
- `action_server`: rasa_sdk's action server that refuses calls without Rasa's token.
- `rasa_server`: `rasa run` with its HTTP API behind a JWT whose secret comes from the environment.

The secrets and their checks are plain functions in `bot.internal_auth`.
"""
