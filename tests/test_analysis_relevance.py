"""Relevance: on-topic answers are never told they belong to another question; off-topic ones are.

The answers below were written for these tests (not taken from the training data). Each on-topic
answer plainly answers its question, so it must get relevance 4 or 5 and no "reads like an answer
to ..." suggestion; the same answers given to a question about something else must get relevance 2
or less and a lower overall score.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from starcoach.analysis.embed import default_embedder
from starcoach.analysis.pipeline import _drop_absent, analyze
from starcoach.analysis.questions import resolve
from starcoach.analysis.relevance import (
    N_FEATURES,
    ReferenceAnswers,
    _bank_matrix,
    bank_arrays,
    bank_key,
    content_words,
    load_map,
    one_question_prior,
    pair_features,
    pair_logits,
    question_prior,
)
from starcoach.analysis.topics import TOPICS, answer_topics, question_topics
from starcoach.analysis.types import Sentence
from starcoach.bank.builtin import builtin_bank
from starcoach.bank.model import Question

needs_embedder = pytest.mark.skipif(default_embedder() is None, reason="the WordLlama files are not installed")

CONFLICT = ("Last year at a fintech startup our team disagreed about the schema of the payments API. I owned "
    "the payments service, so I had to get us to a decision before the next release. First I restated my "
    "colleague's concerns until she agreed I had them right. Then I built a quick benchmark of both designs "
    "and shared the numbers with the team. As a result we shipped the new schema two weeks early and p95 "
    "latency dropped by 30%. I learned to bring data into a disagreement early.")
MENTOR = ("Two years ago a junior engineer, Priya, joined my team straight out of a bootcamp and was afraid "
    "to touch our deployment scripts. As her assigned mentor I wanted her shipping on her own within a "
    "quarter. I set up a weekly one-hour pairing session and let her drive while I only asked questions. "
    "I picked small tickets that each taught one part of the stack and reviewed her pull requests the same "
    "day with written explanations. After three months she deployed on her own, and by the end of the year "
    "she was mentoring the next new hire herself. Teaching her showed me how much of our setup was "
    "undocumented, so I now write a short guide whenever I explain something twice.")
FAILED = ("At my previous job I pushed a database migration on a Friday without testing it against a copy "
    "of production data. It locked the orders table and checkout was down for forty minutes. I was the one "
    "who wrote and ran the migration, so I owned the fix. I rolled the change back, posted updates in the "
    "incident channel every ten minutes and wrote the postmortem myself. I then added a staging step that "
    "replays migrations on a snapshot and a rule against schema changes before weekends. We have had zero "
    "migration outages in the eighteen months since. The mistake taught me to treat my own confidence as "
    "a risk, and I now ask for a second reviewer on anything that touches shared data.")
PROCESS = ("On my last team every release of the billing service took two days because the QA checklist "
    "was run by hand. I volunteered to shorten it. I timed each manual step, found that most of the time "
    "went into repeating the same smoke tests, and automated them in our CI pipeline. I also wrote a "
    "one-page runbook and walked the team through the new workflow. Releases now take two hours instead "
    "of two days and we ship four times a week instead of once.")
LEARN = ("When our team moved the data pipeline to Kafka I had never used it, and I was on call for it in "
    "three weeks. I had to become useful fast. I read the official documentation in the evenings, built a "
    "small cluster on my laptop, and broke it on purpose to learn how it fails. I asked our platform "
    "engineer for an hour of questions each week. By my first on-call shift I resolved two consumer lag "
    "alerts on my own, and later I wrote the team's Kafka runbook. I learned that building a toy version "
    "first is my fastest way into a new tool.")


def _q(key: str) -> Question | str:
    by_id = {str(q.id): q for q in builtin_bank().questions}
    return by_id.get(key, key)


ON_TOPIC = [
    (CONFLICT, "conflict-coworker"),
    (CONFLICT, "Tell me about a time you had a conflict with a coworker."),
    (MENTOR, "mentored-someone"),
    (MENTOR, "Tell me about someone you mentored."),
    (FAILED, "time-you-failed"),
    (FAILED, "Tell me about a mistake you made."),
    (PROCESS, "improved-process"),
    (LEARN, "learn-tech-quickly"),
]

OFF_TOPIC = [
    (FAILED, "mentored-someone", "time-you-failed"),
    (FAILED, "Tell me about someone you mentored.", "time-you-failed"),
    (CONFLICT, "mentored-someone", "conflict-coworker"),
    (LEARN, "conflict-coworker", "learn-tech-quickly"),
    (MENTOR, "tight-deadlines", "mentored-someone"),
    (CONFLICT, "why-work-here", "conflict-coworker"),
]


@needs_embedder
@pytest.mark.parametrize(("answer", "question"), ON_TOPIC)
def test_a_clearly_on_topic_answer_is_judged_relevant(answer: str, question: str) -> None:
    a = analyze(answer, _q(question))
    rel = a.dimensions["relevance"]
    assert rel.score >= 4, (rel, a.signals["relevance"])
    assert "another question" not in rel.why and "loosely" not in rel.why
    assert not any("reads like an answer to" in s for s in a.suggestions)
    assert "off-topic" not in {f.kind for f in a.flags}


@needs_embedder
@pytest.mark.parametrize(("answer", "question", "own"), OFF_TOPIC)
def test_an_answer_to_another_question_is_judged_off_topic(answer: str, question: str, own: str) -> None:
    moved = analyze(answer, _q(question))
    assert moved.dimensions["relevance"].score <= 2, moved.signals["relevance"]
    assert moved.score < analyze(answer, _q(own)).score


@needs_embedder
@pytest.mark.parametrize(
    ("answer", "question", "fits"),
    [(LEARN, "conflict-coworker", "learn"), (MENTOR, "time-you-failed", "mentor"),
     (CONFLICT, "mentored-someone", "disagreement")],
)
def test_a_clearly_moved_answer_is_told_which_question_it_fits(answer: str, question: str, fits: str) -> None:
    a = analyze(answer, _q(question))
    claims = [s for s in a.suggestions if "reads like an answer to" in s]
    assert len(claims) == 1 and fits in claims[0].lower()
    assert "another question" in a.dimensions["relevance"].why


def test_bundled_relevance_model_has_its_pair_weights() -> None:
    rmap = load_map()
    assert rmap is not None and rmap.pair_w is not None
    assert rmap.pair_w.shape == (N_FEATURES,)
    assert rmap.idf and min(rmap.idf.values()) >= 1.0


@needs_embedder
def test_the_stored_bank_matrix_is_the_current_banks_and_is_used() -> None:
    """The weights carry the built-in bank's vectors and topics under a key of the bank and embedder:
    the key matches today's bank, the stored arrays equal freshly computed ones, and a model whose key
    does not match computes them instead of trusting stale ones."""
    emb, rmap = default_embedder(), load_map()
    assert emb is not None and rmap is not None
    assert rmap.bank_key == bank_key(emb.name)
    fresh = bank_arrays(emb, rmap)
    for name in ("vecs", "raw", "topics"):
        assert np.allclose(rmap.bank_arrays[name], fresh[name], atol=1e-3), name
    assert _bank_matrix(emb, rmap).vecs is rmap.bank_arrays["vecs"]
    stale = dataclasses.replace(rmap, bank_key="0" * 16,
                                bank_arrays={k: np.zeros_like(v) for k, v in rmap.bank_arrays.items()})
    computed = _bank_matrix(emb, stale)
    assert np.allclose(computed.vecs, fresh["vecs"]) and computed.topic_sets == _bank_matrix(emb, rmap).topic_sets


def test_question_topics_widen_what_classify_finds() -> None:
    assert "failure" in question_topics("Tell me about a time you messed up.")
    assert "technical-depth" in question_topics("Tell me about a bug you shipped.")
    assert "mentoring" in question_topics("Tell me about someone you coached.")
    assert "disagree-manager" not in question_topics("Tell me about a time your manager praised you.")
    assert "disagree-manager" in question_topics("Tell me about a time you disagreed with your manager.")


def test_answer_topics_count_story_words() -> None:
    scores = answer_topics(CONFLICT)
    assert set(scores) == set(TOPICS)
    assert all(0.0 <= v < 1.0 for v in scores.values())
    assert scores["conflict"] > scores["mentoring"]
    assert answer_topics(MENTOR)["mentoring"] > answer_topics(MENTOR)["conflict"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Tell me about a conflict with a coworker.", "story"),
        ("Describe a failure.", "story"),
        ("How do you prioritize?", "approach"),
        ("What is your greatest weakness?", "self"),
        ("What is the bias-variance trade-off?", "approach"),
    ],
)
def test_free_text_questions_that_ask_for_a_story_are_story_questions(question: str, kind: str) -> None:
    assert resolve(question).type == kind


def test_a_part_ruled_out_never_becomes_another_part_that_is_ruled_out() -> None:
    sents = [Sentence("We had a problem.", 0, 17, "situation", 0.9),
             Sentence("It went well.", 18, 31, "result", 0.6)]
    out = _drop_absent(sents, {"situation": 0.9, "action": 0.1, "result": 0.2})
    assert [s.star for s in out] == ["situation", "situation"]


@needs_embedder
def test_bank_word_overlap_as_matrices_equals_set_intersections() -> None:
    emb, rmap = default_embedder(), load_map()
    assert emb is not None and rmap is not None
    bank = _bank_matrix(emb, rmap)
    for answer in (CONFLICT, MENTOR, "", "Deadline deadline priorities."):
        a_words = content_words(answer)
        lexical, weighted = bank.overlap(a_words)
        for i, q in enumerate(builtin_bank().questions):
            q_words = content_words(q.text)
            assert lexical[i] == pytest.approx(len(q_words & a_words) / len(q_words) if q_words else 0.5)
            total = rmap.weight(q_words)
            assert weighted[i] == pytest.approx(rmap.weight(q_words & a_words) / total if total else 0.5)


def test_learned_topics_read_the_story_an_answer_tells() -> None:
    """Each story's own topic is more probable for it than for any of the other stories."""
    rmap = load_map()
    assert rmap is not None and rmap.topic_w is not None
    stories = {"mentoring": MENTOR, "conflict": CONFLICT, "failure": FAILED, "learning": LEARN}
    probs = {k: dict(zip(TOPICS, rmap.learned_topics(content_words(a)), strict=True)) for k, a in stories.items()}
    for topic in stories:
        assert all(probs[topic][topic] > probs[other][topic] for other in stories if other != topic), topic
    assert all(0.0 <= v <= 1.0 for p in probs.values() for v in p.values())


