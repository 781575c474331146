"""The judgment problems a real user met in an hour of practice (issue 9), one test each.

Every answer here is written for this file. Each test failed before the judgment was rebuilt on
content (analysis/content.py, analysis/concepts.py, analysis/probe.py).
"""

from __future__ import annotations

import dataclasses
import random

from starcoach.analysis.feedback import suggestions
from starcoach.analysis.pipeline import analyze, gather, score_inputs
from starcoach.analysis.probe import analyze_follow_up
from starcoach.analysis.questions import resolve
from starcoach.analysis.scoring import overall
from starcoach.analysis.types import Analysis
from starcoach.bank.builtin import builtin_bank
from starcoach.bank.model import Question


def _q(qid: str) -> Question:
    return next(q for q in builtin_bank().questions if q.id == qid)


def _point(a: Analysis, label: str) -> bool:
    return next(p.covered for p in a.points if p.label == label)


OWNED_FAILURE = (
    "Last spring I pushed a schema change to our billing service without running the migration against a "
    "copy of production data. The migration locked the invoices table for forty minutes and about 3,000 "
    "customers could not download invoices. That was my mistake, not the team's: I skipped the dry run "
    "because I was in a hurry. I rolled back within ten minutes of the first alert and called the two "
    "largest customers myself. Afterwards I added a CI step that runs every migration against a nightly "
    "snapshot. We have shipped 60 migrations since then without a lock incident."
)
TMAY = (
    "I'm a backend engineer at a payments company, where for the last three years I've owned the ledger "
    "service that moves about two million transactions a day. Before that I studied computer science and "
    "spent two years at a small agency building web shops, which taught me to ship fast and talk to "
    "clients. Recently I led our move from nightly batch reconciliation to streaming, which cut "
    "reconciliation time from eight hours to twenty minutes. Next I want to work on distributed systems "
    "at a larger scale, which is why this infrastructure role appeals to me."
)
PERFECTIONIST = (
    "I'm a perfectionist. I care too much about my work and I always want everything to be perfect, so "
    "sometimes I work too hard. It worked out fine in the end."
)
GPU_STORY = (
    "Our GPU bill had grown to 90,000 dollars a month. I profiled the training jobs and found that half the "
    "runs were hyperparameter sweeps left running after they had converged. I wrote an early-stopping hook "
    "and a nightly report of idle GPUs. The bill dropped to 52,000 dollars a month within six weeks."
)
JUNIOR_METHOD = (
    "I start by finding out what they want to get better at and pair with them on a real task in that "
    "area. I give them ownership of a small feature end to end, review their pull requests within a day "
    "with explanations rather than just fixes, and meet weekly for thirty minutes. For example, a new grad "
    "on my team was nervous about on-call; we shadowed two shifts together and then she took the primary "
    "shift with me as backup. Within three months she was leading incident reviews."
)
LEARNED_A_LOT = (
    "We had a project that failed. We did a bunch of stuff to try to fix it and things got better "
    "eventually. I learned a lot from it and it was a great learning experience."
)
CHANGED_HABIT = (
    "I promised a product manager a fraud model by the end of the quarter without checking how long "
    "labeling would take. The labels arrived four weeks late and we missed the launch. I told the PM in "
    "week six and we agreed on a smaller rule-based release. Since then I estimate data work first: before "
    "committing to any date I ask the labeling team for their queue length and add two weeks of buffer."
)
VAGUE = (
    "So we had this project and it was really hard. We did a bunch of stuff and worked on a lot of things "
    "with the team. There were some issues but we handled them. In the end it worked out and everyone was "
    "happy. I learned a lot."
)
BULLETS = (
    "- S: payments API p99 latency 2.1 s at peak\n- T: me, get under 300 ms before Black Friday\n"
    "- A: profiled with py-spy, found N+1 queries in the order serializer; added select_related, Redis "
    "cache for FX rates\n- R: p99 240 ms, zero timeouts on Black Friday, 18% more checkouts"
)
METHOD_ONLY = (
    "I break the work into must-haves and nice-to-haves, agree the must-haves with the stakeholder, and cut "
    "scope early rather than late. I put the riskiest piece first, check progress every day, and flag a "
    "slip as soon as I see it instead of on the due date."
)
SLOGANS = (
    "Prioritization is important. Communication is key for deadlines. Delegation matters a lot. Quality "
    "should be protected. Examples are good."
)


