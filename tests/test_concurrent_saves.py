"""Two processes write one intake at the same moment, 200 times; neither loses the other's change.

The action server saves the summary on every patient message while the web app links a photo to
the same intake. Both rewrite the summary JSON, so a save computed from a stale read would drop
the photo (or the photo link would drop the answer). Each round both processes start together
(a barrier), one of them a random fraction of a few milliseconds later, and then the round is
checked: the answer of that round and every photo so far must be in the stored summary.
Run on both backends (a SQLite file, PostgreSQL).
"""
from __future__ import annotations

import multiprocessing
import os
import random
from datetime import datetime, timezone

ROUNDS = 200
CONVERSATION = "conv-race"


def name_state(round_no: int):
    """The intake state the action holds in one round: the patient has just given a new name."""
    from bot.intake import IntakeState
    from bot.models import Answer, Finding, Polarity

    name = f"Patient {round_no}"
    finding = Finding(topic="name", item="name", polarity=Polarity.PRESENT, evidence=name,
                      detail={"name": name})
    return IntakeState(answers={"name": Answer(topic="name", text=name, findings=[finding])},
                       turns=round_no + 1)


def action_server_side(db: str, start, done, results) -> None:
    """The action server's own save (actions.actions.save_summary), once per round."""
    from tests.databases import env_for

    os.environ.update(env_for(db))  # a SQLite file or a PostgreSQL URL
    from rasa_sdk import Tracker

    from actions import actions as acts
    from bot.models import Status

    tracker = Tracker.from_dict({
        "sender_id": CONVERSATION, "slots": {}, "events": [], "paused": False,
        "latest_message": {"text": "", "intent": {}, "entities": [],
                           "metadata": {"channel": "web"}},
        "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"})
    started_at = datetime.now(timezone.utc).isoformat()
    jitter = random.Random(1)
    conflicts = _count_conflicts(acts.store())
    for round_no in range(ROUNDS):
        state = name_state(round_no)
        start.wait()
        _sleep_ms(jitter.uniform(0, 3))
        acts.save_summary(tracker, state, Status.IN_PROGRESS, started_at)
        done.wait()
        stored = acts.store().get_summary(CONVERSATION)
        photos_so_far = {f"photo-{n}" for n in range(round_no + 1)}
        results.put((round_no, stored.patient_name == f"Patient {round_no}",
                     sorted(photos_so_far - set(stored.photos)), len(conflicts)))
        done.wait()  # the next round starts after the check


def _count_conflicts(store) -> list[int]:
    """Record each save refused because the photo link came first (the race this test is about)."""
    from bot.store import VersionConflict

    refused: list[int] = []
    save = store.save_summary

    def counting_save(summary, expected_version=None):
        try:
            return save(summary, expected_version=expected_version)
        except VersionConflict:
            refused.append(1)
            raise

    store.save_summary = counting_save
    return refused


def web_app_side(db: str, start, done) -> None:
    """The web app's photo link (IntakeStore.add_photo, as bot.web.photos calls it)."""
    from bot.store import IntakeStore

    store = IntakeStore(db)
    jitter = random.Random(2)
    for round_no in range(ROUNDS):
        start.wait()
        _sleep_ms(jitter.uniform(0, 6))
        store.add_photo(CONVERSATION, f"photo-{round_no}", f"{CONVERSATION}/{round_no}.jpg",
                        "image/jpeg", limit=ROUNDS)
        done.wait()
        done.wait()


def _sleep_ms(ms: float) -> None:
    import time

    time.sleep(ms / 1000)


def test_a_save_and_a_photo_link_at_the_same_moment_lose_nothing_200_times(db_location):
    db = str(db_location)
    from bot.store import IntakeStore

    IntakeStore(db)  # the schema exists before either side starts
    spawn = multiprocessing.get_context("spawn")
    start, done = spawn.Barrier(2, timeout=60), spawn.Barrier(2, timeout=60)
    results = spawn.Queue()
    sides = [spawn.Process(target=action_server_side, args=(db, start, done, results)),
             spawn.Process(target=web_app_side, args=(db, start, done))]
    for side in sides:
        side.start()
    try:
        rounds = [results.get(timeout=120) for _ in range(ROUNDS)]
    finally:
        for side in sides:
            side.join(timeout=60)
            if side.is_alive():
                side.terminate()
    assert [side.exitcode for side in sides] == [0, 0]
    lost_answers = [n for n, answer_kept, _, _ in rounds if not answer_kept]
    lost_photos = [(n, missing) for n, _, missing, _ in rounds if missing]
    assert (lost_answers, lost_photos) == ([], [])
    assert len(rounds) == ROUNDS
    # The two writers really collided: some saves were refused and retried on the newer summary.
    assert rounds[-1][3] > 0
    final = IntakeStore(db).get_summary(CONVERSATION)
    assert final.photos == [f"photo-{n}" for n in range(ROUNDS)]
