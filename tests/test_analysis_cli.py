"""`starcoach analyze` as a user runs it: a file, stdin, --json, --batch, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import one_error_line, sc

ANSWER = (
    "Last year our team's nightly data export kept failing, and the finance team had no numbers on "
    "Monday mornings. I was asked to make it reliable before the quarterly close. I traced the failures "
    "to a single query that timed out, rewrote it with an index, and added an alert that pages me if "
    "the export is late. Since then the export has not failed once in six months, and finance gets "
    "their numbers by 7 a.m. I learned to look for the one slow step before adding retries."
)
CONTRACT = {"question", "score", "sentences", "missing", "dimensions", "points", "flags", "words",
            "speaking_seconds", "suggestions", "follow_ups"}


def test_json_output_is_the_contract(tmp_path: Path, starcoach_home: Path) -> None:
    f = tmp_path / "answer.txt"
    f.write_text(ANSWER, encoding="utf-8")
    r = sc("analyze", str(f), "--question", "Tell me about a time you fixed something that kept breaking.",
           "--json", home=starcoach_home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) >= CONTRACT
    assert data["question"]["type"] == "story"
    assert all(ANSWER[s["start"]:s["end"]] == s["text"] for s in data["sentences"])


def test_bank_id_and_stdin_and_rich_output(starcoach_home: Path) -> None:
    r = sc("analyze", "-", "--question", "time-you-failed", home=starcoach_home, stdin=ANSWER)
    assert r.returncode == 0, r.stderr
    assert "Score" in r.stdout and "structure" in r.stdout and "Follow-up" in r.stdout


def test_batch_writes_one_line_per_answer_and_reports_bad_lines(tmp_path: Path, starcoach_home: Path) -> None:
    batch = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "question": "How do you handle tight deadlines?", "answer": ANSWER}),
        "{not json",
        json.dumps({"id": "c", "question": None, "answer": "   "}),
        "",
        json.dumps({"question": "time-you-failed", "answer": ANSWER}),
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = sc("analyze", "--batch", str(batch), home=starcoach_home)
    assert r.returncode == 2
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None]
    assert out[1]["question"]["id"] == "time-you-failed"
    errors = r.stderr.strip().splitlines()
    assert len(errors) == 2
    assert ":2:" in errors[0] and ":3:" in errors[1] and "empty" in errors[1]
    assert "Traceback" not in r.stderr


def test_binary_file_is_one_clear_error(tmp_path: Path, starcoach_home: Path) -> None:
    f = tmp_path / "blob.bin"
    f.write_bytes(bytes(range(256)) * 8)
    line = one_error_line(sc("analyze", str(f), home=starcoach_home))
    assert "binary" in line or "UTF-8" in line


def test_huge_and_empty_answers_are_one_clear_error(tmp_path: Path, starcoach_home: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 300_000, encoding="utf-8")
    assert "bytes" in one_error_line(sc("analyze", str(big), home=starcoach_home))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert "empty" in one_error_line(sc("analyze", str(empty), home=starcoach_home))
    assert "no such file" in one_error_line(sc("analyze", str(tmp_path / "nope.txt"), home=starcoach_home))


def test_two_runs_print_byte_identical_json(tmp_path: Path, starcoach_home: Path) -> None:
    f = tmp_path / "answer.txt"
    f.write_text(ANSWER, encoding="utf-8")
    runs = [sc("analyze", str(f), "-q", "time-you-failed", "--json", home=starcoach_home) for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout


def test_parallel_batch_matches_one_process_line_for_line(
    tmp_path: Path, starcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough lines for forked workers: same stdout and stderr, in input order, as one process."""
    questions = ["How do you handle tight deadlines?", "time-you-failed", None, "conflict-coworker"]
    sentences = ANSWER.split(". ")
    lines = []
    for i in range(44):
        answer = ". ".join(sentences[i % 3:]) if i % 5 else ANSWER.lower().replace(",", "")
        lines.append(json.dumps({"id": f"n{i}", "question": questions[i % 4], "answer": answer}))
    lines[7] = "{not json"
    lines[30] = json.dumps({"id": "blank", "answer": "  "})
    lines[41] = json.dumps({"question": 3, "answer": ANSWER})
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = []
    for jobs in ("2", "1"):
        monkeypatch.setenv("STARCOACH_JOBS", jobs)
        runs.append(sc("analyze", "--batch", str(batch), home=starcoach_home))
    parallel, single = runs
    assert parallel.returncode == single.returncode == 2, parallel.stderr
    assert parallel.stdout == single.stdout and parallel.stderr == single.stderr
    ids = [json.loads(x)["id"] for x in parallel.stdout.splitlines()]
    assert ids == [f"n{i}" for i in range(44) if i not in (7, 30, 41)]
    errors = parallel.stderr.strip().splitlines()
    assert [e.split(":")[2] for e in errors] == ["8", "31", "42"] and "Traceback" not in parallel.stderr


@pytest.mark.parametrize(("count", "jobs"), [(24, 2), (44, 2), (489, 2), (1000, 7)])
def test_batch_chunks_keep_every_task_in_order_and_shrink_toward_the_end(count: int, jobs: int) -> None:
    from starcoach.cli.analyze import CHUNK, _chunks

    tasks: list[Any] = [(n, f"error {n}") for n in range(count)]
    chunks = _chunks(tasks, jobs)
    assert [t for c in chunks for t in c] == tasks
    sizes = [len(c) for c in chunks]
    assert max(sizes) <= CHUNK and sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
