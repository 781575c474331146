"""``python -m starcoach`` runs the CLI."""

from starcoach.cli.main import run

run()
