"""Misconceptions in a knowledge answer: statements that contradict a point of the model answer.

Four rules, each tied to one point and one clause of the answer (both spans are reported):

- ``negation``: the answer states a claim the model answer denies with an emphasised "**not**"
  ("the p-value is the probability that the null is true"), or flips the polarity of a point it
  otherwise repeats closely;
- ``swapped``: a clause names one labeled point ("Type I") but says what a sibling point says
  ("failing to reject a false null");
- ``opposite``: a clause follows one point but with a word turned into its opposite ("known" for
  "unknown", "large" for "small");
- ``complexity``: a big-O the model answer does not give, next to a point that gives one.

Pure functions. Coverage and scoring live in :mod:`starcoach.analysis.knowledge`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

from starcoach.analysis.keypoints import (
    BIG_O,
    GENERIC_LABEL,
    NEGATIONS,
    STOP,
    KeyPoint,
    name_pattern,
    negated,
    norm_o,
    plain,
    stem,
    terms,
    tokens,
    wordset,
)
from starcoach.analysis.types import Misconception, Span

_PAIRS = """small/large small/big low/high lower/higher less/more fewer/more increase/decrease
increase/reduce increase/lower increase/eliminate known/unknown true/false before/after fast/slow
faster/slower quickly/slowly overfit/underfit positive/negative mutable/immutable min/max minimum/maximum
minimize/maximize independent/dependent parallel/sequential parallel/sequentially
always/never biased/unbiased supervised/unsupervised sparse/dense shallow/deep stateless/stateful
synchronous/asynchronous horizontal/vertical row/column past/future left/right first/last
linear/nonlinear convex/nonconvex contiguous/noncontiguous contiguous/scattered inside/outside
add/remove cheap/expensive underestimate/overestimate bidirectional/unidirectional precision/recall
bias/variance global/local static/dynamic lazy/eager upper/lower floor/ceiling
single/multiple finite/infinite continuous/discontinuous primary/secondary every/only all/only
removing/adding grow/shrink vanishing/exploding stack/queue parallel/sequence
 continuous/scattered exact/round precise/round
