"""The store on SQLite and PostgreSQL: owners isolated, owner data deleted, migrations, concurrent writers.

Every test here runs on both backends (``backend`` param, see tests/pg_support.py), except the few
marked ``sqlite_only`` or built for one backend.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, table

from starcoach.bank.model import Bank, Point, Question
from starcoach.errors import ConflictError, InputError, NotFoundError, SchemaTooNewError, StorageError
from starcoach.ids import BankId, QuestionId, StoryId
from starcoach.review.records import AttemptStatus
from starcoach.review.schedule import Rating
from starcoach.service import Coach, open_coach
from starcoach.settings import resolve
from starcoach.store import LOCAL_OWNER, Store, db
from starcoach.store.migrations import HEADS
from starcoach.stories.model import Story
from tests.conftest import PINNED_NOW
from tests.pg_support import store_count, store_rows
from tests.practice_helpers import FOLLOW, STRONG, WEAK

QID = "conflict-coworker"
STORY_MD = """## Payments schema disagreement
- **Competencies**: conflict
- **Situation**: At a fintech startup our team disagreed about the schema of the payments API.
- **Action**: I restated my colleague's concerns and I built a benchmark of both designs.
- **Result**: We shipped two weeks early and p95 latency dropped by 30%.
"""
PER_USER = ("practice_sessions", "attempts", "cards", "review_logs", "stories", "story_versions")


@pytest.fixture
def shared(backend_store: Store) -> Store:
    return backend_store


def user(store: Store, owner: str, home: Path) -> Coach:
    """A Coach for ``owner`` over the shared open store (team mode's shape)."""
    from starcoach.clock import fixed

    return Coach(resolve(home), clock=fixed(PINNED_NOW), owner=owner, store=store)


def fill(c: Coach) -> dict[str, Any]:
    """A session with an answer, a follow-up and a re-rating, and a story; returns their ids."""
    session = c.start_session()
    first = c.submit_answer(QID, STRONG, started_at=PINNED_NOW, session_id=session.id)
    follow = c.submit_follow_up(first.attempt.id, "What would you change?", FOLLOW, started_at=PINNED_NOW)
    c.rate(first.attempt.id, Rating.HARD)
    c.submit_answer("tell-me-about-yourself", WEAK, started_at=PINNED_NOW + timedelta(minutes=5))
    c.finish_session(session.id)
    story = c.add_stories(STORY_MD)[0].story
    return {"session": session.id, "attempt": first.attempt.id, "follow": follow.attempt.id, "story": story.id}


def test_owners_cannot_see_or_change_each_others_data(shared: Store, tmp_path: Path) -> None:
    alice, bob = user(shared, "alice", tmp_path / "a"), user(shared, "bob", tmp_path / "b")
    ids = fill(alice)
    mine = alice.store.attempts
    theirs = shared.scoped("bob").attempts
    before = store_rows(shared)
    # reading
    assert theirs.find() == [] and theirs.pending() == [] and theirs.cards() == [] and theirs.review_log() == []
    assert theirs.card(QID) is None and theirs.last_review(QID) == (None, None) and theirs.sessions() == []
    for ref in (ids["attempt"], ids["attempt"][:4]):
        with pytest.raises(NotFoundError):
            theirs.get(ref)
    with pytest.raises(NotFoundError):
        theirs.question_snapshot(ids["attempt"])
    with pytest.raises(NotFoundError):
        theirs.session(ids["session"])
    with pytest.raises(NotFoundError):
        bob.attempt(ids["attempt"])
    assert bob.history(limit=None) == [] and bob.stories() == [] and bob.due().to_dict() == user(
        shared, "carol", tmp_path / "c").due().to_dict()
    assert shared.scoped("bob").stories.get(ids["story"]) is None
    assert shared.scoped("bob").stories.find_title("Payments schema disagreement") is None
    assert shared.scoped("bob").stories.ids() == set() and shared.scoped("bob").stories.load_all() == []
    # changing and deleting
    target = mine.get(ids["attempt"])
    with pytest.raises(NotFoundError):
        bob.rate(ids["attempt"], Rating.EASY)
    theirs.complete(dataclasses.replace(target, score=1, status=AttemptStatus.PENDING), None)
    theirs.end_session(ids["session"], PINNED_NOW, {"x": 1})
    assert shared.scoped("bob").stories.delete(ids["story"]) is False
    with pytest.raises(NotFoundError):
        bob.delete_story(ids["story"])
    with pytest.raises(NotFoundError):
        bob.submit_follow_up(ids["attempt"], "Why?", FOLLOW, started_at=PINNED_NOW)
    with pytest.raises(NotFoundError):  # an answer cannot be filed under another owner's session
        bob.submit_answer(QID, STRONG, started_at=PINNED_NOW, session_id=ids["session"])
    assert store_rows(shared) == before
    # the same question and the same story title, held by both
    bob.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    bob.add_stories(STORY_MD)
    assert theirs.card(QID) is not None and mine.card(QID) is not None
    assert [s.id for s in bob.stories()] == [s.id for s in alice.stories()] == [ids["story"]]
    assert len(alice.history(limit=None)) == 3 and len(bob.history(limit=None)) == 1
    with pytest.raises(ConflictError):  # titles stay unique within one owner
        bob.store.stories.save_all([Story.new(StoryId("other-id"), bob.stories()[0].content, PINNED_NOW)])


def test_delete_owner_data_removes_everything_of_one_owner_only(shared: Store, tmp_path: Path) -> None:
    alice, bob = user(shared, "alice", tmp_path / "a"), user(shared, "bob", tmp_path / "b")
    fill(alice)
    fill(bob)
    bob_before = owner_counts(shared, "bob")
    assert all(bob_before[t] > 0 for t in PER_USER)
    banks = store_count(shared, "banks")
    gone = shared.delete_owner_data("alice")
    assert {t: gone[t] for t in PER_USER} == bob_before  # alice had what bob has
    assert all(n == 0 for n in owner_counts(shared, "alice").values())
    assert owner_counts(shared, "bob") == bob_before and store_count(shared, "banks") == banks
    assert alice.history(limit=None) == [] and alice.stories() == [] and len(bob.history(limit=None)) == 3
    with pytest.raises(InputError):
        shared.delete_owner_data("")


def owner_counts(store: Store, owner: str) -> dict[str, int]:
    from sqlalchemy import column

    with store.engine.connect() as conn:
        return {
            t: int(conn.execute(
                select(func.count()).select_from(table(t, column("owner"))).where(column("owner") == owner)
            ).scalar() or 0)
            for t in PER_USER
        }


def test_a_coach_on_a_shared_store_leaves_it_open(shared: Store, tmp_path: Path) -> None:
    c = user(shared, "alice", tmp_path / "a")
    c.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    assert c.store.engine is shared.engine and c.store.owner == "alice" and shared.owner == LOCAL_OWNER
    c.close()
    assert len(user(shared, "alice", tmp_path / "a").history(limit=None)) == 1  # still usable


def a_bank() -> Bank:
    q = Question(QuestionId("mine-1"), "Tell me about a launch?", points=(Point("Key", "own it"),),
                 bank=BankId("mine"), number=1)
    return Bank(BankId("mine"), "My bank", (q,))


def test_export_of_one_owner_imports_as_another_elsewhere(
    shared: Store, tmp_path: Path, second_url: str
) -> None:
    """An export moves a user's data to another owner in another database (a local user joining a team)."""
    alice = user(shared, "alice", tmp_path / "a")
    fill(alice)
    shared.banks.save_all([a_bank()], PINNED_NOW)
    out = tmp_path / "alice.json"
    counts = {t.table: t.rows for t in alice.export_all(out)}
    data = json.loads(out.read_text())
    assert all("owner" not in t["columns"] for t in data["tables"].values())
    assert counts["attempts"] == 3 and counts["stories"] == 1
    from starcoach.store import dataio

    team = Store.open_url(second_url)
    try:
        bob, carol = user(team, "bob", tmp_path / "b"), user(team, "carol", tmp_path / "c")
        fill(bob)  # bob's review logs take the numbers alice's export carries
        team.banks.save_all([a_bank()], PINNED_NOW)
        with pytest.raises(ConflictError):  # banks are there already: shared, so merged only on request
            dataio.import_all(team.engine, data, "carol")
        dataio.import_all(team.engine, data, "carol", merge_shared=True)
        assert [a.to_dict() for a in carol.history(limit=None)] == [a.to_dict() for a in alice.history(limit=None)]
        assert [s.to_dict() for s in carol.stories()] == [s.to_dict() for s in alice.stories()]
        assert carol.due().to_dict() == alice.due().to_dict()
        assert [e.to_dict() for e in team.scoped("carol").attempts.review_log()] == [
            e.to_dict() for e in shared.scoped("alice").attempts.review_log()
        ]
        with pytest.raises(ConflictError, match="empty database"):  # carol has data now
            dataio.import_all(team.engine, data, "carol", merge_shared=True)
        carol.submit_answer(QID, WEAK, started_at=PINNED_NOW + timedelta(days=3))  # numbering goes on
        assert len(team.scoped("carol").attempts.review_log()) == len(alice.store.attempts.review_log()) + 1
        assert len(bob.history(limit=None)) == 3 and team.banks.ids() == ["mine"]
    finally:
        team.close()


# migrations -------------------------------------------------------------------------------------------


def _alembic_to(conn: Any, *revisions: str) -> None:
    from alembic import command
    from alembic.config import Config

    import starcoach.store.migrations as mig

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(mig.__file__).parent))
    cfg.attributes["connection"] = conn
    for rev in revisions:
        command.upgrade(cfg, rev)
    conn.commit()


