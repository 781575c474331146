"""Where starcoach keeps its data, resolved in one place.

Precedence, highest first (habit 6 of DESIGN.md):

1. an explicit ``home`` argument (``--home`` on the CLI, a test fixture);
2. the ``STARCOACH_HOME`` environment variable;
3. ``home = "..."`` in the config file ``<user config dir>/starcoach/config.toml``
   (``STARCOACH_CONFIG`` names another config file);
4. the platform's user data dir (platformdirs), e.g. ``~/.local/share/starcoach``.

The voice settings follow the same order (env, then config file, then default):
``STARCOACH_VOICE_MODEL`` / ``voice_model = "/path"`` names another CTranslate2 Whisper model folder
(default: the tiny.en model bundled with the ``voice`` extra); ``STARCOACH_KEEP_AUDIO`` /
``keep_audio = true`` keeps recordings under ``<home>/audio`` (default: deleted once transcribed).

The database: ``--database-url`` (argument) > ``STARCOACH_DATABASE_URL`` > ``database_url = "..."`` in the
config file > none, which means the SQLite file ``<home>/starcoach.db``. A URL such as
``postgresql://user@host:5432/starcoach`` selects PostgreSQL (team mode, the ``team`` extra).

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
    voice_model: Path | None = None  # None: the bundled tiny.en
    keep_audio: bool = False
    database_url: str | None = None  # None: the SQLite file db_path

    @property
    def audio_dir(self) -> Path:
        return self.home / "audio"

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


def _read_config(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read config file ({exc})") from None


def _home_from_config(path: Path, data: Mapping[str, object]) -> Path | None:
    home = data.get("home")
    if home is None:
        return None
    if not isinstance(home, str) or not home.strip():
        raise InputError(f"{path}: 'home' must be a non-empty string")
    return Path(home).expanduser()


def _voice(path: Path, data: Mapping[str, object], env: Mapping[str, str]) -> tuple[Path | None, bool]:
    model = env.get("STARCOACH_VOICE_MODEL") or data.get("voice_model")
    if model is not None and (not isinstance(model, str) or not model.strip()):
        raise InputError(f"{path}: 'voice_model' must be a folder path")
    keep: object = env.get("STARCOACH_KEEP_AUDIO", data.get("keep_audio", False))
    if isinstance(keep, str):
        keep = keep.strip().lower() in ("1", "true", "yes", "on")
    if not isinstance(keep, bool):
        raise InputError(f"{path}: 'keep_audio' must be true or false")
    return (Path(model).expanduser() if model else None), keep


def _database_url(path: Path, data: Mapping[str, object], env: Mapping[str, str], given: str | None) -> str | None:
    if given is not None and given.strip():
        return given.strip()
    if env.get("STARCOACH_DATABASE_URL", "").strip():
        return env["STARCOACH_DATABASE_URL"].strip()
    url = data.get("database_url")
    if url is None:
        return None
    if not isinstance(url, str) or not url.strip():
        raise InputError(f"{path}: 'database_url' must be a database URL such as postgresql://user@host/db")
    return url.strip()


def resolve(
    home: str | Path | None = None, env: Mapping[str, str] | None = None, database_url: str | None = None
) -> Settings:
    """Resolve settings with the precedence written in the module docstring."""
    env = os.environ if env is None else env
    path = _config_path(env)
    data = _read_config(path)
    model, keep = _voice(path, data, env)
    url = _database_url(path, data, env, database_url)
    if home is not None and str(home).strip():
        return Settings(Path(home).expanduser(), "argument", model, keep, url)
    if env.get("STARCOACH_HOME"):
        return Settings(Path(env["STARCOACH_HOME"]).expanduser(), "env", model, keep, url)
    from_config = _home_from_config(path, data)
    if from_config is not None:
        return Settings(from_config, "config", model, keep, url)
    from platformdirs import user_data_dir

    return Settings(Path(user_data_dir(APP)), "default", model, keep, url)
