"""``starcoach serve``: run the local web app and open it in the browser.

The server listens on loopback only, unless ``--allow-remote`` says otherwise; each start makes a
new secret, and the link that carries it is printed and opened in the browser. FastAPI and uvicorn
are imported inside the command, so ``starcoach --help`` stays fast.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from starcoach.cli import common

if TYPE_CHECKING:
    import uvicorn

DEFAULT_PORT = 8765
WILDCARDS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> list[str]:
    """Refuse a non-loopback address without --allow-remote; the extra Host names to accept."""
    from starcoach.errors import InputError

    if is_loopback(host):
        return []
    if not allow_remote:
        raise InputError(
            f"refusing to listen on {host}: your story bank would be reachable from other machines. "
            "Use the default (127.0.0.1), or add --allow-remote if you really mean it."
        )
    if host in WILDCARDS:
        return [socket.gethostname()]
    return [f"[{host}]" if ":" in host else host]


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free one. InputError when it is taken."""
    from starcoach.errors import InputError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio sets TCP_NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror}); try another --port, or --port 0") from None
    sock.listen(128)
    return sock


def local_url(host: str, port: int) -> str:
    if host in WILDCARDS or host.lower() == "localhost":
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def launch_file(link: str) -> Path:
    """A page only this user can read that forwards the browser to ``link``.

    The browser is opened on this file, not on the link itself, so the secret never appears in a
    command line that other users of the machine can list (``ps``).
    """
    import tempfile
    from html import escape

    folder = Path(tempfile.mkdtemp(prefix="starcoach-"))  # mode 0700
    page = folder / "open-starcoach.html"
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(
            f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={escape(link)}">'
            f'<title>starcoach</title><a href="{escape(link)}">Open starcoach</a>\n'
        )
    return page


def make_server(app: Any, open_url: str | None) -> uvicorn.Server:
    """A uvicorn server that opens ``open_url`` in the browser once it is ready to answer."""
    import threading
    import webbrowser

    import uvicorn

    class _Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if open_url and self.started:
                threading.Thread(target=webbrowser.open, args=(open_url,), daemon=True).start()

    # No access log: the first request carries the secret in its URL.
    return _Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))


def _app_factory() -> Any:
    """``create_app``, or InputError naming the missing extra when FastAPI and friends are absent."""
    try:
        from starcoach.web.app import create_app
    except ModuleNotFoundError as exc:
        from starcoach.errors import InputError

        raise InputError(
            f"the web app needs the 'web' extra ({exc.name} is missing): pip install 'starcoach[web]'"
        ) from None
    return create_app


def serve_cmd(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback unless --allow-remote).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0 picks a free one).")] = DEFAULT_PORT,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open the browser.")] = False,
    allow_remote: Annotated[
        bool,
        typer.Option("--allow-remote", help="Allow a non-loopback --host (the link travels unencrypted)."),
    ] = False,
    team: Annotated[
        bool, typer.Option("--team", help="Team mode: accounts, coaches, cohorts (docs/deploy.md).")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Team mode: worker processes.")] = 1,
    allowed_host: Annotated[
        list[str] | None, typer.Option("--allowed-host", help="Team mode: a public host name to answer for.")
    ] = None,
    proxy_headers: Annotated[
        bool,
        typer.Option("--proxy-headers", help="Team mode behind TLS: trust X-Forwarded-*, Secure cookies, HSTS."),
    ] = False,
    forwarded_allow_ips: Annotated[
        str, typer.Option("--forwarded-allow-ips", help="Team mode: proxy addresses trusted for X-Forwarded-*.")
    ] = "127.0.0.1",
) -> None:
    """Start the web app on this machine and open it in the browser (or, with --team, serve a cohort)."""
    extra_hosts = check_host(host, allow_remote)
    if team:
        from starcoach.cli.team import serve_team

        serve_team(host, port, workers, [*extra_hosts, *(allowed_host or [])], proxy_headers, forwarded_allow_ips)
        return
    try:
        from starcoach.web.app import create_app
    except ModuleNotFoundError as exc:
        from starcoach.errors import InputError

        raise InputError(
            f"the web app needs the 'web' extra ({exc.name} is missing): pip install 'starcoach[web]'"
        ) from None
    sock = bind(host, port)
    app = create_app(common.coach, extra_hosts=extra_hosts)
    base = local_url(host, sock.getsockname()[1])
    link = f"{base}/?token={app.state.guard.token}"
    common.out.print(f"starcoach is running at {base}/  (Ctrl+C stops it)", markup=False)
    common.out.print(f"Your private link (it signs this browser in): {link}", markup=False, soft_wrap=True)
    if extra_hosts:
        common.err.print("warning: listening beyond this machine without TLS; the link is a password.", markup=False)
    opener = None if no_browser else launch_file(link)
    server = make_server(app, opener.as_uri() if opener else None)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down cleanly, then re-raises the Ctrl+C it caught
        pass
    finally:
        sock.close()
        if opener is not None:
            shutil.rmtree(opener.parent, ignore_errors=True)
    common.out.print("starcoach stopped.", markup=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