def test_owning_a_mistake_in_own_words_covers_ownership() -> None:
    a = analyze(OWNED_FAILURE, _q("time-you-failed"))
    assert _point(a, "Ownership") and _point(a, "Real failure") and _point(a, "Lasting change")


def test_tell_me_about_yourself_structure_is_recognised_and_on_the_question() -> None:
    a = analyze(TMAY, "Tell me about yourself.")
    assert all(_point(a, label) for label in ("Present", "Past highlights", "Future"))
    assert a.dimensions["relevance"].score >= 4
    assert a.missing == ()


def test_a_disguised_strength_is_not_a_real_weakness() -> None:
    a = analyze(PERFECTIONIST, _q("strength-weakness"))
    assert not _point(a, "Real weakness")
    assert a.dimensions["structure"].score <= 2
    assert a.score < 30


def test_it_worked_out_is_not_an_outcome() -> None:
    a = analyze(VAGUE, _q("challenging-project"))
    assert not _point(a, "Measurable result")
    assert a.dimensions["impact"].score <= 2


def test_a_story_moved_to_another_question_is_not_on_the_question() -> None:
    q = _q("help-junior-grow") if any(q.id == "help-junior-grow" for q in builtin_bank().questions) else \
        next(q for q in builtin_bank().questions if "junior engineer grow" in q.text)
    moved = analyze(GPU_STORY, q)
    fits = analyze(JUNIOR_METHOD, q)
    assert moved.dimensions["relevance"].score <= 2
    assert moved.score <= 40 < fits.score


def test_method_and_self_answers_are_not_held_to_star() -> None:
    method = analyze(METHOD_ONLY, _q("tight-deadlines"))
    assert method.missing == () and method.dimensions["impact"].score >= 3
    self_answer = analyze(TMAY, _q("why-work-here"))
    assert self_answer.missing == ()


def test_reflection_is_judged_by_content() -> None:
    generic = analyze(LEARNED_A_LOT, _q("time-you-failed"))
    habit = analyze(CHANGED_HABIT, _q("time-you-failed"))
    assert generic.dimensions["reflection"].score <= 2
    assert habit.dimensions["reflection"].score >= 4
    assert habit.missing == ()  # what changed since is this failure story's result


def test_vague_answers_score_below_concrete_notes() -> None:
    vague = analyze(VAGUE, _q("challenging-project"))
    notes = analyze(BULLETS, _q("challenging-project"))
    assert vague.score + 30 <= notes.score


def test_slogans_that_share_the_points_words_cover_nothing() -> None:
    a = analyze(SLOGANS, _q("tight-deadlines"))
    assert sum(p.covered for p in a.points) == 0


def test_a_follow_up_answer_is_judged_on_the_probe_not_on_star() -> None:
    good = analyze_follow_up("We shipped two days early. Query latency fell 30 percent.", "What was the outcome?")
    dodge = analyze_follow_up("It was fine, we moved on to other things.", "What was the outcome?")
    assert good.question.type == "follow-up" and good.missing == ()
    assert good.signals["follow_up"] == {"asks_for": "outcome", "answered": True, "evidence": [0, 26], "of": ""}
    assert good.score >= 60 > 30 >= dodge.score
    assert dodge.suggestions and "what changed" in dodge.suggestions[0]


def test_follow_up_probes_by_kind() -> None:
    who = analyze_follow_up("I asked Maria, our database lead, because she wrote the schema.", "Who did you ask?")
    lesson = analyze_follow_up("Since then I ask the data team for their backlog before I promise a date.",
                               "What would you do differently?")
    nothing = analyze_follow_up("Nothing really, it went well.", "What would you do differently?")
    assert who.signals["follow_up"]["answered"] and lesson.signals["follow_up"]["answered"]
    assert not nothing.signals["follow_up"]["answered"]


def test_a_closing_action_that_measures_the_change_is_not_a_missing_result() -> None:
    text = ("Our nightly ETL job took six hours and often missed the 7 am report. I was asked to fix it. I "
            "profiled the job and moved the joins into the warehouse, which cut the runtime from six hours "
            "to 40 minutes.")
    q = "Tell me about a time you improved performance."
    a = analyze(text, q)
    assert a.sentences[-1].star == "action"  # the labeler reads it as the action...
    assert "result" not in a.missing  # ...but it plainly shows the result
    cut = analyze(text.rsplit(" I profiled", 1)[0] + " I profiled the job.", q)
    assert "result" in cut.missing


