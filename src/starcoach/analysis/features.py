"""Word-level cues the analyzer shares: tokens, past-tense verbs, fillers, and the STAR labels a user
writes in front of a line ("Result:", "**Action**:", "S:").

The STAR labeler no longer reads hand-made cue vectors from here (they fitted our own writing; see
docs/labeler-comparison.md): its features are in ngrams.py. Pure functions over strings; no I/O.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?|[$%]")
LABEL_PREFIX = re.compile(
    r"^\W*(situation|context|background|setting|task|goal|objective|challenge|problem|"
    r"actions?|approach|what i did|steps?|results?|outcome|impact|learnings?|lessons?|key|takeaway)"
    r"\W{0,3}[:\-\u2013]",
    re.I,
)
_LETTER_LABEL = re.compile(r"^\W*([STAR])\W{0,2}:\s")
_LETTERS = {"S": "situation", "T": "task", "A": "action", "R": "result"}
_PREFIX_GROUP = {
    "situation": 0, "context": 0, "background": 0, "setting": 0,
    "task": 1, "goal": 1, "objective": 1, "challenge": 1, "problem": 1,
    "action": 2, "actions": 2, "approach": 2, "what i did": 2, "step": 2, "steps": 2,
    "result": 3, "results": 3, "outcome": 3, "impact": 3,
    "learning": 4, "learnings": 4, "lesson": 4, "lessons": 4, "key": 4, "takeaway": 4,
}
FILLERS = frozenset(
    ["um", "uh", "erm", "er", "hmm", "like", "basically", "actually", "literally", "yeah", "okay", "ok"]
)
_IRREGULAR_PAST = frozenset(
    [
        "was", "were", "had", "did", "made", "took", "went", "got", "saw", "found", "gave", "told",
        "thought", "knew", "felt", "became", "began", "brought", "built", "bought", "caught", "chose",
        "came", "drew", "drove", "fell", "fought", "forgot", "grew", "heard", "held", "hid", "hit", "kept",
        "led", "left", "lost", "meant", "met", "paid", "put", "ran", "read", "rose", "said", "sent", "set",
        "shut", "sat", "slept", "spent", "spoke", "stood", "stuck", "taught", "understood", "won", "wrote",
        "overcame", "rebuilt", "rewrote", "shipped",
    ]
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers kept as written)."""
    return WORD.findall(text.lower())


def is_past(w: str) -> bool:
    return w in _IRREGULAR_PAST or (len(w) > 4 and w.endswith("ed"))


def explicit_part(text: str) -> str | None:
    """The STAR part a sentence is explicitly labeled with ("Result: ..."), if any."""
    letter = _LETTER_LABEL.match(text)
    if letter:
        return _LETTERS[letter.group(1)]
    bare = re.sub(r"[\W_]+", " ", text).strip().lower()
    m = LABEL_PREFIX.match(text)
    if bare in _PREFIX_GROUP:
        label = bare
    elif m:
        label = m.group(1).lower()
    else:
        return None
    group = _PREFIX_GROUP.get(label, 4)
    if group < 4:
        return ("situation", "task", "action", "result")[group]
    return "result" if label.startswith(("learning", "lesson")) else None
