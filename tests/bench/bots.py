"""The three bots the benchmark compares, each trained and started the same way every run.

- `Product`: this project as `tests/stack.py` starts it (action server, Rasa with the SQLite
  tracker store, web app); patients talk to the web app, as the widget does.
- `FairBaseline`: Rasa with this project's config.yml (pipeline and policies), NLU data, intents
  and SQLite tracker store, a real action server, and a one-step form whose validation action
  does nothing (returns no events, so the form asks its one question again after every message):
  per message NLU, the form, an action server call with the whole tracker, a templated reply.
- `BareRasa`: `rasa init` as it comes (DIET + TED, in-memory tracker, no action server).

The baselines are reached on Rasa's REST channel; the product's extra hop through the web app is
part of what the product adds.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from tests.stack import ROOT, VENV_BIN, Stack, free_port

RASA_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return [pid]
    return [pid] + [p for kid in out.split() for p in process_tree(int(kid))]


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) in MB of a process with its children."""
    now = peak = 0
    for each in process_tree(pid):
        try:
            status = Path(f"/proc/{each}/status").read_text().splitlines()
        except OSError:
            continue
        for line in status:
            if line.startswith("VmRSS:"):
                now += int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak += int(line.split()[1])
    return now / 1024, peak / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by a process and its children."""
    total = 0
    for each in process_tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def wait_ready(proc: subprocess.Popen, url: str, log: Path, timeout: float = 300) -> None:
    """Wait until url answers 200; raise with the log's tail if the process dies or hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{log.name}: exited\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} not ready\n{log.read_text(errors='replace')[-3000:]}")


def rasa_train(cwd: Path, out: Path, name: str, cache: Path, *extra: str) -> float:
    """`rasa train` with an empty cache of its own (a full training); returns seconds."""
    env = {**os.environ, **RASA_ENV, "PYTHONPATH": str(ROOT), "RASA_CACHE_DIRECTORY": str(cache)}
    began = time.monotonic()
    done = subprocess.run([str(VENV_BIN / "rasa"), "train", "--fixed-model-name", name,
                           "--out", str(out), *extra], cwd=cwd, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"rasa train failed in {cwd}:\n{(done.stdout + done.stderr)[-3000:]}")
    return time.monotonic() - began


class Bot:
    """A bot under test: processes to start and watch, and how a patient talks to it."""

    label = ""
    checks_answers = False  # only the product stores a summary to check

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix=f"bench-{self.__class__.__name__.lower()}-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.ready: dict[str, float] = {}
        self.training: float | None = None
        self.base_url = ""

    def pids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.procs.items()}

    async def open(self, http: httpx.AsyncClient) -> str:
        """A new conversation id."""
        return os.urandom(12).hex()

    async def say(self, http: httpx.AsyncClient, conversation: str, text: str) -> tuple[bool, list[str]]:
        """Send one message; (answered, reply texts)."""
        response = await http.post("/webhooks/rest/webhook",
                                   json={"sender": conversation, "message": text})
        if response.status_code != 200:
            return False, []
        return True, [m.get("text", "") for m in response.json()]

    def _spawn(self, name: str, command: list[str], cwd: Path, env: dict, url: str) -> None:
        log = self.dir / f"{name}.log"
        began = time.monotonic()
        with open(log, "ab") as out:
            self.procs[name] = subprocess.Popen(command, cwd=cwd, env=env, stdout=out,
                                                stderr=subprocess.STDOUT)
        wait_ready(self.procs[name], url, log)
        self.ready[name] = time.monotonic() - began

    def stop(self) -> None:
        """Stop every process (SIGTERM, then SIGKILL) and remove the temp folder."""
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.procs.clear()
        shutil.rmtree(self.dir, ignore_errors=True)


class Product(Bot):
    """This project, started by tests/stack.py; patients go through the web app."""

    label = "product"
    checks_answers = True

    def __init__(self, train: bool) -> None:
        super().__init__()
        self.model = ROOT / "models" / "intake.tar.gz"
        if train:
            self.training = rasa_train(ROOT, self.dir / "models", "intake", self.dir / "cache")
            self.model = self.dir / "models" / "intake.tar.gz"
        self.stack: Stack | None = None
        self._staff: httpx.Client | None = None

    def start(self) -> None:
        self.stack = Stack(workdir=self.dir / "stack", model=self.model)
        self.stack.dir.mkdir(parents=True, exist_ok=True)
        for name in ("actions", "rasa", "web"):
            self.ready[name] = self.stack.start(name, timeout=300)
        self.procs = self.stack.procs
        self.base_url = self.stack.web_url

    async def open(self, http: httpx.AsyncClient) -> str:
        response = await http.post("/api/conversations")
        response.raise_for_status()
        return response.json()["conversation_id"]

    async def say(self, http: httpx.AsyncClient, conversation: str, text: str) -> tuple[bool, list[str]]:
        answered, texts = await super().say(http, conversation, text)
        return answered and bool(texts), texts  # the product always answers

    def summary(self, conversation: str) -> dict | None:
        """The stored summary, read through the staff API."""
        if self._staff is None:
            self._staff = httpx.Client(base_url=self.base_url, timeout=60, headers={
                "Authorization": f"Bearer {self.stack.staff_token()}"})
        response = self._staff.get(f"/api/intakes/{conversation}")
        return response.json() if response.status_code == 200 else None

    def stop(self) -> None:
        if self._staff is not None:
            self._staff.close()
        if self.stack is not None:
            self.stack.stop_all()
        self.procs = {}
        super().stop()


