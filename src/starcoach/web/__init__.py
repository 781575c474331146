"""The local web app: a second thin interface over the same Coach as the CLI.

``create_app`` (in ``starcoach.web.app``) builds a FastAPI app: server-rendered pages (Jinja2,
autoescaped), a JSON API under ``/api/`` described by ``/openapi.json``, and static files served by
the app itself, so everything works offline. ``security`` guards every request (loopback Host only,
a per-launch secret, CSRF, CSP). Importing this package imports FastAPI: the CLI does it lazily.
"""
