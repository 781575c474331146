"""Guessing what a question from a file asks for: a story, a method, about yourself, or closing."""

from __future__ import annotations

import pytest

from starcoach.bank.classify import classify, question_type
from starcoach.bank.model import QuestionType

CASES = [
    ("Tell me about a time you failed.", QuestionType.STORY),
    ("Tell me about a conflict with a coworker.", QuestionType.STORY),
    ("Describe a production incident you handled.", QuestionType.STORY),
    ("Walk me through a migration you led.", QuestionType.STORY),
    ("What was the hardest bug you fixed?", QuestionType.STORY),
    ("How do you handle tight deadlines?", QuestionType.APPROACH),
    ("Describe the bias-variance trade-off.", QuestionType.APPROACH),
    ("What is the difference between L1 and L2 regularization?", QuestionType.APPROACH),
    ("What is your greatest weakness?", QuestionType.SELF),
    ("Why do you want to work here?", QuestionType.SELF),
    ("Do you have any questions for us?", QuestionType.CLOSING),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_question_type(text: str, expected: QuestionType) -> None:
    assert question_type(text) is expected


def test_technical_questions_probe_no_competency() -> None:
    assert classify("What is the bias-variance trade-off?").competencies == ()


def test_conflict_question_probes_conflict() -> None:
    assert "conflict" in classify("Tell me about a conflict with a coworker.").competencies