def test_terse_notes_are_not_word_salad() -> None:
    notes = ("Payments API p99 doubled after Tuesday release. Needed root cause fast. Compared benchmark "
             "runs, bisected commits, found N+1 query in new order serializer. Reverted, added select_related, "
             "redeployed within 2 hours. Added CI latency gate: fail above 500ms. No latency regressions since.")
    a = analyze(notes, "Tell me about a time you fixed a reliability problem.")
    assert "gibberish" not in {f.kind for f in a.flags}
    assert a.score >= 40



def test_short_notes_without_full_stops_are_not_word_salad() -> None:
    # Bullet notes whose line breaks were lost on paste read almost as shuffled as salad; under 60 words
    # the order tests alone must not call them salad.
    notes = ("New grad struggling with code reviews, feedback harsh Help grow confidence, review quality Paired "
             "weekly, shared checklist, reviewed drafts privately first, praised progress publicly Review "
             "turnaround halved; grad led reviews within quarter; team copied checklist")
    a = analyze(notes, "Tell me about a time you mentored someone.")
    assert "gibberish" not in {f.kind for f in a.flags}


def test_word_salad_with_plausible_function_words_is_caught_by_its_word_pairs() -> None:
    # The class-order rule alone let this one through (its function words happen to sit plausibly);
    # its word pairs are no better than shuffled.
    rng = random.Random(126)
    words = (OWNED_FAILURE + " " + TMAY).split()
    salad = " ".join(rng.choice(words) for _ in range(100))
    assert "gibberish" in {f.kind for f in analyze(salad, "Tell me about a mistake you made.").flags}


def test_blurring_the_results_numbers_lowers_the_score() -> None:
    q = "Tell me about a time you improved performance."
    exact = ("Our search page was slow and customers complained every week. I owned the fix for the quarter. "
             "I profiled the queries, added two indexes and cached the facet counts in Redis. Median page time "
             "fell from 1.8 s to 300 ms, p99 from 6 s to 900 ms, and weekly complaints went from 40 to 3.")
    blurred = exact.rsplit(" Median", 1)[0] + (" Median page time fell from some to some, p99 from some to "
                                                "some, and weekly complaints went from some to some.")
    assert analyze(blurred, q).score < analyze(exact, q).score


def test_a_self_answer_told_as_we_hides_the_speaker() -> None:
    q = "What is your greatest weakness?"
    i_form = ("I tend to take on too much myself instead of asking for help early. Last year I held a migration "
              "alone for two weeks before I told my lead it was slipping. Now I post a short status every "
              "Friday and I ask for a second pair of hands as soon as an estimate grows by half.")
    we_form = ("We tend to take on too much ourselves instead of asking for help early. Last year we held a "
               "migration alone for two weeks before we told our lead it was slipping. Now we post a short "
               "status every Friday and we ask for a second pair of hands as soon as an estimate grows by half.")
    i_a, we_a = analyze(i_form, q), analyze(we_form, q)
    assert we_a.dimensions["ownership"].score < i_a.dimensions["ownership"].score
    assert we_a.score < i_a.score


CONFLICT = ("Last year a designer and I disagreed about whether to ship a redesigned onboarding flow before the "
            "holidays. I was the engineer responsible for the release, and I worried about the untested payment "
            "step. I set up a thirty-minute call, listened to her reasons, and showed her the error rates from our "
            "last two launches. We agreed to ship the new screens behind a flag to ten percent of users first. I "
            "wrote the rollback plan and checked the dashboards every morning that week.")
CONFLICT_RESULT = (" The staged launch caught a broken coupon field on day two, we fixed it in an hour, and the full "
                   "rollout went out a week later with signups up 12 percent.")


def test_a_story_that_stops_at_its_actions_is_told_and_scores_lower() -> None:
    q = "Tell me about a time you handled a conflict with a coworker."
    full, cut = analyze(CONFLICT + CONFLICT_RESULT, q), analyze(CONFLICT, q)
    assert "result" not in full.missing and "result" in cut.missing
    assert cut.score < full.score


