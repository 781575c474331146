"""The user's practice data as a whole: backups, export/import of everything, delete all, the trend plot.

A mixin of the Coach like the others; the database work itself is in ``starcoach.store.dataio``.
matplotlib is imported only when a plot is drawn (the ``plot`` extra).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starcoach import progress as progress_mod
from starcoach.errors import InputError, StorageError
from starcoach.ids import LOCAL_OWNER
from starcoach.service.banks import BankService, ImportReport

if TYPE_CHECKING:
    from starcoach.store.dataio import TableCount

AUTO_BACKUPS_KEPT = 10


class PracticeDataService(BankService):
    """Backup, export --all, import --all and delete --all of the Coach."""

    def import_files(self, paths: Sequence[Path], fmt: str | None = None,
                     qtype: str | None = None) -> ImportReport:
        """Import question banks (see BankService), after an automatic backup when data exists."""
        if self._has_file() and self.store.banks.ids():
            self.backup(label="before-import")
        return super().import_files(paths, fmt, qtype)

    def _owns_banks(self) -> bool:
        """The local user owns the whole database, banks included; a team member shares the banks."""
        return self.store.owner == LOCAL_OWNER

    def _has_file(self) -> bool:
        """Whether the database is a SQLite file that exists (only those are backed up here)."""
        if self.settings.database_url is None:
            return self.settings.db_path.exists()
        return self.store.path is not None and self.store.path.exists()

    def backup(self, target: Path | None = None, label: str = "manual") -> Path:
        """A verified copy of the database (default: the backups dir, named by time)."""
        from starcoach.store import dataio

        if self.store.path is None:
            raise StorageError("a PostgreSQL database is backed up with pg_dump, not 'starcoach backup'")
        stamp = self.now().strftime("%Y%m%dT%H%M%S%fZ")
        dest = target or self.settings.backup_dir / f"starcoach-{label}-{stamp}.db"
        made = dataio.backup_to(self.store.path, dest)
        if target is None and label != "manual":
            dataio.prune_backups(self.settings.backup_dir, f"starcoach-{label}-", AUTO_BACKUPS_KEPT)
        return made

    def export_all(self, path: Path) -> list[TableCount]:
        """Write everything in the database to ``path`` as versioned JSON (atomically, 0600)."""
        from starcoach.service.files import write_atomic
        from starcoach.store import dataio

        data = dataio.export_all(self.store.engine, self.now(), self.store.owner)
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        return [dataio.TableCount(name, len(t["rows"])) for name, t in data["tables"].items()]

    def import_all(self, path: Path) -> list[TableCount]:
        """Restore an ``export --all`` file into this (empty) database, after a backup."""
        from starcoach.service.files import read_user_text
        from starcoach.store import dataio

        text = read_user_text(path, max_bytes=512 * 1024 * 1024)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
        except RecursionError:
            raise InputError(f"{path}: not an export (JSON nested too deeply)") from None
        if self.store.path is not None:  # a PostgreSQL database is backed up with pg_dump
            self.backup(label="before-import")
        # A team member's import adds to the shared banks; only the local user's replaces them.
        return dataio.import_all(self.store.engine, data, self.store.owner, merge_shared=not self._owns_banks())

    def data_counts(self) -> list[TableCount]:
        from starcoach.store import dataio

        return dataio.count_rows(self.store.engine, self.store.owner)

    def delete_all(self, keep_backups: bool = False) -> list[TableCount]:
        """Erase every row (no trace left in the file or WAL), every kept recording and, unless kept,
        every backup. For a team member (an owner other than the local one): their rows only."""
        import shutil

        from starcoach.store import dataio

        counts = dataio.delete_all(self.store.engine, self.store.owner, include_shared=self._owns_banks())
        if not self._owns_banks():
            return counts  # a team member's rows only: the data dir's files are the server's, not theirs
        shutil.rmtree(self.settings.audio_dir, ignore_errors=True)
        if not keep_backups:
            dataio.remove_backups(self.settings.backup_dir)
        self._remove_drafts()
        return counts

    def keep_draft(self, text: str) -> Path:
        """Keep story text that could not be saved in ``drafts/`` (mode 0600; ``delete_all`` removes it)."""
        from starcoach.service.files import write_atomic

        drafts = self.settings.home / DRAFTS
        drafts.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = drafts / f"story-{self.now():%Y%m%dT%H%M%S}.md"
        write_atomic(path, text.encode("utf-8"))
        return path

    def _remove_drafts(self) -> None:
        drafts = self.settings.home / DRAFTS
        if drafts.is_dir():
            for item in drafts.iterdir():
                if item.is_file() or item.is_symlink():
                    item.unlink()


DRAFTS = "drafts"  # under home: story text an editor session could not save
PLOT_SUFFIXES = (".png", ".svg")


def plot_progress(prog: progress_mod.Progress, path: Path) -> Path:
    """Draw the overall, per-competency and per-dimension trends to ``path`` with matplotlib."""
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise InputError(f"{path}: the plot is written as .png or .svg")
    fig = progress_figure(prog)
    from matplotlib import pyplot as plt

    from starcoach.service.files import write_atomic

    buf = io.BytesIO()
    fig.savefig(buf, format=path.suffix.lower().lstrip("."), metadata=_PLOT_METADATA[path.suffix.lower()])
    plt.close(fig)
    write_atomic(path, buf.getvalue())
    return path


def progress_figure(prog: progress_mod.Progress) -> Any:
    """The matplotlib figure of :func:`plot_progress` (the caller closes it)."""
    if prog.overall is None:
        raise InputError("nothing to plot yet: answer a few questions with 'starcoach practice' first")
    try:
        import matplotlib
    except ModuleNotFoundError:
        raise InputError("plotting needs matplotlib: pip install 'starcoach[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7.5), sharex=True)
    _draw(top, [prog.overall], "overall", width=2.5)
    _draw(top, sorted(prog.competencies, key=lambda t: -t.count)[:6], None)
    top.set_ylabel("answer score (0-100)")
    top.set_ylim(0, 100)
    top.set_title(f"starcoach progress: {prog.scored} scored answers over {prog.days_practiced} days")
    _draw(bottom, list(prog.dimensions), None)
    bottom.set_ylabel("dimension score (1-5)")
    bottom.set_ylim(0.5, 5.5)
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left", ncols=2)
    _date_axis(bottom, [d for d, _ in prog.overall.points])
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _date_axis(ax: Any, days: Sequence[Any]) -> None:
    """An x axis from a day before the first answer to a day after the last, one label per day or so.

    Left to matplotlib, a single day of data spreads the axis over years (2025 to 2029).
    """
    from datetime import timedelta

    from matplotlib import dates as mdates

    first = datetime(days[0].year, days[0].month, days[0].day)
    last = datetime(days[-1].year, days[-1].month, days[-1].day)
    ax.set_xlim(first - timedelta(days=1), last + timedelta(days=1))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10, interval_multiples=True)  # type: ignore[no-untyped-call]
    locator.intervald[mdates.HOURLY] = [24]  # never ticks between days: a point is a day
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]


# Fixed metadata, so the same progress always draws the same bytes.
_PLOT_METADATA: dict[str, dict[str, Any]] = {".svg": {"Date": None}, ".png": {"Software": None}}


def _draw(ax: Any, trends: Sequence[progress_mod.Trend], label: str | None, width: float = 1.2) -> None:
    for t in trends:
        if not t.points:
            continue
        xs = [datetime(d.year, d.month, d.day) for d, _ in t.points]
        ax.plot(
            xs, [v for _, v in t.points], marker="o", markersize=3, linewidth=width, label=label or t.name
        )
