"""``starcoach serve --team --workers 2`` through the installed console script: it migrates, starts two
workers, answers health and readiness, keeps a session valid across workers, and logs JSON lines."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.team_support import PASSWORD


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_team_with_two_workers(tmp_path: Path, team_db_url: str | None) -> None:
    exe = Path(sys.executable).with_name("starcoach")
    env = {**os.environ, "STARCOACH_HOME": str(tmp_path / "home")}
    if team_db_url:
        env["STARCOACH_DATABASE_URL"] = team_db_url
    made = subprocess.run([str(exe), "team", "create-admin", "--email", "a@example.org", "--password-stdin"],
                          input=PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    port = _port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([str(exe), "serve", "--team", "--workers", "2", "--port", str(port)], env=env,
                                stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        with httpx.Client(base_url=base, follow_redirects=False) as c:
            page = c.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
            assert c.post("/login", data={"email": "a@example.org", "password": PASSWORD,
                                          "csrf_token": token}).status_code == 303
            # new connections land on either worker; the session is in the database, so all succeed
            assert all(httpx.get(f"{base}/api/team/me", cookies=c.cookies).status_code == 200 for _ in range(8))
        assert httpx.get(f"{base}/practice", headers={"host": "evil.example"}).status_code == 400
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    assert any(x.get("path") == "/api/team/me" and x.get("status") == 200 and x.get("user") for x in lines)
    assert PASSWORD not in log.read_text()
