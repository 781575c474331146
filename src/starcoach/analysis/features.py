"""Word-level cues the analyzer shares: tokens, past-tense verbs, fillers, and the STAR labels a user
writes in front of a line ("Result:", "**Action**:", "S:").

The STAR labeler no longer reads hand-made cue vectors from here (they fitted our own writing; see
docs/labeler-comparison.md): its features are in ngrams.py. Pure functions over strings; no I/O.
"""

from __future__ import annotations

import re

from starcoach.analysis.segment import split_sentences

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


# Past forms that are also present forms ("I read", "we set") say nothing about tense on their own.
_AMBIGUOUS_PAST = frozenset({"read", "set", "hit", "put", "shut", "cut", "let", "cost", "spread", "quit"})
_SUBJECT = frozenset({"i", "we", "he", "she", "they", "it", "this", "that", "team", "manager", "everyone"})
_BETWEEN = frozenset({"once", "then", "also", "quickly", "finally", "first", "later", "eventually", "just",
                      "immediately", "soon", "only", "still", "never", "actually", "personally", "instead"})
_FINITE_PAST = frozenset({"was", "were", "had", "did", "went"})


def tells_episode(text: str) -> bool:
    """Does a method answer tell something that happened (its example), not only how the speaker works?
    Two finite past verbs outside questions: "was/were/had/did/went", or a past form right after a
    subject ("I once prioritized", "this made") or opening a sentence of notes ("Asked the PM ...").
    Participles used as adjectives ("stay organized", "tasks based on", "webinars hosted by") do not
    count."""
    found = 0
    for sentence in split_sentences(text):
        if sentence.text.rstrip().endswith("?"):
            continue  # "Did I mismanage my time?" asks, it does not tell
        ws = words(sentence.text)
        for i, w in enumerate(ws):
            if w in _FINITE_PAST:
                found += 1
            elif is_past(w) and w not in _AMBIGUOUS_PAST and (i == 0 or _after_subject(ws, i)):
                found += 1  # at the start of a sentence: notes that drop the subject ("Asked the PM ...")
    return found >= 2


def _after_subject(ws: list[str], i: int) -> bool:
    j = i - 1
    if j >= 0 and ws[j] in _BETWEEN:
        j -= 1
    return j >= 0 and ws[j] in _SUBJECT