OLD_ROWS = [
    "INSERT INTO practice_sessions (id, kind, started_at, options_json) VALUES "
    "('s1', 'practice', '2026-01-05T09:00:00.000000+00:00', '{}')",
    "INSERT INTO attempts (id, session_id, kind, status, question_id, question_text, question_json, answer, "
    "started_at, submitted_at) VALUES ('a1', 's1', 'answer', 'pending', 'conflict-coworker', 'Q?', "
    "'{\"id\": \"conflict-coworker\", \"text\": \"Q?\"}', 'my old answer', '2026-01-05T09:00:00.000000+00:00', "
    "'2026-01-05T09:01:00.000000+00:00')",
    "INSERT INTO stories (id, title, title_key, version, data_json, created_at, updated_at) VALUES "
    "('zeta', 'Zeta', 'zeta', 1, '{\"title\": \"Zeta\"}', '2026-01-05T09:00:00+00:00', '2026-01-05T09:00:00+00:00')",
    "INSERT INTO stories (id, title, title_key, version, data_json, created_at, updated_at) VALUES "
    "('alpha', 'Alpha', 'alpha', 1, '{\"title\": \"Alpha\"}', '2026-01-05T09:00:00+00:00', "
    "'2026-01-05T09:00:00+00:00')",
    "INSERT INTO story_versions (story_id, version, saved_at, data_json) VALUES "
    "('zeta', 1, '2026-01-05T09:00:00+00:00', '{\"title\": \"Zeta\"}')",
]