add/multiply greedy/global greedy/random pure/impure pure/mixed"""
ANTONYMS: dict[str, set[str]] = {}
for _pair in _PAIRS.split():
    _a, _b = (stem(w) for w in _pair.split("/"))
    ANTONYMS.setdefault(_a, set()).add(_b)
    ANTONYMS.setdefault(_b, set()).add(_a)
_PREFIXES = ("non", "un", "in", "im")

_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:and|so|which)\s+|,?\s+whereas\s+|,\s+while\s+|,?\s+but\s+|,\s+unlike\s+|\s+vs\.?\s+", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(instead of|rather than|unlike|brute[- ]force|naive|compared (to|with))\b", re.I)
DENIED_EXTRA_MAX = 2  # a denied claim stated with this many words of other points at most
SWAP_HITS = 2  # distinctive words of the sibling point a swapped clause must use


def has_term(t: str, pool: frozenset[str]) -> bool:
    """Is stem ``t`` (or a stem it abbreviates: 'curr' for 'current') in ``pool``?"""
    if t in pool:
        return True
    if len(t) < 4:
        return False
    return any(len(u) >= 4 and (u.startswith(t) or t.startswith(u)) for u in pool)


def _hits(want: frozenset[str], pool: frozenset[str]) -> int:
    return sum(1 for t in want if has_term(t, pool))


def clauses(text: str, spans: Sequence[Span]) -> list[Span]:
    """Sentences cut at ';', 'whereas', ', while', 'but', 'vs': a comparison states two claims."""
    out: list[Span] = []
    for s in spans:
        start = s.start
        for m in _CLAUSE_BREAK.finditer(text, s.start, s.end):
            if m.start() > start:
                out.append(Span(text[start:m.start()], start, m.start()))
            start = m.end()
        if s.end > start:
            out.append(Span(text[start:s.end], start, s.end))
    return [c for c in out if c.text.strip()]


def misconceptions(text: str, spans: Sequence[Span], kps: Sequence[KeyPoint],
                   weights: dict[str, float], question_terms: frozenset[str] = frozenset()) -> Iterator[Misconception]:
    """Every clause that contradicts a point, at most one per clause, in text order."""
    known_o = {norm_o(o) for kp in kps for o in BIG_O.findall(kp.text)}
    slots = [(kp, number_slots(plain(kp.text))) for kp in kps]
    for c in clauses(text, spans):
        ct = terms(c.text)
        if _states_denial(c, ct, kps):
            continue  # 'it is not the probability that the null is true': right, and nothing else to check
        found = (_denied(c, ct, kps, question_terms) or _swapped(c, ct, kps)
                 or _opposite(c, ct, kps, weights) or _complexity(c, ct, kps, known_o)
                 or _number(c, kps, slots))
        if found is not None:
            yield found


def _wrong(kind: str, c: Span, kp: KeyPoint, why: str) -> Misconception:
    return Misconception(kind, c.text.strip(), c.start + (len(c.text) - len(c.text.lstrip())),
                         c.start + len(c.text.rstrip()), kp.index, kp.text, why)


def _denied(c: Span, ct: frozenset[str], kps: Sequence[KeyPoint], qterms: frozenset[str]) -> Misconception | None:
    if negated(c.text):
        return None
    for kp in kps:
        for claim in kp.denied:
            if _hits(claim, ct) < max(2, math.ceil(0.67 * len(claim))):
                continue
            others = frozenset().union(*(k.terms for k in kps)) - claim - qterms
            extra = sum(1 for t in ct - claim - qterms if t in others and not t.isdigit())
            if extra <= DENIED_EXTRA_MAX:
                return _wrong("negation", c, kp, "the model answer says this is not so")
    return None


def _states_denial(c: Span, ct: frozenset[str], kps: Sequence[KeyPoint]) -> bool:
    return negated(c.text) and any(_hits(claim, ct) >= max(2, math.ceil(0.67 * len(claim)))
                                   for kp in kps for claim in kp.denied)


def named_points(kps: Sequence[KeyPoint]) -> list[tuple[KeyPoint, re.Pattern[str]]]:
    """Points with a name of their own ('Type I', '`np.dot`'), when a question has two or more."""
    labeled = [(kp, p) for kp in kps if kp.name and not GENERIC_LABEL.match(plain(kp.name))
               and (p := name_pattern(kp.name)) is not None]
    return labeled if len(labeled) >= 2 else []


def names_in(text: str, ct: frozenset[str], labeled: Sequence[tuple[KeyPoint, re.Pattern[str]]]) -> list[KeyPoint]:
    """The named points a text mentions by name: the label as written, or all its words that no other
    label shares ('t-test' is not named by 'test', which 'z-test' has too)."""
    out = []
    for kp, p in labeled:
        others = frozenset().union(*(k.label_terms for k, _ in labeled if k is not kp))
        own = kp.label_terms - kp.aside - _GENERIC_WORDS - others
        if p.search(text) or _names(own, ct):
            out.append(kp)
    return out


def _swapped(c: Span, ct: frozenset[str], kps: Sequence[KeyPoint]) -> Misconception | None:
    labeled = named_points(kps)
    if not labeled:
        return None
    named = names_in(c.text, ct, labeled)
    if len(named) != 1:
        return None
    a = named[0]
    for b, _ in labeled:
        if b is a:
            continue
        da = _hits(a.terms - b.terms - a.label_terms, ct)
        db = _hits(b.terms - a.terms - b.label_terms, ct)
        if a.label_terms and a.label_terms <= b.terms - b.label_terms:
            continue  # B's own text is about A ('100GB CSV: a generator reads one line...')
        need = min(SWAP_HITS, len(b.terms - a.terms - b.label_terms))
        if (db >= max(1, need) and da == 0) or (db >= SWAP_HITS + 1 and da <= 1 and db >= da + 2):
            other = plain(b.name) if b.name else "another point"
            return _wrong("swapped", c, a, f"this is what the model answer says of {other}, not {plain(a.name)}")
    return None


_GENERIC_WORDS = frozenset(stem(w) for w in wordset("solution impact usage problem example pros cons rule rules "
                                                    "step steps key note idea"))


def _names(label_terms: frozenset[str], ct: frozenset[str]) -> bool:
    """Does the clause use every word of a label ('Info Gain' in 'information gain', not 'Database' in 'data')?"""
    return bool(label_terms) and all(t in ct or any(len(t) >= 4 and u.startswith(t) for u in ct)
                                     for t in label_terms)


def _best(ct: frozenset[str], kps: Sequence[KeyPoint], weights: dict[str, float]) -> list[tuple[float, int, KeyPoint]]:
    scored = []
    for kp in kps:
        hits = [t for t in kp.terms if has_term(t, ct)]
        total = sum(weights.get(t, 1.0) for t in kp.terms) or 1.0
        scored.append((sum(weights.get(t, 1.0) for t in hits) / total, len(hits), kp))
    return sorted(scored, key=lambda x: (-x[0], -x[1], x[2].index))


def opposites(sx: str) -> set[str]:
    """Stems that say the opposite of stem ``sx``: from the table, or by a negating prefix."""
    out = set(ANTONYMS.get(sx, ()))
    for pre in _PREFIXES if len(sx) >= 4 else ():
        out.add(pre + sx)
        if sx.startswith(pre) and len(sx) - len(pre) >= 4:
            out.add(sx[len(pre):])
    return out


def _units(kp: KeyPoint) -> list[frozenset[str]]:
    """A point cut into its clauses ('Lists are mutable', 'tuples are immutable')."""
    parts = re.split(r"[.;,:]\s+|\s+(?:while|whereas|but)\s+|\n", plain(kp.text))
    return [t for t in (terms(x) for x in parts) if t]


def _opposite(c: Span, ct: frozenset[str], kps: Sequence[KeyPoint], weights: dict[str, float]) -> Misconception | None:
    """A word of the clause whose opposite the best-matching point says (the opposite counts as a match)."""
    ranked = _best(ct, kps, weights)
    toks = tokens(c.text)
    said = [(i, stem(x), x) for i, x in enumerate(toks) if (x not in STOP or x in _QUANTIFIERS)
            and not any(t in NEGATIONS or t.endswith("n't") for t in toks[max(0, i - 2):i])]
    top = ranked[0][0] if ranked else 0.0
    ranked = [r for r in ranked if r[0] >= RIVAL_SHARE * top]
    for lex, hits, kp in ranked:
        bonus = sum(1 for _, sx, _ in said if any(_exact(sa, kp.terms) for sa in opposites(sx)))
        total = sum(weights.get(t, 1.0) for t in kp.terms) or 1.0
        if hits + min(1, bonus) < min(2, len(kp.terms)) or lex + min(1, bonus) / total < OPPOSITE_LEX:
            continue
        for _, sx, x in said:
            found = _contradicts(c, ct, kp, kps, sx, x)
            if found is not None:
                return found
    for lex, hits, kp in ranked[:1]:
        found = _flipped(c, ct, kp, lex, hits)
        if found is not None:
            return found
    return None


OPPOSITE_LEX = 0.3
RIVAL_SHARE = 0.8  # only points that match the clause nearly as well as the best one are checked
_QUANTIFIERS = frozenset(("all", "only", "every"))


def _exact(t: str, pool: frozenset[str]) -> bool:
    """Like has_term, but an abbreviation must be 5 letters or more (for opposites and polarity)."""
    return t in pool or (len(t) >= 5 and any(len(u) >= 5 and (u.startswith(t) or t.startswith(u)) for u in pool))


def _contradicts(c: Span, ct: frozenset[str], kp: KeyPoint, all_kps: Sequence[KeyPoint],
                 sx: str, x: str) -> Misconception | None:
    for sa in sorted(opposites(sx)):
        if not _exact(sa, kp.terms) or _exact(sa, ct):
            continue
        if not _exact(sx, kp.terms):
            if not any(_exact(sx, k.terms) and k is not kp for k in all_kps):
                return _wrong("opposite", c, kp, f"the model answer says '{sa}...' here, not '{x}'")
        elif _misattributed(kp, sx, sa, ct):
            return _wrong("swapped", c, kp, f"the model answer says '{x}' of something else")
    return None


def _misattributed(kp: KeyPoint, sx: str, sa: str, ct: frozenset[str]) -> bool:
    """Both words are in the point, each in its own clause: does the answer give ``sx`` to the subject
    of the clause that says ``sa`` ('tuples are mutable' against 'lists are mutable, tuples are immutable')?"""
    for ua in (u for u in _units(kp) if sa in u and sx not in u):
        for ux in (u for u in _units(kp) if sx in u and sa not in u):
            da, dx = ua - ux - {sa}, ux - ua - {sx}
            if len(da) <= 3 and len(dx) <= 3 and _hits(da, ct) >= 1 and _hits(dx, ct) == 0:
                return True
    return False


def _flipped(c: Span, ct: frozenset[str], kp: KeyPoint, lex: float, hits: int) -> Misconception | None:
    """A clause that says a point's words but denies what the point affirms (or affirms what it denies).
    Only words under a negation count ('does not use the chain rule'), so 'without copying data' next
    to a point about shapes contradicts nothing."""
    if kp.denied or hits < 2:
        return None
    close = lex >= FLIP_LEX or hits >= FLIP_HITS
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n", kp.plain) if s.strip()]
    closest = max(sentences, key=lambda s: (_hits(terms(s), ct), -len(s)))
    p_aff, p_neg = polarity(closest)
    c_aff, c_neg = polarity(c.text)
    p_aff, p_neg = (p_aff - p_neg) & kp.terms, (p_neg - p_aff) & kp.terms
    c_neg = c_neg - c_aff
    if any(_exact(o, p_aff) for t in c_neg for o in opposites(t)):
        return None  # 'does not depend on' says what 'independent of' says
    says = [t for t in p_aff if len(t) > 3]  # short stems ('new' in 'W_new') prove nothing
    denies_ = [t for t in p_neg if len(t) > 3]
    negated_said = [t for t in says if _exact(t, c_neg)]
    if (close and len(negated_said) >= FLIP_NEGATED) or any(_exact(t, c_aff - c_neg) for t in denies_):
        return _wrong("negation", c, kp, "the model answer says the opposite")
    return None


_VERBAL = wordset("not never cannot")
# Words that dismiss what comes before them: 'a feature store is unnecessary', 'writes never limit it'.
_DISMISS = wordset("unnecessary unneeded useless pointless irrelevant overrated")
# Outcomes that deny what comes before them: 'loading it all into RAM would crash the machine'.
_FAILS = wordset("crash crashes")
_DISMISSED_BY_NOT = wordset("needed necessary required important matter matters used limit limits")
# 'nothing' is left out: 'gains nothing from threads' denies no thread.
_DETERMINER = wordset("no without neither nor avoid avoids avoiding")
_SCOPE_STOP = wordset("that which who it they this these so and but")
FLIP_LEX = 0.5  # share of a point's words a clause must repeat before its negation counts against it
FLIP_HITS = 3  # ... or this many of its words
FLIP_NEGATED = 1  # point words the clause must deny
SCOPE = 4  # words after "no"/"without" that it bears on
VERB_SCOPE = 8  # words after "not"/"never" (the rest of the clause: "cannot load it into a list in RAM")


def polarity(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Content stems said plainly and stems under a negation: the next words, and for a verb's
    negation its subject too ('thresholds are never computed'), stopping at 'that'/'which'
    ('QPS that it cannot absorb') and at punctuation."""
    aff: set[str] = set()
    neg: set[str] = set()
    for segment in re.split(r"[.,;:()!?\"]|\s-\s", text):
        toks = tokens(segment)
        scoped = _negated_in(toks)
        neg |= terms(" ".join(toks[i] for i in scoped))
        aff |= terms(" ".join(t for i, t in enumerate(toks) if i not in scoped))
    for sentence in re.split(r"[.;!?](?:\s|$)", text):
        toks = tokens(sentence)
        at = next((i for i, t in enumerate(toks) if t in _FAILS), None)
        if at is not None:  # 'loading the whole file into RAM (a list) would crash': all of it is denied
            neg |= terms(" ".join(toks[:at]))
            aff -= neg
    return frozenset(t for t in aff if not t.isdigit()), frozenset(t for t in neg if not t.isdigit())