def test_an_ending_that_reads_like_one_more_step_costs_points_and_is_pointed_out() -> None:
    q = resolve("Tell me about a time you handled a conflict with a coworker.")
    text = CONFLICT + CONFLICT_RESULT
    facts, found, _nums = gather(text, q, None)
    unsure = dataclasses.replace(facts, result_evidence=0.55)
    scores = []
    for f in (facts, unsure):
        dims, pen, gates = score_inputs(text, q, f, found)
        scores.append(overall({k: d.value for k, d in dims.items()}, pen, tuple(gates)))
        tips = suggestions(f, dims, gates, found, f.sentences[-1].text)
    assert scores[1] < scores[0]
    assert any("may be heard as one more step" in t for t in tips)


def test_a_nearly_sure_ending_costs_nothing() -> None:
    # The ending penalty grows only below 0.9 evidence: complete answers mostly sit above it, so a
    # clear result is not taxed for the detector's small doubts (before: 1 - evidence, a point at 0.9).
    q = resolve("Tell me about a time you handled a conflict with a coworker.")
    text = CONFLICT + CONFLICT_RESULT
    facts, found, _nums = gather(text, q, None)
    pens = [score_inputs(text, q, dataclasses.replace(facts, result_evidence=e), found)[1] for e in (1.0, 0.92)]
    assert pens[0].unsure_result == pens[1].unsure_result == 0.0


SYSTEM_FAILURE = (
    "Last spring our nightly export to the finance team started failing about twice a week, and nobody owned "
    "it because the engineer who wrote it had left. I volunteered to take it over since finance needed it for "
    "month-end close. I read the job's logs for the previous month and found that every failure happened "
    "while the upstream orders table was being vacuumed. I moved the export to a read replica, added a retry "
    "with backoff and wrote a runbook for whoever was on call. After that the export did not fail once in "
    "three months, and month-end close took a day less."
)


def test_a_failing_system_is_not_a_mistake_story_that_owes_a_lesson() -> None:
    # "failing", "failure", "fail" describe the job, not the speaker: no lesson is demanded of an
    # ownership story (before: three 'fail' words made it a failure story, reflection 1/5).
    q = resolve("Tell me about a time you took ownership of something nobody owned.")
    facts, _found, _nums = gather(SYSTEM_FAILURE, q, None)
    assert not facts.expects_reflection
    slipped = SYSTEM_FAILURE.replace("Last spring our", "Last spring I missed a config change, and our")
    assert gather(slipped, q, None)[0].expects_reflection


def test_a_short_method_answer_is_asked_for_its_method_not_a_star_story() -> None:
    # A method answer with a past-tense example is still a method answer: the length tip asks for the
    # approach and an example (before: "give the situation, your actions and the result").
    text = ("I start by asking what the deadline protects, then sort the remaining work into must-have and "
            "nice-to-have with the product manager, and I tell my lead the moment I see a risk. Last quarter "
            "we had two weeks to ship SSO for a customer; we dropped the audit page and shipped on time.")
    a = analyze(text, "How do you handle tight deadlines?", embedder=None)
    tip = next(s for s in a.suggestions if "seconds this is short" in s)
    assert "your approach and one concrete example" in tip and "situation" not in tip


def test_a_self_answer_of_claims_is_not_credited_with_an_example() -> None:
    # "We did a bunch of stuff with the cloud" is not an example (before: any action-labeled sentence
    # counted, structure 4/5 "Backed by a concrete example"); a real one names what happened.
    q = "Tell me about yourself"
    vague = ("I have worked on a lot of different projects and I am a very hard worker. I like solving problems "
             "and working with people. In my last job we did a bunch of stuff with the cloud and things went "
             "pretty well overall. I would be a great fit because I am passionate and I learn fast.")
    concrete = vague.replace("we did a bunch of stuff with the cloud and things went pretty well overall",
                             "I moved our billing jobs to AWS Batch and cut the monthly bill by 30%")
    a, b = analyze(vague, q, embedder=None), analyze(concrete, q, embedder=None)
    assert a.dimensions["structure"].why.startswith("Claims without a concrete example")
    assert b.dimensions["structure"].why == "Backed by a concrete example."
    assert a.dimensions["structure"].score < b.dimensions["structure"].score


# Found reading the feedback on the 90 rated real answers (this session); the answers below are ours.

TERSE_METHOD = ("I prioritize tasks, break the work into smaller parts and focus on the critical items first. "
               "I also tell my lead early when a risk is involved, so expectations are managed properly.")


def test_a_method_answer_without_an_episode_is_not_held_to_star() -> None:
    # "organized", "involved", "managed" are participles, and the labeler's "situation" on a first
    # sentence is no story (before: "missing situation and result", impact 1/5 "No outcome").
    a = analyze(TERSE_METHOD, "How do you handle pressure or tight deadlines?", embedder=None)
    assert a.missing == ()
    assert a.dimensions["impact"].why.startswith("Outcomes matter less here")
    assert "What would you do differently next time?" not in a.follow_ups


