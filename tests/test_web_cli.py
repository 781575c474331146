"""``starcoach serve``: starts on loopback with a private link, refuses other addresses unless told."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from starcoach.cli.web import check_host, is_loopback, launch_file, local_url
from starcoach.errors import InputError


def starcoach(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "starcoach", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses_need_no_flag(host: str) -> None:
    assert is_loopback(host)
    assert check_host(host, allow_remote=False) == []


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "example.org"])
def test_other_addresses_are_refused_without_the_flag(host: str) -> None:
    with pytest.raises(InputError, match="--allow-remote"):
        check_host(host, allow_remote=False)


def test_allow_remote_adds_the_address_to_the_host_allow_list() -> None:
    assert check_host("192.168.1.5", allow_remote=True) == ["192.168.1.5"]
    assert check_host("fe80::1", allow_remote=True) == ["[fe80::1]"]
    assert check_host("0.0.0.0", allow_remote=True) == [socket.gethostname()]


def test_the_browser_is_opened_on_a_private_file_not_on_the_secret(tmp_path: object) -> None:
    page = launch_file("http://127.0.0.1:8765/?token=secret&x=<1>")
    try:
        assert page.stat().st_mode & 0o777 == 0o600
        assert page.parent.stat().st_mode & 0o777 == 0o700
        text = page.read_text(encoding="utf-8")
        assert 'url=http://127.0.0.1:8765/?token=secret&amp;x=&lt;1&gt;"' in text
    finally:
        shutil.rmtree(page.parent)


def test_the_link_points_at_loopback() -> None:
    assert local_url("0.0.0.0", 8765) == "http://127.0.0.1:8765"
    assert local_url("::1", 8000) == "http://[::1]:8000"


def test_serve_refuses_a_public_address_with_one_clear_line() -> None:
    r = starcoach("serve", "--host", "0.0.0.0", "--no-browser")
    assert r.returncode == 2
    assert r.stderr.startswith("starcoach: error: refusing to listen on 0.0.0.0")
    assert "Traceback" not in r.stderr


def test_serve_reports_a_busy_port() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        r = starcoach("serve", "--port", str(busy.getsockname()[1]), "--no-browser")
    assert r.returncode == 2
    assert "cannot listen" in r.stderr and "--port 0" in r.stderr


def test_importing_the_command_does_not_import_the_web_stack() -> None:
    code = "import sys, starcoach.cli.main; print(any(m.split('.')[0] in ('fastapi', 'uvicorn') for m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "False", r.stderr
    assert "serve" in starcoach("--help").stdout


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    with subprocess.Popen(
        [sys.executable, "-m", "starcoach", "serve", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as proc:
        assert proc.stdout is not None
        link = ""
        for _ in range(5):
            line = proc.stdout.readline()
            if "token=" in line:
                link = line.split()[-1]
                break
        try:
            assert link.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.stderr else ""
            yield proc, link
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=30)


def test_serve_prints_a_private_link_that_signs_the_browser_in(served: tuple[subprocess.Popen[str], str]) -> None:
    proc, link = served
    base = link.split("/?token=")[0]
    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        r = browser.get(link)
        assert r.status_code == 200 and 'url=/"' in r.text  # the sign-in page moves on to /
        assert str(browser.get(f"{base}/").url).startswith(f"{base}/practice?q=")  # the chosen question
        assert browser.get(f"{base}/api/banks").status_code == 200
    assert httpx.get(f"{base}/api/banks", timeout=30).status_code == 401
    assert httpx.get(f"{base}/api/banks", headers={"Host": "attacker.example"}, timeout=30).status_code == 400
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    assert proc.stdout is not None and "stopped" in proc.stdout.read()