def negated_terms(text: str) -> frozenset[str]:
    return polarity(text)[1]


def _negated_in(toks: list[str]) -> set[int]:
    out: set[int] = set()
    for i, t in enumerate(toks):
        verbal = t in _VERBAL or t.endswith("n't")
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if t in _DISMISS or (verbal and nxt in _DISMISSED_BY_NOT):
            before = list(range(max(0, i - 6), i))
            cut = max((j for j, k in enumerate(before) if toks[k] in _SCOPE_STOP - {"and"}), default=-1)
            out |= set(before[cut + 1:])
            continue
        if not verbal and t not in _DETERMINER:
            continue
        if verbal and i + 1 < len(toks) and toks[i + 1] in ("only", "just"):
            continue
        after = list(range(i + 1, min(len(toks), i + 1 + (VERB_SCOPE if verbal else SCOPE))))
        after = after[: next((j for j, k in enumerate(after) if toks[k] in _SCOPE_STOP), len(after))]
        out |= set(after)  # a verb's subject is not what it denies ('a tuple never changes')
    return out


_VERBAL_NEG = re.compile(r"(?<!,)\s(?:not|never|cannot)\b(?!\s+(?:only|just|a|an|the)\b)|n't\b", re.IGNORECASE)


def denies(text: str) -> bool:
    """A verbal negation ('is not', "doesn't", 'never'), not 'without X' or ', not a class'."""
    return len(_VERBAL_NEG.findall(" " + text)) % 2 == 1