def test_a_method_answer_with_an_example_still_tells_a_story() -> None:
    text = TERSE_METHOD + (" For example, last spring I once moved a UI polish task behind a slow API fix because the "
                          "slowness affected thousands of users; the fix was live in two days.")
    q = resolve("How do you handle pressure or tight deadlines?")
    assert gather(text, q, None)[0].narrative
    assert not gather(TERSE_METHOD, q, None)[0].narrative


def test_a_conflict_method_answer_owes_no_lesson() -> None:
    # A story of a fight calls for a lesson; a method for handling conflict does not (before: reflection
    # 1/5 "This question expects a lesson learned" and "Close with what you learned").
    text = ("When a disagreement turns into a conflict, I look for common ground first and listen to each side "
            "of the argument. I keep the dispute about the trade-offs, not the people, and I write the decision "
            "down so the conflict does not come back.")
    a = analyze(text, "How do you handle conflict with coworkers?", embedder=None)
    assert a.dimensions["reflection"].why.startswith("No lesson mentioned (not essential")
    assert not any("what you learned" in s for s in a.suggestions)


def test_a_short_self_answer_is_asked_for_what_its_question_wants() -> None:
    # Before: every short self answer was told to give "what you do now, what brought you here and why
    # this role" (the tell-me-about-yourself outline), even for a weakness.
    weak = analyze("I avoid asking for help, which slows me down. I am working on it.",
                   "What are your weaknesses?", embedder=None)
    why = analyze("Your company builds tools I use every day and I like the engineering blog.",
                  "Why do you want to join us?", embedder=None)
    tips = " ".join(weak.suggestions + why.suggestions)
    assert "what brought you here" not in tips
    assert "the weakness, one time it cost you" in " ".join(weak.suggestions)
    assert "what draws you to this team and role" in " ".join(why.suggestions)


def test_follow_ups_fit_the_kind_of_answer() -> None:
    # "What would you do differently next time?" was the catch-all follow-up, asked after "What are your
    # strengths?" and "How do you prioritize?" alike.
    strength = ("My main strength is debugging under pressure. Last year I traced a memory leak in our Go "
                "gateway to a goroutine that never exited and fixed it the same night.")
    a = analyze(strength, "What are your strengths?", embedder=None)
    b = analyze(TERSE_METHOD, "How do you prioritize your tasks?", embedder=None)
    for an in (a, b):
        assert "What would you do differently next time?" not in an.follow_ups
    assert b.follow_ups[0].startswith("Can you tell me about one time you worked this way")


def test_kind_of_naming_a_kind_is_not_a_hedge() -> None:
    from starcoach.analysis.signals import hedges

    assert [h.text for h in hedges("We need more tests for this kind of project. It was kind of slow.")] == [
        "kind of"]
    assert hedges("What sort of tests would catch it? The same kind of bug came back.") == []


def test_double_checked_is_no_number_and_zero_failures_is_one() -> None:
    from starcoach.analysis.signals import numbers

    assert [n.text for n in numbers("Since then I have always double-checked my work.")] == []
    text = ("During a big sale our checkout API started timing out. I found a slow PostgreSQL query, added the "
            "missing index and redeployed before the peak. The sale went live with zero failed checkouts.")
    a = analyze(text, "Tell me about a time you worked under pressure.", embedder=None)
    assert not any("has no number" in s for s in a.suggestions)


def test_an_unmeasured_result_is_quoted_not_paraphrased() -> None:
    # Before: 'The ending only says it went well ("it worked out")' for an ending that never said so.
    text = ("A client escalated mismatched sales totals on a Friday. I traced it to a wrong grouping field in "
            "the aggregation, fixed it and added a validation check. The client was relieved.")
    a = analyze(text, "Tell me about a time you handled a difficult client situation.", embedder=None)
    why = a.dimensions["impact"].why
    assert "it worked out" not in why
    assert why.startswith('The result ("The client was relieved.") does not say what changed')