def test_pair_logits_is_the_pair_features_sum() -> None:
    """The fast path sums the same terms as the feature rows the model was fitted on."""
    rmap = load_map()
    assert rmap is not None and rmap.pair_w is not None
    rng = np.random.default_rng(3)
    n, k = 9, len(TOPICS)
    cos, raw, lexical, weighted = (rng.random(n) for _ in range(4))
    a_topics, learned = rng.random(k), rng.random(k)
    q_topics = (rng.random((n, k)) < 0.2).astype(float)
    q_topics[0] = 0.0  # a question with no topic at all
    x = pair_features(cos, raw, lexical, weighted, a_topics, learned, q_topics)
    assert x.shape == (n, N_FEATURES)
    fast = pair_logits(rmap.pair_w, rmap.pair_b, cos, raw, lexical, weighted, a_topics, learned,
                       np.ascontiguousarray(q_topics.T))
    assert np.allclose(fast, x @ rmap.pair_w + rmap.pair_b)


def test_answer_cue_scan_equals_the_case_insensitive_one() -> None:
    """The fast case-sensitive scan of lower-cased text counts exactly what re.IGNORECASE counts, also
    with letters that fold to ASCII only case-insensitively (long s, dotless i, Kelvin sign)."""
    import math
    import random
    import re

    from starcoach.analysis import topics

    def reference(answer: str) -> tuple[tuple[str, float], ...]:
        low = answer.lower()
        return tuple((t, round(1.0 - math.exp(-len(re.compile(rx.pattern, re.IGNORECASE).findall(low)) / 2.0), 4))
                     for t, rx in topics._ANSWER_CUES.items())

    rng = random.Random(5)
    base = ("I disagreed with my manager about the deadline, so I asked for feedback, mentored a junior "
            "engineer, prioritized the backlog and learned to delegate. Stakeholders were happy; we shipped.")
    odd = "\u017f\u0131\u0130\u212aKSsI "
    for _ in range(200):
        chars = list(base if rng.random() < 0.5 else base.upper())
        for _ in range(25):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(odd))
        text = "".join(chars)
        assert topics._answer_topics.__wrapped__(text) == reference(text)


