"""Analysis use cases: resolve the question, then run the pure analyzer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starcoach.service.banks import BankService

if TYPE_CHECKING:
    from starcoach.analysis.types import Analysis


class AnalysisService(BankService):
    """Analyze answers against bank questions or free question text."""

    def analyze(self, answer: str, question: str | None = None) -> Analysis:
        from starcoach.analysis.pipeline import analyze

        return analyze(answer, self.question_for(question))