BASELINE_ACTION = '''"""The fair baseline's form validation: does nothing, so the form asks again."""
from rasa_sdk import Action


class ValidateBaselineForm(Action):
    def name(self):
        return "validate_baseline_form"

    async def run(self, dispatcher, tracker, domain):
        return []
'''


class FairBaseline(Bot):
    """Rasa with this project's config, NLU data and tracker store, and a do-nothing form."""

    label = "fair baseline"

    def __init__(self) -> None:
        super().__init__()
        self._write_project()
        self.training = rasa_train(self.dir, self.dir / "models", "baseline", self.dir / "cache")

    def _write_project(self) -> None:
        config = (ROOT / "config.yml").read_text().replace(
            "model: build/spacy_intake", f"model: {ROOT / 'build' / 'spacy_intake'}")
        (self.dir / "config.yml").write_text(config)
        shutil.copytree(ROOT / "data" / "nlu", self.dir / "data" / "nlu")
        product = yaml.safe_load((ROOT / "domain.yml").read_text())
        domain = {
            "version": "3.1", "intents": product["intents"],
            "entities": product.get("entities", []),
            "session_config": product.get("session_config", {}),
            "slots": {"answer": {"type": "text", "influence_conversation": False, "mappings": [
                {"type": "from_text", "conditions": [
                    {"active_loop": "baseline_form", "requested_slot": "answer"}]}]}},
            "forms": {"baseline_form": {"required_slots": ["answer"]}},
            "actions": ["validate_baseline_form"],
            "responses": {"utter_ask_answer": [{"text": "Thanks. What else should we know?"}]},
        }
        (self.dir / "domain.yml").write_text(yaml.safe_dump(domain, sort_keys=False))
        rules = [{"rule": f"{intent} outside the form runs the form", "steps": [
            {"intent": intent}, {"action": "baseline_form"}, {"active_loop": "baseline_form"}]}
            for intent in product["intents"]]
        (self.dir / "data" / "rules.yml").write_text(
            yaml.safe_dump({"version": "3.1", "rules": rules}, sort_keys=False))
        (self.dir / "baseline_actions").mkdir()
        (self.dir / "baseline_actions" / "__init__.py").write_text(BASELINE_ACTION)
        self.ports = {"actions": free_port(), "rasa": free_port()}
        (self.dir / "endpoints.yml").write_text(yaml.safe_dump({
            "action_endpoint": {"url": f"http://127.0.0.1:{self.ports['actions']}/webhook"},
            "tracker_store": {"type": "SQL", "dialect": "sqlite",
                              "db": str(self.dir / "tracker.db")}}))
        (self.dir / "credentials.yml").write_text("rest:\n")

    def start(self) -> None:
        env = {**os.environ, **RASA_ENV, "PYTHONPATH": str(self.dir), "SANIC_HOST": "127.0.0.1"}
        self._spawn("actions", [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions",
                                "baseline_actions", "--port", str(self.ports["actions"])],
                    self.dir, env, f"http://127.0.0.1:{self.ports['actions']}/health")
        self.base_url = f"http://127.0.0.1:{self.ports['rasa']}"
        self._spawn("rasa", [str(VENV_BIN / "rasa"), "run", "-i", "127.0.0.1", "-p",
                             str(self.ports["rasa"]), "-m", str(self.dir / "models" / "baseline.tar.gz"),
                             "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
                    self.dir, env, self.base_url + "/")


class BareRasa(Bot):
    """`rasa init` as it comes: trained by `rasa init`, in-memory tracker, no action server."""

    label = "bare rasa init"

    def __init__(self) -> None:
        super().__init__()
        env = {**os.environ, **RASA_ENV}
        began = time.monotonic()
        done = subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir",
                               str(self.dir)], cwd=self.dir, env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"rasa init failed:\n{(done.stdout + done.stderr)[-3000:]}")
        self.training = time.monotonic() - began

    def start(self) -> None:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        self._spawn("rasa", [str(VENV_BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port)],
                    self.dir, {**os.environ, **RASA_ENV}, self.base_url + "/")
