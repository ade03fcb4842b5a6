"""Web replicas started together on an empty PostgreSQL database all open the check-in scheduler.

Each web app opens the scheduler, whose job store creates its table on first start. Two
replicas doing that at the same moment must not crash one of them (the replica test caught
"duplicate key value violates unique constraint pg_type_typname_nsp_index").
"""
from __future__ import annotations

import threading

from bot.care_scheduler import JOBS_TABLE, CareScheduler
from tests.databases import fresh_postgres, raw


def test_replicas_starting_at_once_on_an_empty_database_all_open_the_scheduler():
    with fresh_postgres() as url:
        # 16 at once: with 6 the race was seen only sometimes, with 16 on every run before the fix
        schedulers = [CareScheduler(url, runs_jobs=False) for _ in range(16)]
        ready, errors = threading.Barrier(len(schedulers)), []

        def start(scheduler: CareScheduler) -> None:
            ready.wait()  # all at once, as replicas started by one deploy
            try:
                scheduler.start(service=None)
            except Exception as error:  # noqa: BLE001 (the failure is what the test reports)
                errors.append(repr(error))

        threads = [threading.Thread(target=start, args=(s,)) for s in schedulers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        try:
            assert errors == []
            assert all(s.scheduler.running for s in schedulers)
            with raw(url) as conn:
                assert conn.execute(f"select count(*) from {JOBS_TABLE}").fetchone()[0] == 0
        finally:
            for scheduler in schedulers:
                scheduler.shutdown()
