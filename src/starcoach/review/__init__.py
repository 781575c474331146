"""Spaced repetition and practice planning, pure: FSRS cards, question selection, mock debriefs.

- :mod:`~starcoach.review.schedule`: cards, ratings from scores, due dates (wraps ``fsrs``);
- :mod:`~starcoach.review.selection`: which questions to practice next;
- :mod:`~starcoach.review.debrief`: the interviewer-style debrief of a mock interview;
- :mod:`~starcoach.review.records`: the stored attempt and session records.

No I/O, no clock, no global randomness: ``now`` and ``rng`` are always arguments.
"""
