# Targets a newcomer can guess. `make run` and `make test` set everything up first.
.PHONY: setup run test train lint bench token lock nlu-eval simulate

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

train:
	bash scripts/setup.sh

token:
	@PYTHONPATH=. .venv/bin/python -m bot.cli create-token --label "$${LABEL:-staff}"

nlu-eval:
	bash scripts/nlu_eval.sh

bench:
	bash scripts/setup.sh
	PYTHONPATH=. .venv/bin/python -m tests.bench.bench --patients 1 20 100 --baseline

simulate:
	bash scripts/setup.sh
	PYTHONPATH=. .venv/bin/python -m tests.sim.simulator

lint:
	.venv/bin/python -m ruff check bot actions tests || true

# Recompile the pinned lock after editing requirements.in or overrides.txt.
lock:
	UV_PYTHON_DOWNLOADS=never .venv/bin/python -m uv pip compile requirements.in --override overrides.txt \
	  --python .venv/bin/python --python-platform x86_64-manylinux_2_28 -o requirements.lock