def _complexity(c: Span, ct: frozenset[str], kps: Sequence[KeyPoint], known: set[str]) -> Misconception | None:
    if not known or _CONTRAST.search(c.text):
        return None
    stated = [norm_o(o) for o in BIG_O.findall(c.text)]
    if not stated or all(o in known for o in stated):
        return None
    with_o = [kp for kp in kps if BIG_O.search(kp.text)]
    kp = max(with_o, key=lambda k: (_hits(k.terms, ct), -k.index))
    return _wrong("complexity", c, kp, "the model answer gives a different complexity")


_NUM_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:\^\{?-?\d+\}?)?|[a-z][a-z'-]*")
# "one" is left out: "the one we observed" is no number.
_NUM_WORDS = {"zero": "0", "single": "1", "two": "2", "three": "3", "four": "4", "five": "5", "ten": "10",
              "hundred": "100", "half": "0.5"}
NUMBER_CONTEXT = 3  # words either side of a number that say what it counts


def number_slots(text: str) -> list[tuple[str, frozenset[str]]]:
    """Each number of a text with the content words around it ('usually 0.05' -> ('0.05', {usual}))."""
    out: list[tuple[str, frozenset[str]]] = []
    for segment in re.split(r"[.;:!?](?:\s|$)|,\s(?=[a-z])", text.lower()):
        out += _slots_in(_NUM_TOKEN.findall(segment))
    return out


def _slots_in(toks: list[str]) -> list[tuple[str, frozenset[str]]]:
    out = []
    for i, t in enumerate(toks):
        value = _NUM_WORDS.get(t, t if t[0].isdigit() else "")
        if not value:
            continue
        near = toks[max(0, i - NUMBER_CONTEXT):i] + toks[i + 1:i + 1 + NUMBER_CONTEXT]
        ctx = terms(" ".join(w for w in near if not w[0].isdigit() and w not in _NUM_WORDS))
        out.append((value.replace("{", "").replace("}", ""), ctx))
    return out


Slots = list[tuple[KeyPoint, list[tuple[str, frozenset[str]]]]]


def _number(c: Span, kps: Sequence[KeyPoint], slots: Slots) -> Misconception | None:
    """A number said about the same thing as a number of the model answer, with another value."""
    if _CONTRAST.search(c.text):
        return None
    mine = number_slots(plain(c.text))
    said = {v for v, _ in mine}
    for value, ctx in mine:
        near = [(len(ctx & pctx), v, kp) for kp, theirs in slots for v, pctx in theirs if ctx & pctx]
        if not near:
            continue
        best = max(n for n, _, _ in near)
        closest = [(v, kp) for n, v, kp in near if n == best]
        if any(v == value or v in said for v, _ in closest):
            continue
        v, kp = closest[0]
        return _wrong("number", c, kp, f"the model answer gives {v} here, not {value}")
    return None