def test_a_lesson_for_next_time_is_a_lesson() -> None:
    # "If I were to face it again, I would ..." and "Now I will ..." state what the speaker takes away
    # (before: "This question expects a lesson learned; there is none").
    base = ("I once told a colleague that his question was simple, and he felt I was being arrogant. He "
            "stopped asking me things for weeks.")
    for lesson in (" If I were to face it again, I would walk him through the answer and thank him for asking.",
                   " Now I will take the time to explain the details and check that the answer landed."):
        a = analyze(base + lesson, "Tell me about a time you wish you had handled something differently.",
                    embedder=None)
        assert not a.dimensions["reflection"].why.startswith("This question expects a lesson"), lesson


def test_an_outcome_told_as_its_consequence_is_an_outcome() -> None:
    from starcoach.analysis.content import substantive

    assert substantive("Our work resulted in a well-received demo and an A grade.")
    assert substantive("The client appreciated the same-day turnaround.")
    assert not substantive("It worked out in the end.")


def test_a_feedback_method_question_asks_for_a_method_not_a_lesson() -> None:
    # Before: "How do you give and receive constructive feedback?" expected a lesson learned (reflection
    # 1/5 on a method answer); a story about critical feedback still owes one.
    assert not resolve("How do you give and receive constructive feedback?").expects_reflection
    assert resolve("Tell me about a time you received critical feedback.").expects_reflection


def test_a_habit_since_the_mistake_is_a_change_even_in_notes() -> None:
    # Notes drop the "I" and the verb may be any verb: a habit word says the behaviour changed
    # (before: no change found, "Close with what you learned"); an outcome is still no habit.
    from starcoach.analysis.content import lessons
    from starcoach.analysis.types import Sentence

    def changed(text: str) -> bool:
        return bool(lessons([Sentence(text, 0, len(text), "result", 0.9)]).changed)

    assert changed("Since then, always ensures every new flow is covered by an end-to-end test before merging.")
    assert not changed("Since then, the nightly export has not failed once.")


def test_a_vague_word_the_question_used_is_an_echo() -> None:
    # Before: "Replace vague words ('everything')" for an answer that repeats "everything seems urgent".
    text = ("When everything seems urgent, I list the requests with their deadlines and what breaks if each "
            "slips, and I ask my lead to rank the top three. Last month that moved a billing bug ahead of a "
            "dashboard, and the dashboard shipped two days later with no complaints.")
    a = analyze(text, "How do you prioritize when everything seems urgent?", embedder=None)
    assert not any(f.kind == "vague" for f in a.flags)
    b = analyze(text, "How do you prioritize your work?", embedder=None)
    assert any(f.kind == "vague" and f.text == "everything" for f in b.flags)


def test_a_named_weakness_is_on_its_question() -> None:
    # Before: relevance 3/5 "tie what you say to it outright (echo the question's words)" for an answer
    # that names its weakness in its own words.
    text = ("I tend to build more than the problem needs: on a side project I wrote a plugin system before it "
            "had a single plugin. Now I write down the one use case first and only generalize at the second.")
    a = analyze(text, "What is your weakness?")
    assert a.dimensions["relevance"].score >= 4


def test_a_story_that_ends_on_what_others_did_has_its_result() -> None:
    # "Finally, he took my advice." closes the story (before: labeled an action, "Missing: result" and
    # "No outcome: the answer never says what happened in the end"); "In the end, I ..." stays a step.
    base = ("I disagreed with our product manager about opening a second dialog on top of the first one. The "
            "second dialog only showed one sentence, so I argued a small popover would do. I built two quick "
            "prototypes and walked him through both on a call.")
    q = "Tell me about a time you had a conflict with a coworker."
    a = analyze(base + " Finally, he took my advice.", q, embedder=None)
    assert "result" not in a.missing
    assert not a.dimensions["impact"].why.startswith("No outcome")
    from starcoach.analysis.content import closing_outcome

    assert not closing_outcome("In the end, I put a mask over the broken widget.")
    assert not closing_outcome("In the end, it worked out.")


def test_impact_never_denies_the_result_the_answer_is_credited_with() -> None:
    # A mistake story closing on what the speaker does since shows its result (missing is empty); impact
    # said "No outcome: the answer never says what happened" at the same time.
    text = ("Once I estimated a project badly and only saw the problem three days before the deadline. I "
            "re-planned it, told my team and cut the scope with the product owner. We completed the project "
            "on time. Since then, I have always double-checked my estimates with a second engineer.")
    a = analyze(text, "Tell me about a time you failed.", embedder=None)
    assert a.missing == ()
    assert not a.dimensions["impact"].why.startswith("No outcome")
