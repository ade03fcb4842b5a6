"""The check-in timer: APScheduler with its SQLAlchemy job store in the intake database, so
scheduled check-ins survive a restart. One job per check-in ("checkin-<id>", a date trigger);
when it fires, it calls CareService.deliver, which decides what to send. A job id names the
check-in and its time ("checkin-7@1764079200"): a job that moves itself to office hours adds a
new job while APScheduler is still finishing (and removing) the one that ran.

Every web process opens the scheduler so it can add and remove jobs, but only one may run them:
INTAKE_SCHEDULER=0 opens it paused (jobs are written to the shared store, never run here). The
running one re-reads the store at least every WAKE_MINUTES, so jobs added by another process
are picked up. A job missed while no process ran (a restart) runs when the scheduler starts
again; deliver() moves it to the next office hours if that is at night.

Tests and the CLI use StepScheduler: the same job store, but due jobs run only when asked.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Mapping

from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from pytz import utc
from sqlalchemy import text

from bot.db import WRITE_LOCK, is_postgres

logger = logging.getLogger(__name__)

JOB_PREFIX = "checkin-"
JOBS_TABLE = "apscheduler_jobs"
WAKE_MINUTES = 5
ENV_VAR = "INTAKE_SCHEDULER"
_service: Any = None  # the CareService this process's jobs deliver through (set by start())


def run_checkin_job(checkin_id: int) -> None:
    """The job APScheduler stores by reference: deliver one check-in through this process's
    service."""
    if _service is None:
        logger.error("Check-in %s is due but this process has no care service.", checkin_id)
        return
    outcome = _service.deliver(checkin_id)
    logger.info("Check-in %s: %s", checkin_id, outcome)


def _wake() -> None:
    """Nothing: this job only makes the scheduler look at the shared job store again."""


def scheduler_runs_jobs(env: Mapping[str, str]) -> bool:
    """False when INTAKE_SCHEDULER=0 (or "off", "false"): this process must not run jobs."""
    return env.get(ENV_VAR, "1").strip().lower() not in ("0", "off", "false", "no")


class StepScheduler(BaseScheduler):
    """An APScheduler scheduler with no thread: due jobs run, in the caller's thread, when
    run_due() is called (tests with a fake clock; `python -m bot.cli send-due-checkins`)."""

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def wakeup(self) -> None:
        """Nothing to wake: jobs run in run_due()."""

    def _create_default_executor(self) -> DebugExecutor:
        return DebugExecutor()

    def run_due(self) -> None:
        """Run every job due now (by the clock APScheduler reads)."""
        self._process_jobs()


class CareScheduler:
    """Check-in jobs on an APScheduler scheduler whose jobs live in the intake database."""

    def __init__(self, url: str, runs_jobs: bool = True, step: bool = False) -> None:
        self.url = url
        self.runs_jobs = runs_jobs
        self.jobs = SQLAlchemyJobStore(url=url, tablename=JOBS_TABLE)
        stores = {"default": self.jobs, "local": MemoryJobStore()}
        defaults = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}
        if step:
            self.scheduler: BaseScheduler = StepScheduler(jobstores=stores, job_defaults=defaults,
                                                          timezone=utc)
        else:
            self.scheduler = BackgroundScheduler(
                jobstores=stores, executors={"default": ThreadPoolExecutor(1)},
                job_defaults=defaults, timezone=utc, daemon=True)

    def start(self, service: Any) -> None:
        """Deliver through service; run jobs unless this process opted out (paused)."""
        global _service
        _service = service
        self._create_jobs_table()
        self.scheduler.start(paused=not self.runs_jobs)
        if self.runs_jobs and not isinstance(self.scheduler, StepScheduler):
            self.scheduler.add_job(_wake, "interval", minutes=WAKE_MINUTES, id="care-wake",
                                   jobstore="local", replace_existing=True)
        logger.info("Check-in scheduler %s.", "running" if self.runs_jobs else
                    f"open but not running jobs here ({ENV_VAR}=0)")

    def _create_jobs_table(self) -> None:
        """Create the jobs table, on PostgreSQL holding the stores' write lock: two replicas
        starting at once on an empty database would otherwise both run CREATE TABLE, and one
        fails (PostgreSQL's catalogue refuses the second type of the same name)."""
        if not is_postgres(self.url):
            return  # SQLite serialises DDL by itself
        with self.jobs.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            self.jobs.jobs_t.create(conn, checkfirst=True)

    def shutdown(self) -> None:
        """Stop (jobs stay in the store for the next start)."""
        global _service
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        _service = None

    def add(self, checkin_id: int, run_at: datetime) -> None:
        """Run the check-in's delivery at run_at (replacing an earlier time)."""
        self.remove(checkin_id, keep_running=True)
        self.scheduler.add_job(run_checkin_job, "date", run_date=run_at, args=[checkin_id],
                               id=f"{JOB_PREFIX}{checkin_id}@{int(run_at.timestamp())}",
                               replace_existing=True)

    def remove(self, checkin_id: int, keep_running: bool = False) -> None:
        """Forget the check-in's jobs (keep_running: except one already due, which may be the
        one running now; it ends by itself)."""
        now = datetime.now(utc)
        for job in self._jobs(checkin_id):
            if keep_running and job.next_run_time is not None and job.next_run_time <= now:
                continue
            try:
                self.scheduler.remove_job(job.id)
            except JobLookupError:
                pass

    def due_times(self) -> dict[int, datetime]:
        """Each check-in's next job time, by check-in id."""
        return {int(job.id[len(JOB_PREFIX):].split("@")[0]): job.next_run_time
                for job in self.scheduler.get_jobs() if job.id.startswith(JOB_PREFIX)}

    def _jobs(self, checkin_id: int) -> list:
        """The jobs of one check-in."""
        prefix = f"{JOB_PREFIX}{checkin_id}@"
        return [job for job in self.scheduler.get_jobs() if job.id.startswith(prefix)]

    def run_due(self) -> None:
        """Run due jobs now (StepScheduler only)."""
        assert isinstance(self.scheduler, StepScheduler), "run_due needs step=True"
        self.scheduler.run_due()