def _database_at_0003(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, Path | None]:
    """(url, sqlite path) of a database at revisions 0002 + 0003 holding a single user's data."""
    if backend == "sqlite":
        path = tmp_path / "old" / "starcoach.db"
        path.parent.mkdir()
        url = f"sqlite:///{path}"
    else:
        url, path = request.getfixturevalue("pg_empty_url"), None
    engine = create_engine(db.normalize_url(url))
    try:
        with engine.connect() as conn:
            _alembic_to(conn, "0002", "0003")
            for sql in OLD_ROWS:
                conn.exec_driver_sql(sql)
            conn.commit()
    finally:
        engine.dispose()
    return url, path


def test_a_database_at_0003_with_data_upgrades_and_keeps_it(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, path = _database_at_0003(backend, tmp_path, request)
    store = Store.open_url(url)
    try:
        with store.engine.connect() as conn:
            assert {r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")} == HEADS
        old = store.attempts.get("a1")
        assert old.answer == "my old answer" and old.session_id == "s1" and old.status == AttemptStatus.PENDING
        assert [s.id for s in store.stories.load_all()] == ["zeta", "alpha"]  # saving order survives
        assert store.attempts.sessions()[0].id == "s1"
        assert store.scoped("bob").attempts.find() == [] and store.scoped("bob").stories.load_all() == []
        store.scoped("bob").stories.save_all([store.stories.load_all()[0]])  # same id, other owner
        assert store_count(store, "stories") == 3
    finally:
        store.close()
    if path is not None:  # SQLite: the file was backed up before migrating
        backups = list((path.parent / "backups").glob("starcoach-before-migration-*.db"))
        assert len(backups) == 1
        con = sqlite3.connect(backups[0])
        assert con.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1
        con.close()


def test_an_empty_database_is_migrated_to_the_current_schema(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}" if backend == "sqlite" else request.getfixturevalue("pg_empty_url")
    store = Store.open_url(url)
    try:
        with store.engine.connect() as conn:
            assert {r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")} == HEADS
        assert store.attempts.find() == [] and store.banks.ids() == []
    finally:
        store.close()


def test_a_newer_schema_is_refused_and_left_alone(backend_store: Store, database_url: str | None) -> None:
    with backend_store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('9999_future')")
    before = store_rows(backend_store)
    url = database_url or f"sqlite:///{backend_store.path}"
    with pytest.raises(SchemaTooNewError, match="newer starcoach"):
        Store.open_url(url)
    assert store_rows(backend_store) == before


# concurrency ------------------------------------------------------------------------------------------

ANSWERS_EACH = 12


def _write_answers(home: str, url: str | None, owner: str, worker: int, start: Any) -> None:
    """One worker process: answer ANSWERS_EACH times, all at once with the other worker."""
    from starcoach.clock import utc_now

    c = open_coach(home, clock=utc_now, database_url=url, owner=owner)
    c.banks()  # opens the store before the start signal
    start.wait(60)
    for i in range(ANSWERS_EACH):
        qid = QID if i % 2 == 0 else "tell-me-about-yourself"
        c.submit_answer(qid, f"{STRONG} (worker {worker}, answer {i})", started_at=PINNED_NOW)
    c.close()


def test_two_processes_writing_attempts_for_one_owner_lose_nothing(
    database_url: str | None, starcoach_home: Path
) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_write_answers, args=(str(starcoach_home), database_url, "alice", w, start))
             for w in range(2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0, 0]
    c = open_coach(starcoach_home, database_url=database_url, owner="alice")
    try:
        answers = sorted(a.answer for a in c.history(limit=None))
        expected = sorted(f"{STRONG} (worker {w}, answer {i})" for w in range(2) for i in range(ANSWERS_EACH))
        assert answers == expected
        assert all(a.status == AttemptStatus.SCORED for a in c.history(limit=None))
        assert len(c.store.attempts.review_log()) == 2 * ANSWERS_EACH
        assert {card.question_id for card in c.store.attempts.cards()} == {QID, "tell-me-about-yourself"}
    finally:
        c.close()


def _start_worker(url: str, results: Any, start: Any) -> None:
    """A worker starting up: migrate if needed (under the advisory lock), then write an answer."""
    engine = db.make_server_engine(url)
    start.wait(60)
    migrated = db.migrate_server(engine)
    engine.dispose()
    store = Store.open_url(url).scoped("alice")
    c = Coach(resolve(None), owner="alice", store=store)
    c.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    store.close()
    results.put(migrated)


def _start_workers(url: str, n: int) -> list[bool]:
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_start_worker, args=(url, results, start)) for _ in range(n)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0] * n
    return sorted(results.get(timeout=5) for _ in range(n))


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_workers_starting_at_once_on_an_empty_database_migrate_it_once(
    backend: str, pg_empty_url: str
) -> None:
    assert _start_workers(pg_empty_url, 3) == [False, False, True]
    store = Store.open_url(pg_empty_url)
    try:
        assert len(store.scoped("alice").attempts.find()) == 3
    finally:
        store.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_migration_with_the_app_stopped_then_workers_start_together(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, _ = _database_at_0003(backend, tmp_path, request)
    Store.open_url(url).close()  # the upgrade, run while no worker is up (``starcoach db upgrade``)
    assert _start_workers(url, 2) == [False, False]  # nobody migrates again
    store = Store.open_url(url)
    try:
        assert store.attempts.get("a1").answer == "my old answer"
        assert len(store.scoped("alice").attempts.find()) == 2
    finally:
        store.close()


# errors -----------------------------------------------------------------------------------------------


def test_a_server_that_refuses_is_one_line_without_the_password() -> None:
    url = "postgresql://starcoach:s3cret-pw@127.0.0.1:9/starcoach"  # nothing listens on port 9
    with pytest.raises(StorageError) as err:
        Store.open_url(url)
    assert "s3cret-pw" not in str(err.value) and "\n" not in str(err.value)
    assert "cannot open database" in str(err.value) and "127.0.0.1" in str(err.value)


def test_bad_database_urls_are_one_clear_error() -> None:
    for url in ("nonsense", "mysql://u@h/db", "sqlite://"):
        with pytest.raises(StorageError):
            Store.open_url(url)


def test_a_team_members_delete_all_and_import_all_leave_shared_banks_and_others_alone(
    shared: Store, tmp_path: Path
) -> None:
    alice, bob = user(shared, "alice", tmp_path / "a"), user(shared, "bob", tmp_path / "b")
    fill(alice)
    fill(bob)
    shared.banks.save_all([a_bank()], PINNED_NOW)
    out = tmp_path / "alice.json"
    alice.export_all(out)
    bob_before = owner_counts(shared, "bob")
    counts = {c.table: c.rows for c in alice.delete_all()}
    assert counts["attempts"] == 3 and "banks" not in counts
    assert all(n == 0 for n in owner_counts(shared, "alice").values())
    assert owner_counts(shared, "bob") == bob_before and shared.banks.ids() == ["mine"]
    restored = {c.table: c.rows for c in alice.import_all(out)}  # the bank is merged, not a conflict
    assert restored["attempts"] == 3 and len(alice.history(limit=None)) == 3 and shared.banks.ids() == ["mine"]


def test_an_export_from_before_owners_imports_in_its_story_order(
    shared: Store, tmp_path: Path, second_url: str
) -> None:
    """Exports written before 0004 have no ``seq``: stories keep the order the file lists them in."""
    alice = user(shared, "alice", tmp_path / "a")
    alice.add_stories(STORY_MD + "\n" + STORY_MD.replace("Payments schema", "Zebra migration"))
    out = tmp_path / "old.json"
    alice.export_all(out)
    data = json.loads(out.read_text())
    stories = data["tables"]["stories"]
    at = stories["columns"].index("seq")
    stories["columns"].pop(at)
    stories["rows"] = [r[:at] + r[at + 1:] for r in reversed(stories["rows"])]  # as an old file could list them
    data["schema"] = ["0002", "0003"]
    from starcoach.store import dataio

    other = Store.open_url(second_url)
    try:
        dataio.import_all(other.engine, data)
        assert [s.title for s in other.stories.load_all()] == ["Zebra migration disagreement",
                                                               "Payments schema disagreement"]
    finally:
        other.close()
