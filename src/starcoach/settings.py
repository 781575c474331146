"""Where starcoach keeps its data, resolved in one place.

Precedence, highest first (habit 6 of DESIGN.md):

1. an explicit ``home`` argument (``--home`` on the CLI, a test fixture);
2. the ``STARCOACH_HOME`` environment variable;
3. ``home = "..."`` in the config file ``<user config dir>/starcoach/config.toml``
   (``STARCOACH_CONFIG`` names another config file);
4. the platform's user data dir (platformdirs), e.g. ``~/.local/share/starcoach``.

This module only resolves paths; it creates nothing (the store creates its files).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from starcoach.errors import InputError

APP = "starcoach"


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved locations. ``home`` holds the database, backups and exports."""

    home: Path
    source: str  # which rule chose home: argument, env, config or default

    @property
    def db_path(self) -> Path:
        return self.home / "starcoach.db"

    @property
    def backup_dir(self) -> Path:
        return self.home / "backups"


def _config_path(env: Mapping[str, str]) -> Path:
    if env.get("STARCOACH_CONFIG"):
        return Path(env["STARCOACH_CONFIG"]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP)) / "config.toml"


def _home_from_config(path: Path) -> Path | None:
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read config file ({exc})") from None
    home = data.get("home")
    if home is None:
        return None
    if not isinstance(home, str) or not home.strip():
        raise InputError(f"{path}: 'home' must be a non-empty string")
    return Path(home).expanduser()


def resolve(home: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Resolve settings with the precedence written in the module docstring."""
    env = os.environ if env is None else env
    if home is not None and str(home).strip():
        return Settings(Path(home).expanduser(), "argument")
    if env.get("STARCOACH_HOME"):
        return Settings(Path(env["STARCOACH_HOME"]).expanduser(), "env")
    from_config = _home_from_config(_config_path(env))
    if from_config is not None:
        return Settings(from_config, "config")
    from platformdirs import user_data_dir

    return Settings(Path(user_data_dir(APP)), "default")
