"""Shared by the practice tests: answers of known quality and a clock the test can move."""

from __future__ import annotations

from datetime import datetime, timedelta

STRONG = (
    "In my last role at a fintech startup, our payments API missed its latency target two weeks "
    "before a launch. I was the tech lead and my task was to get p99 latency under 200 ms without "
    "delaying the launch. I profiled the service, found an N+1 database query, rewrote it as a "
    "batched join, and added a cache for exchange rates. I also set up a load test in CI so it would "
    "not regress. As a result, p99 latency fell from 900 ms to 150 ms, we launched on time, and "
    "support tickets about timeouts dropped by 80%. I learned to profile before guessing, and now I "
    "add a load test to every service I own."
)
WEAK = "I don't know, we just kind of did it and it was fine I guess."
FOLLOW = "Next time I would write the load test first and share the numbers with the team every week."


class MovableClock:
    """A pinned clock that a test advances by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kw: float) -> None:
        self.at = self.at + timedelta(**kw)
