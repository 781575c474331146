"""The rule classifier that typed questions before the trained one (a frozen copy of the phrase cues of
starcoach.bank.classify at commit dc35073), kept as the baseline for training/eval_question_types.py.

story/approach/self/closing come from the old ``question_type``; a question the old ``is_technical``
called technical counts as knowledge (what a technical document's import made of it).
"""

from __future__ import annotations

import re


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_PERSONAL = _rx(
    r"\b(you|your|yourself|you've|you're|you'd)\b",
    r"\btell me\b",
    r"\bgive (me )?an example\b",
    r"^\s*(describe|share|walk me through) (a|an|one)\b",
)


_CLOSING = _rx(
    r"\bquestions? for (us|me|the team|the interviewer)\b",
    r"\bany questions\b",
    r"\banything (else )?you('d| would) like to ask\b",
)


_SELF = _rx(
    r"\bstrengths?\b",
    r"\bweakness(es)?\b",
    r"\bwhy (do|would) you want\b",
    r"\bwhy (this|our) (company|team|role)\b",
    r"\bwhy (here|us)\b",
    r"\bwork (here|for us|at)\b",
    r"\blooking for\b",
    r"\bwhere do you see yourself\b",
    r"\btell me about yourself\b",
    r"\bwhy should we hire\b",
    r"\bwhat motivates\b",
    r"\bcareer goals?\b",
    r"\bwhy (are|did) you leav",
    r"\bproudest\b",
    r"\bwhy (are|were) you interested\b",
    r"\binterested in (this|the|our) (role|position|job|company|team)\b",
)


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


_TECHNICAL = _rx(
    r"^\W*(what|which) (is|are|was|does|do) (a|an|the)?\s*(?!your?\b)",
    r"^\W*(explain|define|describe|compare|contrast|derive|implement|compute|calculate|write|design)\b"
    r"(?! (a|an|one) (time|situation|occasion|project|experience|example|mistake|failure|challenge))",
    r"\bdifference between\b",
    r"\b(vs\.?|versus)\b",
    r"^\W*how (does|do|is|are|can|would) (?!you\b)(a|an|the|we|one)?\s*\w+.*\b(work|compute|implement|handle|"
    r"differ|calculate|choose|avoid|fix|detect|prevent|design|serve|scale|interpret)",
    r"^\W*why (is|are|does|do|would|should|can)\b(?!.*\b(you want|work here|leave)\b)",
    r"^\W*when (would|should|do) (you|we|one) (use|choose|prefer|pick)\b",
    r"\$[^$]+\$",  # a formula
    r"`[^`]+`",  # code
)


_A_TIME = _rx(r"\b(a|one) time\b", r"\btell me about\b", r"\bhave you ever\b",
             r"\bgive (me )?an example (of a time |of when |when )?(you|where you)\b")


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
