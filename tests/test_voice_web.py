"""Spoken answers in the web app: the upload API (token, CSRF, bad recordings) and a user who records
an answer in Chromium from its fake microphone, then sees the transcript and the timeline."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import voice_corpus as vc
from tests.conftest import PINNED_NOW
from tests.voice_support import need_voice
from tests.web_support import TOKEN, live_server, make_app, stepping_clock

CHROMIUM = Path("/usr/bin/chromium")
SHORT: tuple[vc.Part, ...] = (
    ("situation", "Our deploys, um, kept failing on Fridays.", 2.4),
    ("action", "I wrote a script that found a flaky cache and I fixed it.", vc.SHORT),
    ("result", "Failed deploys dropped by eighty percent.", 0),
)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> vc.Spoken:
    need_voice()
    return vc.synthesize(SHORT, tmp_path_factory.mktemp("web-voice") / "short.wav")


def test_a_spoken_answer_is_recorded_with_its_speech_report(api: Any, spoken: vc.Spoken) -> None:
    with spoken.path.open("rb") as fh:
        r = api.post("/api/attempts/audio", data={"question": "conflict-coworker", "seconds": "12"},
                     files={"audio": ("answer.wav", fh, "audio/wav")})
    assert r.status_code == 201, r.text
    analysis = r.json()["analysis"]
    assert "flaky" in analysis["speech"]["transcript"]
    assert len(analysis["speech"]["pauses"]) == 1
    page = api.get(f"/attempts/{r.json()['attempt']['id']}")
    assert 'id="timeline"' in page.text and "band-situation" in page.text


def test_uploads_need_the_csrf_token(web: Any, spoken: vc.Spoken) -> None:
    with spoken.path.open("rb") as fh:
        r = web.post("/api/attempts/audio", data={"question": "conflict-coworker"},
                     files={"audio": ("a.wav", fh, "audio/wav")})
    assert r.status_code == 403


@pytest.mark.parametrize(("name", "content", "ctype", "message"), [
    ("a.wav", b"", "audio/wav", "empty"),
    ("a.webm", b"\x1a\x45\xdf\xa3 not really webm" * 20, "audio/webm", "not audio"),
    ("notes.txt", b"typed", "text/plain", "Not a recording type"),
])
def test_bad_recordings_answer_4xx_and_save_nothing(api: Any, spoken: vc.Spoken, name: str, content: bytes,
                                                    ctype: str, message: str) -> None:
    r = api.post("/api/attempts/audio", data={"question": "conflict-coworker"}, files={"audio": (name, content, ctype)})
    assert r.status_code == 400 and message in r.json()["error"], r.text
    assert api.get("/api/attempts").json() == []


def test_silence_is_refused_and_the_upload_deleted(api: Any, coach: Any, tmp_path: Path) -> None:
    need_voice()
    silence = tmp_path / "s.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(silence), "trim", "0", "3"], check=True)
    r = api.post("/api/attempts/audio", data={"question": "conflict-coworker"},
                 files={"audio": ("s.wav", silence.read_bytes(), "audio/wav")})
    assert r.status_code == 400 and "silent" in r.json()["error"]
    assert coach.voice.kept_audio() == []


@pytest.fixture
def server(starcoach_home: Path) -> Iterator[str]:
    from starcoach.service import open_coach

    coach = open_coach(starcoach_home, clock=stepping_clock(PINNED_NOW, timedelta(seconds=1)), rng=random.Random(7))
    with live_server(make_app(coach)) as base:
        yield base


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_user_answers_out_loud_in_the_browser(server: str, spoken: vc.Spoken, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_web_browser import ARTIFACTS, CHROMIUM_ARGS

    mic = tmp_path / "mic.wav"  # Chromium's fake microphone plays this file
    subprocess.run(["sox", str(spoken.path), "-r", "48000", str(mic)], check=True)
    seconds = round(spoken.parts[-1][3]) + 1
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={mic}"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        outside: list[str] = []
        context.on("request", lambda req: None if req.url.startswith(server) else outside.append(req.url))
        page = context.new_page()
        page.goto(f"{server}/?token={TOKEN}")
        page.goto(f"{server}/practice?q=conflict-coworker")
        page.click("#record-btn")
        page.wait_for_selector(f"#voice[data-recorded='{seconds}']", state="attached")
        page.click("#record-btn")
        page.wait_for_url("**/attempts/**")
        assert "flaky" in page.locator("#highlighted").inner_text().lower()
        assert page.locator("#highlighted .sent[data-star]").count() >= 2
        assert page.locator("#timeline rect.band").count() >= 2
        assert page.locator("#timeline rect.pause").count() >= 1
        assert "words/min" in page.locator("#speech-summary").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "voice-result.png", full_page=True)
        browser.close()
    assert outside == []


def test_a_recording_over_the_upload_limit_is_refused_before_anything_runs(api: Any) -> None:
    from starcoach.web.security import MAX_BODY_BYTES

    r = api.post("/api/attempts/audio", data={"question": "conflict-coworker"},
                 files={"audio": ("long.wav", b"\0" * (MAX_BODY_BYTES + 1), "audio/wav")})
    assert r.status_code == 413
    assert api.get("/api/attempts").json() == []