def test_question_prior_is_the_mean_pair_logit_over_the_reference_answers() -> None:
    """question_prior computes, from the stored summary, exactly the pair model's mean log-odds over
    the reference answers (linear terms from means, topic maxima from the per-answer rows)."""
    rmap = load_map()
    assert rmap is not None and rmap.pair_w is not None
    rng = np.random.default_rng(5)
    n_ans, n_q, dim, k = 7, 5, 6, len(TOPICS)
    mapped, raw_a = rng.normal(size=(n_ans, dim)), rng.normal(size=(n_ans, dim))
    answers = [content_words(t) for t in (CONFLICT, MENTOR, FAILED, PROCESS, LEARN, "", "deadline deadline")]
    a_topics, learned = rng.random((n_ans, k)), rng.random((n_ans, k))
    q_vecs, q_raw = rng.normal(size=(n_q, dim)), rng.normal(size=(n_q, dim))
    q_texts = ["Tell me about a conflict with a coworker.", "Tell me about someone you mentored.",
               "Tell me about a time you failed.", "Why do you want to work here?", ""]
    q_words = [content_words(q) for q in q_texts]
    q_topics_t = (rng.random((k, n_q)) < 0.2).astype(float)
    df: dict[str, float] = {}
    for ws in answers:
        for w in ws:
            df[w] = df.get(w, 0.0) + 1.0 / n_ans
    ref = ReferenceAnswers(mapped_mean=mapped.mean(axis=0), raw_mean=raw_a.mean(axis=0), df=df, topics=a_topics,
                           learned=learned, alpha=1.0)
    prior = question_prior(dataclasses.replace(rmap, prior=ref), q_vecs, q_raw, q_words, q_topics_t)
    logits = []
    for i, ws in enumerate(answers):
        lex = np.asarray([len(qw & ws) / len(qw) if qw else 0.5 for qw in q_words])
        wlex = np.asarray([rmap.weight(qw & ws) / rmap.weight(qw) if rmap.weight(qw) else 0.5 for qw in q_words])
        logits.append(pair_logits(rmap.pair_w, rmap.pair_b, q_vecs @ mapped[i], q_raw @ raw_a[i], lex, wlex,
                                  a_topics[i], learned[i], q_topics_t))
    assert np.allclose(prior, np.mean(logits, axis=0))


