"""The answer protocol: the same commands and endings from a stream, a terminal and an editor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from starcoach.cli.practice import parse_duration
from starcoach.cli.practice_input import Reply, StreamReader, TerminalReader, parse_command, read_reply
from starcoach.errors import InputError


def stream(text: str) -> StreamReader:
    return StreamReader(iter(text.splitlines()))


def test_an_answer_ends_with_two_empty_lines_and_keeps_single_blank_lines() -> None:
    r = stream("First paragraph.\n\nSecond paragraph.\n\n\nNext answer.\n")
    assert r.read("q", None) == Reply("answer", "First paragraph.\n\nSecond paragraph.")
    assert r.read("q", None) == Reply("answer", "Next answer.")
    assert r.read("q", None).action == "eof"


def test_two_empty_lines_alone_are_an_empty_answer() -> None:
    assert stream("\n\nlater\n").read("q", None) == Reply("answer", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (":skip\n", Reply("skip")),
        ("half\n:quit\n", Reply("quit", "half")),
        (":q\n", Reply("quit")),
        ("draft\n:retry\n", Reply("retry", "draft")),
        (":rate hard\nMy answer.\n\n\n", Reply("answer", "My answer.", ("hard",))),
        ("  :skip  \n", Reply("skip")),
        (":skipping is a word\n\n\n", Reply("answer", ":skipping is a word")),
    ],
)
def test_commands_act_at_once(text: str, expected: Reply) -> None:
    assert stream(text).read("q", None) == expected


def test_end_of_input_submits_what_was_typed() -> None:
    r = stream("no blank lines at the end")
    assert r.read("q", None) == Reply("answer", "no blank lines at the end")
    assert r.read("q", None) == Reply("eof")


@given(
    st.lists(st.text(alphabet="abc :.\t", min_size=1, max_size=20).filter(lambda s: s.strip()), max_size=6)
)
def test_any_answer_without_blank_runs_or_commands_comes_back_whole(lines: list[str]) -> None:
    lines = [ln for ln in lines if parse_command(ln) is None]
    text = "\n".join(lines)
    got = read_reply(iter([*lines, "", ""]).__next__)
    assert got == Reply("answer", text.strip())


@pytest.mark.parametrize(
    ("value", "seconds"), [("120", 120), ("90s", 90), ("2m", 120), ("1m30s", 90), ("0", 0)]
)
def test_timer_values(value: str, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["soon", "", "2h", "-5"])
def test_bad_timer_values(value: str) -> None:
    with pytest.raises(InputError, match="--timer"):
        parse_duration(value)


@contextmanager
def terminal(keys: str) -> Iterator[None]:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            yield


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("My answer.\r\r\r", Reply("answer", "My answer.")),
        ("Line one.\r\rLine two.\r\r\r", Reply("answer", "Line one.\n\nLine two.")),
        ("Typed so far\x04", Reply("answer", "Typed so far")),
        ("\x04", Reply("eof")),
        ("\r\r", Reply("answer", "")),
        (":skip\r", Reply("skip")),
        ("draft\r:quit\r", Reply("quit", "draft")),
        ("Keep this\x03", Reply("interrupt", "Keep this")),
        ("\x1b[200~Pasted.\n\n\nStill pasted.\x1b[201~\r\r\r", Reply("answer", "Pasted.\n\n\nStill pasted.")),
    ],
)
def test_the_terminal_reader_follows_the_same_protocol(keys: str, expected: Reply) -> None:
    with terminal(keys):
        assert TerminalReader().read("Tell me about a time.", 120) == expected
