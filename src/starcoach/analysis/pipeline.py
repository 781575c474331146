"""The answer analyzer: text in, :class:`~starcoach.analysis.types.Analysis` out.

``analyze(answer, question)`` runs: validate -> split into sentences -> label STAR -> signals ->
question awareness (type checks, talking points, relevance) -> quality gates -> seven dimensions and
an overall score -> suggestions and follow-ups. Pure and deterministic: the same input always gives
the same output (no clock, no randomness). The embedder is loaded lazily once per process; without
it the analysis still runs and lists the skipped checks in ``Analysis.skipped``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import replace

from starcoach.analysis import content, feedback, signals
from starcoach.analysis.concepts import humble_brag
from starcoach.analysis.dimensions import Facts, all_dimensions
from starcoach.analysis.embed import Embedder, default_embedder
from starcoach.analysis.features import explicit_part, is_past, tells_episode, words
from starcoach.analysis.labeler import StarLabeler, load_labeler
from starcoach.analysis.quality import assess
from starcoach.analysis.questions import QuestionInfo, closing_check, resolve, weakness_check
from starcoach.analysis.relevance import cover_points, relevance
from starcoach.analysis.scoring import (
    FULL_AT,
    GATE_CAPS,
    MIN_WORDS,
    WPM,
    Penalties,
    Scored,
    overall,
    result_doubt,
)
from starcoach.analysis.segment import split_sentences
from starcoach.analysis.topics import answer_topics
from starcoach.analysis.types import Analysis, Flag, QuestionRef, Sentence, Span
from starcoach.bank.model import Question
from starcoach.errors import AnswerError, InputError

MAX_CHARS = 20_000  # about 3,000 words, 20 minutes of speech: far beyond any interview answer
OFF_TOPIC_FROM = 0.5  # off-topic penalty needs the answer to fit over half the other questions better
OFF_TOPIC_FIT = 0.3  # and the relevance model to give its own question under this probability
REFLECTIVE_STORY_AT = 0.6  # answer cue score (two or more conflict words, see topics.py)
NARRATIVE_PAST_SHARE = 0.05  # past-tense verbs per word from which an answer reads as a story
# The labeler rescales each part's presence probability so that 0.5 is its calibrated threshold
# (chosen on out-of-fold answers of other authors, training/labeler_fit.py).
PRESENT_AT = {"situation": 0.5, "action": 0.5, "result": 0.5}


class Auto(enum.Enum):
    """Marker for "use the bundled embedder if it is installed"."""

    EMBEDDER = "auto"


AUTO = Auto.EMBEDDER


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")  # controls but tab and line breaks; U+FFFD
_SURROGATE = re.compile("[\ud800-\udfff]")  # only JSON's "\\ud800" escapes make these; no encoder takes them


def broken_text(text: str, what: str) -> str | None:
    """The one-line complaint when ``text`` holds an unpaired UTF-16 surrogate (it cannot be encoded)."""
    bad = _SURROGATE.search(text)
    if bad is None:
        return None
    return f"the {what} contains a broken character (an unpaired \\u{ord(bad[0]):04x} escape); send it as UTF-8 text"


def validate(answer: object) -> str:
    """Return the answer text or raise AnswerError with one clear line."""
    if isinstance(answer, bytes | bytearray):
        raise AnswerError("the answer is bytes, not text; decode it as UTF-8 first")
    if not isinstance(answer, str):
        raise AnswerError(f"the answer must be text, not {type(answer).__name__}")
    if len(answer) > MAX_CHARS:
        raise AnswerError(f"the answer is {len(answer):,} characters long; the limit is {MAX_CHARS:,} "
                          "(about 3,000 words)")
    if not answer.strip():
        raise AnswerError("the answer is empty")
    if (broken := broken_text(answer, "answer")) is not None:
        raise AnswerError(broken)
    controls = len(_CONTROLS.findall(answer))
    if "\x00" in answer or controls > max(2, len(answer) // 100):
        raise AnswerError("the answer looks like binary data, not text")
    if not re.search(r"[^\W\d_]", answer):
        raise AnswerError("the answer has no words in it")
    return answer


def _label(lab: StarLabeler, texts: list[str]) -> tuple[list[tuple[str, float]], dict[str, float]]:
    labels, presence = lab.run(texts)
    return _explicit_labels(texts, labels, presence)


def _explicit_labels(
    texts: list[str], labels: list[tuple[str, float]], presence: dict[str, float]
) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """Labels the user wrote ("Result: ...", "**Action**:", "S:") win. In an answer with two or more
    labels, a label holds for the sentences after it until the next label."""
    parts = [explicit_part(t) for t in texts]
    carry = len({p for p in parts if p is not None}) >= 2
    out = list(labels)
    seen = dict(presence)
    current: str | None = None
    for i, part in enumerate(parts):
        if part is not None:
            current = part
        elif not carry:
            current = None
        if current is not None:
            out[i] = (current, 0.99)
            seen[current] = 1.0
    return out, seen


def _drop_absent(sents: list[Sentence], presence: dict[str, float]) -> list[Sentence]:
    """When the presence detector says a part is absent, its sentences take the next-best label that
    is not itself absent (a dropped result must not turn into an action the detector also ruled out)."""
    absent = {p for p, prob in presence.items() if prob < PRESENT_AT.get(p, 0.5)}
    if "result" in absent and sents and sents[-1].star == "result" and content.measured_change(sents[-1].text):
        absent.discard("result")  # a closing sentence that measures a change is a result, whatever the model says
    if not absent or all(s.star not in absent for s in sents):
        return sents
    out = []
    for s in sents:
        if s.star in absent:
            s = Sentence(s.text, s.start, s.end, _fallback(s.star, absent), round(1.0 - s.confidence, 3))
        out.append(s)
    return out


_FALLBACK = {"result": ("action", "situation", "task"), "action": ("situation", "task"),
             "situation": ("task",)}


def _fallback(part: str, absent: set[str]) -> str:
    return next((p for p in _FALLBACK.get(part, ()) if p not in absent), "other")


def _shares(sents: Sequence[Sentence]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for s in sents:
        counts[s.star] = counts.get(s.star, 0) + signals.word_count(s.text)
    total = max(1, sum(counts.values()))
    return {k: round(counts.get(k, 0) / total, 3) for k in ("situation", "task", "action", "result", "other")}


def off_topic(q: QuestionInfo, f: Facts) -> float:
    """0..1: the relevance model finds the answer unlikely to be about this question and most other
    bank questions fit it better."""
    if not q.text or f.relevance.semantic is None:
        return 0.0
    unlikely = min(1.0, max(0.0, (OFF_TOPIC_FIT - f.relevance.fit) / OFF_TOPIC_FIT))
    far = min(1.0, max(0.0, (f.relevance.rank_share - OFF_TOPIC_FROM) / (1.0 - OFF_TOPIC_FROM)))
    return round(unlikely * far, 4)


def tells_failure_or_conflict(text: str) -> bool:
    """A story of a mistake or a fight calls for a lesson whatever the question was: the leniency for
    questions that do not ask for one must not reward moving such a story to another question."""
    return answer_topics(text)["conflict"] >= REFLECTIVE_STORY_AT or content.admits_mistake(text)


def is_narrative(text: str) -> bool:
    """Does the answer tell a past story (rather than describe a method in the present tense)?"""
    ws = words(text)
    return sum(1 for w in ws if is_past(w)) >= NARRATIVE_PAST_SHARE * max(1, len(ws))


def holds_to_star(q: QuestionInfo, narrative: bool) -> bool:
    """Self and closing answers are never held to STAR (they are judged on specificity and fit, and on
    their questions); an approach answer only when it tells a story as its example (or the "question"
    was a story's title typed as a method question)."""
    return q.type == "story" or (q.type == "approach" and narrative)


def _missing(q: QuestionInfo, sents: Sequence[Sentence], result_shown: bool, narrative: bool) -> tuple[str, ...]:
    """STAR parts a story lacks (see holds_to_star for which answers are stories)."""
    present = {s.star for s in sents}
    if not holds_to_star(q, narrative):
        return ()
    if result_shown:
        present.add("result")
    return tuple(p for p in ("situation", "action", "result") if p not in present)


def missing_parts(q: QuestionInfo, f: Facts) -> tuple[str, ...]:
    # A closing sentence that measures a change ("I rewrote it, and p99 fell to 240 ms") shows the
    # result even when the labeler calls it the action; so does, after a mistake, what changed since
    # or the lesson it closes on.
    return _missing(q, f.sentences, f.result_shown, f.narrative)


def _not_echoed(spans: list[Span], question: str) -> list[Span]:
    """Vague words the question itself used ("when everything seems urgent") are the answer echoing
    it, not vagueness."""
    asked = set(re.findall(r"[a-z']+", question.lower()))
    return [sp for sp in spans if not set(re.findall(r"[a-z']+", sp.text.lower())) <= asked]


def _in(spans: list[Span], sents: Sequence[Sentence]) -> list[Span]:
    return [sp for sp in spans if any(s.start <= sp.start < s.end for s in sents)]


def analyze(answer: str, question: Question | str | None = None, *,
            embedder: Embedder | Auto | None = AUTO) -> Analysis:
    """Analyze one answer to one question (a bank Question, free text, or None)."""
    text = validate(answer)
    if isinstance(question, str) and (broken := broken_text(question, "question")) is not None:
        raise InputError(broken)
    emb = default_embedder() if isinstance(embedder, Auto) else embedder
    if isinstance(question, Question) and question.type == "knowledge":
        from starcoach.analysis import knowledge  # graded by the model answer's points, not STAR

        return knowledge.grade(text, question, emb)
    q = resolve(question)
    skipped = [] if emb is not None else ["relevance-semantic", "points-semantic"]
    facts, found, nums = gather(text, q, emb)
    return _assemble(text, q, facts, found, nums, skipped)


def gather(text: str, q: QuestionInfo, emb: Embedder | None) -> tuple[Facts, dict[str, list[Span]], list[Span]]:
    """Everything the scorer needs from one answer: labeled sentences, signals, question checks."""
    spans = split_sentences(text)
    lab = load_labeler()
    labels, presence = _label(lab, [s.text for s in spans])
    sents = tuple(_drop_absent(
        [Sentence(s.text, s.start, s.end, lbl, conf) for s, (lbl, conf) in zip(spans, labels, strict=True)],
        presence))
    lessons = content.lessons(sents)
    found = {
        "filler": signals.fillers(text), "hedge": signals.hedges(text), "blame": signals.blame(text),
        "vague": _not_echoed(signals.vague(text), q.text),
        "reflection": sorted([*lessons.changed, *lessons.stated, *lessons.generic], key=lambda sp: sp.start),
    }
    nums = signals.numbers(text)
    actions = [s for s in sents if s.star == "action"]
    results = [s for s in sents if s.star == "result"]
    own = signals.ownership(text, actions)
    words = signals.word_count(text)
    quality = assess(text, q.text, MIN_WORDS.get(q.type, 25), lab.known_pair_share)
    rel = relevance(text, q, emb)
    points = tuple(cover_points(q, sents, lessons, emb))
    named = len(signals.named_things(text, sents))
    said = signals.plain(text)
    checks = weakness_check(said) if q.is_weakness else closing_check(said) if q.type == "closing" else {}
    # a method answer is a story only when it tells what happened; any other answer also when the
    # labeler finds a setting (a story told in the present tense)
    narrative = tells_episode(text) if q.type == "approach" else (
        is_narrative(text) or any(s.star == "situation" for s in sents))
    facts = Facts(
        qtype=q.type,
        expects_reflection=q.expects_reflection or (narrative and tells_failure_or_conflict(text)),
        sentences=sents, words=words,
        seconds=words / WPM * 60, share=_shares(sents), numbers=len(nums),
        numbers_in_result=len(_in(nums, results)), ownership=own, fillers=len(found["filler"]),
        hedges=len(found["hedge"]), blame=len(found["blame"]), reflections=len(lessons.stated + lessons.changed),
        named=named, vague=len(found["vague"]), relevance=rel,
        points=points, quality=quality, checks=checks,
        narrative=narrative,
        lessons=lessons, vagueness=content.vagueness(text, words, len(nums) + named),
        outcome=any(s.star == "result" and content.substantive(s.text) for s in sents),
        humble_brag=humble_brag(text), self_kind=q.self_kind,
    )
    closes = bool(sents) and (content.measured_change(sents[-1].text) or content.closing_outcome(sents[-1].text))
    # after a mistake or a conflict the lesson is the outcome asked for: what changed since, anywhere,
    # or a lesson stated as the story closes
    ending = sents[-2:] if sents else ()
    closing_lesson = any(ending[0].start <= sp.start for sp in lessons.stated) if ending else False
    learned = facts.expects_reflection and (bool(lessons.changed) or closing_lesson)
    evidence = 1.0 if closes or learned else min(1.0, presence.get("result", 1.0))
    facts = replace(facts, result_shown=closes or learned, result_evidence=evidence)
    return facts, found, nums


def score_inputs(text: str, q: QuestionInfo, f: Facts, found: dict[str, list[Span]],
                 ) -> tuple[dict[str, Scored], Penalties, list[str]]:
    """The dimensions, the penalties and the quality gates the overall score is made of."""
    dims = all_dimensions(f)
    gates = list(f.quality.gates)
    if f.quality.too_short:
        gates.append("too-short")
    off = off_topic(q, f)
    if off >= 0.5 and not gates:
        gates.append("off-topic")
    blamed = sum(signals.word_count(s.text) for s in f.sentences
                 if any(s.start <= b.start < s.end for b in found["blame"]))
    full_at = FULL_AT.get(q.type, 80)
    pen = Penalties(content_words=f.quality.words - blamed, full_at=full_at, blame=f.blame,
                    fillers_per_100=f.per100(f.fillers), off_topic=off, vague=f.vagueness.value,
                    relevance=dims["relevance"].value, misses_points=f.point_share == 0.0,
                    unsure_result=result_doubt(f.result_evidence) if q.type == "story" else 0.0)
    return dims, pen, gates


def _assemble(text: str, q: QuestionInfo, f: Facts, found: dict[str, list[Span]], nums: list[Span],
              skipped: list[str]) -> Analysis:
    dims, pen, gates = score_inputs(text, q, f, found)
    values = {k: d.value for k, d in dims.items()}
    score = overall(values, pen, tuple(g for g in gates if g in GATE_CAPS))
    flags: list[Flag] = []
    for kind in ("filler", "hedge", "blame", "vague"):
        flags += signals.flags_from(kind, found[kind])
    if f.ownership.i_share < 0.4:
        flags += signals.flags_from("we-action", f.ownership.spans_we)
    for gate in gates:
        flags.append(Flag(gate, text[:80], 0, min(len(text), 80)))
    flags.sort(key=lambda fl: (fl.start, fl.end, fl.kind))
    results = [s for s in f.sentences if s.star == "result"]
    return Analysis(
        question=QuestionRef(q.id, q.text, q.type, q.why),
        score=score,
        sentences=f.sentences,
        missing=missing_parts(q, f),
        dimensions={k: d.dimension() for k, d in dims.items()},
        points=f.points,
        flags=tuple(flags),
        words=f.words,
        speaking_seconds=round(f.seconds),
        suggestions=tuple(feedback.suggestions(f, dims, gates, found, results[0].text if results else None)),
        follow_ups=tuple(feedback.follow_ups(f, q.follow_ups, gates)),
        signals=_signals_dict(f, nums, found),
        scope=signals.scope(text),
        skipped=tuple(skipped),
    )


def _signals_dict(f: Facts, nums: list[Span], found: dict[str, list[Span]]) -> dict[str, object]:
    def sp(spans: list[Span]) -> list[dict[str, object]]:
        return [{"text": s.text, "start": s.start, "end": s.end} for s in spans]

    def per100(n: int) -> float:
        return round(f.per100(n), 2)

    return {
        "numbers": sp(nums),
        "numbers_in_result": f.numbers_in_result,
        "ownership": {"i": f.ownership.i_count, "we": f.ownership.we_count,
                      "i_share": round(f.ownership.i_share, 3)},
        "fillers_per_100": per100(f.fillers),
        "hedges_per_100": per100(f.hedges),
        "blame": sp(found["blame"]),
        "reflection": sp(found["reflection"]),
        "specificity": {"named": f.named, "vague": f.vague, "numbers": f.numbers},
        "star_share": f.share,
        "relevance": {"value": round(f.relevance.value, 3), "semantic": f.relevance.semantic,
                      "lexical": f.relevance.lexical, "closer_questions": f.relevance.closer_questions,
                      "rank_share": f.relevance.rank_share, "fit": f.relevance.fit},
        "quality": {"sequence_pmi": f.quality.sequence_pmi, "buzz_rate": f.quality.buzz_rate,
                    "copy_share": f.quality.copy_share},
    }