@needs_embedder
@pytest.mark.parametrize("answer", ["mentor", "conflict"])
@pytest.mark.parametrize("broad", ["Tell me about a project you are proud of.",
                                   "What is your greatest accomplishment?", "Tell me about a challenging project.",
                                   "Tell me about a time you showed leadership."])
def test_a_short_story_moved_to_a_broad_question_scores_lower(answer: str, broad: str) -> None:
    """A broad question fits most stories; a short story written for a specific question must still
    score lower under it (before the question prior and the relevance penalty after the brevity cap
    the mentoring story tied at 53 under three of these)."""
    text, own = SHORT[answer]
    assert analyze(text, broad).score < analyze(text, own).score


SHORT = {
    "mentor": ("A junior engineer on my team was afraid to touch our deploy scripts. I set up weekly pairing "
               "sessions where she drove and I only asked questions. After three months she deployed on her own "
               "and now mentors the next new hire.", "Tell me about a time you mentored someone."),
    "conflict": ("A colleague and I disagreed about the payments API schema. I restated her concerns, built a "
                 "quick benchmark of both designs and shared the numbers. We agreed on the new schema and shipped "
                 "two weeks early.", "Tell me about a time you disagreed with a coworker."),
}


@needs_embedder
def test_the_asked_questions_prior_on_floats_equals_the_matrix_one() -> None:
    emb, rmap = default_embedder(), load_map()
    assert emb is not None and rmap is not None and rmap.prior is not None
    for text in ("Tell me about a time you failed.", "Conflict", "Why do you want to work here?", "the of a"):
        info = resolve(text)
        raw = emb.embed([text])
        vec = rmap.question(raw)
        topics = question_topics(info.text, info.competencies)
        words = content_words(text)
        full = question_prior(rmap, vec, raw, [words], np.asarray([[1.0 if t in topics else 0.0] for t in TOPICS]))
        for _ in range(2):  # computed, then remembered
            assert one_question_prior(rmap, vec[0], raw[0], words, topics) == pytest.approx(float(full[0]))


def test_weights_store_the_topic_vocabulary_once() -> None:
    """The reference answers' word shares are read against the topic vocabulary (one list in the file),
    and a file of the older layout, with the same list stored twice, reads to the same model."""
    from importlib import resources

    from starcoach.analysis.relevance import map_from_arrays

    ref = resources.files("starcoach.analysis").joinpath("weights/relevance.npz")
    with ref.open("rb") as fh, np.load(fh) as data:
        arrays = {k: data[k] for k in data.files}
    assert "ref_df_words" not in arrays
    rmap = map_from_arrays(arrays)
    assert rmap.prior is not None
    assert sorted(rmap.prior.df) == sorted(rmap.topic_vocab) == [str(w) for w in arrays["topic_words"]]
    older = map_from_arrays({**arrays, "ref_df_words": arrays["topic_words"]})
    assert older.prior is not None and older.prior.df == rmap.prior.df
