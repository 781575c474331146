"""Reading the user's files safely and writing ours atomically.

Every problem becomes one ``ImportFormatError`` line that names the file; a write goes to a
temporary file in the same directory and is renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from starcoach.errors import ImportFormatError, InputError

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def read_user_text(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> str:
    """The UTF-8 text of a user's file, or ImportFormatError naming the file and the problem."""
    name = str(path)
    if not path.exists():
        raise ImportFormatError(name, "no such file")
    if path.is_dir():
        raise ImportFormatError(name, "is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFormatError(name, f"file is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
        data = path.read_bytes()
    except PermissionError:
        raise ImportFormatError(name, "permission denied") from None
    except OSError as exc:
        raise ImportFormatError(name, f"cannot read ({exc.strerror})") from None
    return decode_text(data, name)


def decode_text(data: bytes, name: str) -> str:
    """Decode user bytes as UTF-8 text (a BOM is allowed), refusing binary and empty content."""
    if b"\x00" in data[:8192]:
        raise ImportFormatError(name, "looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(name, f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise ImportFormatError(name, "file is empty")
    return text


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file and rename (readable by the user only)."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{path}: directory {parent} does not exist")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=parent)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
