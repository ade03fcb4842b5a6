# Targets a newcomer can guess. `make run` and `make test` set everything up first.
.PHONY: setup run test test-scale train lint bench token rasa-token lock nlu-eval simulate

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# Two of everything on PostgreSQL + Redis, 50 patients, one Rasa server killed (a few minutes).
test-scale:
	bash scripts/test_scale.sh

train:
	bash scripts/setup.sh

token:
	@PYTHONPATH=. .venv/bin/python -m bot.cli create-token --label "$${LABEL:-staff}"

# A JWT for Rasa's HTTP API, valid 5 minutes (the secret is read from var/, never put on argv).
rasa-token:
	@RASA_JWT_SECRET="$$(cat var/rasa_jwt_secret)" PYTHONPATH=. .venv/bin/python -m bot.cli rasa-api-token

nlu-eval:
	bash scripts/nlu_eval.sh

# The product beside a fair baseline and bare `rasa init` (docs/performance.md); ~45 min on 2 cores.
bench:
	bash scripts/setup.sh
	PYTHONPATH=. .venv/bin/python -m tests.bench.bench

simulate:
	bash scripts/setup.sh
	PYTHONPATH=. .venv/bin/python -m tests.sim.simulator

# Fails on any lint error (rules in pyproject.toml); `make test` runs it first.
lint:
	.venv/bin/python -m ruff check .

# Recompile the pinned lock after editing requirements.in or overrides.txt.
lock:
	UV_PYTHON_DOWNLOADS=never .venv/bin/python -m uv pip compile requirements.in --override overrides.txt \
	  --python .venv/bin/python --python-platform x86_64-manylinux_2_28 -o requirements.lock
