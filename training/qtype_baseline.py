"""The rule classifier that typed questions before the trained one (the phrase cues of
starcoach.bank.classify at commit dc35073), kept as the baseline for training/eval_question_types.py.

story/approach/self/closing come from the old ``question_type``; a question the old ``is_technical``
called technical counts as knowledge (what a technical document's import made of it). The cues that
classify.py still uses for documents (personal, closing, self, technical, "a time") are imported from
it, unchanged since then; only the story phrase cues it no longer needs are kept here.
"""

from __future__ import annotations

from starcoach.bank.classify import _A_TIME, _CLOSING, _PERSONAL, _SELF, _TECHNICAL, _rx

_STORY = _rx(
    r"\btell me about a (time|situation|project|mistake|challenge|decision)\b",
    r"\b(describe|share|recall) (a|an) (\w+[ -])?(time|situation|occasion|project|experience|example|"
    r"mistake|failure|challenge|conflict|decision)\b",
    r"\bgive (me )?an example\b",
    r"\ba time (when )?(you|that you)\b",
    r"\bhave you ever\b",
    r"\bwalk me through a (time|project|situation)\b",
    r"\bwhat (was|is) the (hardest|biggest|most difficult|most challenging)\b",
    # "Tell me about a conflict with a coworker.", "Describe a production incident.": a story by another noun
    r"\btell me about (a|an|one|your|some)\b",
    r"\b(describe|share|walk me through) (a|an|one|your) (\w+[ -]){0,2}(bug|incident|outage|conflict|"
    r"disagreement|mistake|failure|project|problem|decision|launch|migration|deadline)\b",
    r"\bwhat(?:'s| is| was) (a|the) (\w+ )?(project|problem|bug|incident|mistake|failure|decision)\b.*\byou\b",
)


def rule_type(text: str) -> str:
    """The old question_type: closing, then not personal -> approach, self, story, else approach."""
    if _CLOSING.search(text):
        return "closing"
    if not _PERSONAL.search(text):
        return "approach"
    if _SELF.search(text):
        return "self"
    if _STORY.search(text):
        return "story"
    return "approach"


def rule_type_with_knowledge(text: str) -> str:
    """The old type, with the old is_technical test turning technical wording into knowledge."""
    head = text.strip().split("\n", 1)[0]
    kind = rule_type(head)
    if _A_TIME.search(head) or kind in ("self", "closing"):
        return kind
    if kind == "story" and _TECHNICAL.search(head) is None:
        return kind
    technical = _TECHNICAL.search(head) is not None or not _PERSONAL.search(head)
    return "knowledge" if technical else kind
