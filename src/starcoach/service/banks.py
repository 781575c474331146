"""Use cases of the question bank: list, search, show, import and export.

Format readers and writers live in ``starcoach.bank``; this module adds the file I/O around them
and makes each import one transaction, so a failing file leaves the database as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from starcoach.bank import query
from starcoach.bank.builtin import BUILTIN_ID, builtin_bank, builtin_question
from starcoach.bank.dedupe import Link, index, link_known
from starcoach.bank.model import Bank, Question, QuestionFilter, QuestionType
from starcoach.bank.naming import safe_bank, unique_ids
from starcoach.errors import ImportFormatError, InputError, NotFoundError
from starcoach.service.base import CoachBase
from starcoach.service.files import read_user_text, write_atomic

IMPORT_FORMATS = ("md", "json", "csv")
EXPORT_FORMATS = ("md", "json", "csv", "anki")
_SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv"}


@dataclass(frozen=True, slots=True)
class ImportedBank:
    """What one bank of an import brought in."""

    bank_id: str
    title: str
    questions: int
    source: str
    replaced: bool
    warnings: tuple[str, ...] = ()
    linked: tuple[Link, ...] = ()  # questions the bank already held: linked, not copied


@dataclass(frozen=True, slots=True)
class ImportReport:
    banks: tuple[ImportedBank, ...] = ()
    skipped: tuple[str, ...] = field(default=())


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in IMPORT_FORMATS:
            raise InputError(f"unknown import format '{fmt}' (known: {', '.join(IMPORT_FORMATS)})")
        return fmt
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise ImportFormatError(str(path), "unknown file type; use .md, .json or .csv (or --format)")
    return found


def parse_file(path: Path, fmt: str | None = None) -> list[tuple[Bank, tuple[str, ...]]]:
    """Read one file into banks with their warnings; raises ImportFormatError naming the file."""
    kind = detect_format(path, fmt)
    text = read_user_text(path)
    if kind == "md":
        from starcoach.bank.markdown import parse_markdown

        parsed = parse_markdown(text, source=path.name, bank_id=None)
        return [(parsed.bank, tuple(parsed.warnings))]
    if kind == "json":
        from starcoach.bank.jsonio import loads_banks

        return [(b, ()) for b in loads_banks(text, source=str(path))]
    from starcoach.bank.csvio import loads_csv

    return [(b, ()) for b in loads_csv(text, source=str(path))]


class BankService(CoachBase):
    """Question bank use cases of the Coach."""

    def banks(self) -> list[Bank]:
        """The bundled bank first, then the user's imported banks."""
        return [builtin_bank(), *self.store.banks.load_all()]

    def all_questions(self) -> list[Question]:
        """Every question once: a question an import linked to an earlier one is listed only there."""
        seen: set[str] = set()
        out: list[Question] = []
        for q in (q for b in self.banks() for q in b.questions):
            if q.id not in seen:
                seen.add(q.id)
                out.append(q)
        return out

    def questions(self, flt: QuestionFilter | None = None) -> list[Question]:
        found = self.all_questions()
        if flt is None:
            return found
        if flt.bank is not None:
            bank = next((b for b in self.banks() if b.id == flt.bank), None)
            if bank is None:
                raise NotFoundError(f"no bank '{flt.bank}' (see 'starcoach banks')")
            found = list(bank.questions)  # its linked questions too, as that bank words them
        if flt.text:
            found = query.search(found, flt.text)
        return query.filter_questions(found, QuestionFilter(flt.type, flt.competencies, flt.bank, None))

    def question(self, qid: str) -> Question:
        """The question with id ``qid`` (bundled bank first), or NotFoundError."""
        bundled = builtin_question(qid)
        if bundled is not None:
            return bundled
        for q in self.all_questions():
            if q.id == qid:
                return q
        raise NotFoundError(f"no question with id '{qid}' (try 'starcoach questions search WORDS')")

    def question_for(self, ref: str | None) -> Question | str | None:
        """A bank question when ``ref`` is an id, else ``ref`` as free question text."""
        if ref is None or not ref.strip():
            return None
        ref = ref.strip()
        if " " not in ref:
            try:
                return self.question(ref)
            except NotFoundError:
                if len(ref) < 40 and "-" in ref:
                    raise
        return ref

    def import_files(self, paths: Sequence[Path], fmt: str | None = None,
                     qtype: str | None = None) -> ImportReport:
        """Import every file, all or nothing: every file is parsed before anything is written.
        ``qtype`` (``import --type knowledge``) overrides every imported question's type."""
        if not paths:
            raise InputError("no files to import")
        forced = QuestionType.parse(qtype) if qtype else None
        parsed: list[tuple[Bank, tuple[str, ...]]] = []
        for path in paths:
            parsed.extend(parse_file(path, fmt))
        if forced is not None:
            parsed = [(b.retyped(forced), w) for b, w in parsed]
        keep = [(b, w) for b, w in parsed if b.id != BUILTIN_ID]
        skipped = tuple(f"{b.title or b.id}: the bundled bank is not imported again" for b, _ in parsed
                        if b.id == BUILTIN_ID)
        existing = set(self.store.banks.ids())
        stored = self.store.banks.load_all()
        ready: list[ImportedBank] = []
        banks: list[Bank] = []
        for b, w in keep:
            others = [builtin_bank(), *banks, *(s for s in stored if s.id != b.id)]
            bank, report = _prepare(b, w, others)
            banks = [*(x for x in banks if x.id != bank.id), bank]
            ready.append(replace(report, replaced=bank.id in existing))
        self.store.banks.save_all(banks, self.now())
        return ImportReport(banks=tuple(ready), skipped=skipped)

    def select_banks(self, bank_ids: Sequence[str]) -> list[Bank]:
        everything = self.banks()
        if not bank_ids:
            return everything
        by_id: dict[str, Bank] = {b.id: b for b in everything}
        missing = [b for b in bank_ids if b not in by_id]
        if missing:
            raise NotFoundError(f"no bank '{missing[0]}' (known: {', '.join(by_id)})")
        return [by_id[b] for b in bank_ids]

    def export_bytes(self, fmt: str, bank_ids: Sequence[str] = ()) -> bytes:
        """The chosen banks (all by default) as the bytes of a ``fmt`` file (md, json, csv or anki)."""
        _check_export_format(fmt)
        return render_banks(fmt, self.select_banks(bank_ids), self.now())

    def export(self, fmt: str, path: Path, bank_ids: Sequence[str] = ()) -> list[Bank]:
        """Write the chosen banks (all by default) to ``path`` in ``fmt``; returns what was written."""
        _check_export_format(fmt)
        chosen = self.select_banks(bank_ids)
        write_atomic(path, self.export_bytes(fmt, [b.id for b in chosen]))
        return chosen

    def delete_bank(self, bank_id: str) -> None:
        if bank_id == BUILTIN_ID:
            raise InputError("the bundled bank cannot be deleted")
        if not self.store.banks.delete(bank_id):  # type: ignore[arg-type]
            raise NotFoundError(f"no bank '{bank_id}'")


def _prepare(bank: Bank, warnings: tuple[str, ...], others: list[Bank]) -> tuple[Bank, ImportedBank]:
    """An imported bank made ready to store: safe ids, known questions linked, ids unique everywhere."""
    _check_text(bank)
    bank, notes = safe_bank(bank)
    bank, links = link_known(bank, index(q for b in others for q in b.questions))
    linked = {link.target for link in links}
    taken = {q.id for b in others for q in b.questions} - linked
    fresh = iter(unique_ids((q for q in bank.questions if q.id not in linked), taken))
    questions = tuple(q if q.id in linked else next(fresh) for q in bank.questions)
    bank = replace(bank, questions=questions)
    report = ImportedBank(bank.id, bank.title, len(questions), bank.source, False, (*warnings, *notes), links)
    return bank, report


def _check_text(bank: Bank) -> None:
    """Refuse text that cannot be stored: a lone surrogate (``"\\ud800"`` in JSON) is not a character."""
    try:
        json.dumps(bank.to_dict(), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as err:
        bad = err.object[err.start : err.end]
        raise ImportFormatError(
            bank.source or bank.id, f"contains {bad!a}, a lone surrogate that is not text"
        ) from None


def _check_export_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format '{fmt}' (known: {', '.join(EXPORT_FORMATS)})")


def render_banks(fmt: str, chosen: list[Bank], now: datetime) -> bytes:
    """The bytes of an export of ``chosen`` in ``fmt``."""
    if fmt == "md":
        from starcoach.bank.markdown import to_markdown

        if len(chosen) != 1:
            ids = ", ".join(b.id for b in chosen)
            raise InputError(f"Markdown holds one bank per file: choose one with --bank ({ids})")
        return to_markdown(chosen[0]).encode("utf-8")
    if fmt == "json":
        from starcoach.bank.jsonio import dumps_banks

        return dumps_banks(chosen).encode("utf-8")
    if fmt == "csv":
        from starcoach.bank.csvio import dumps_csv

        return dumps_csv(chosen).encode("utf-8")
    from starcoach.bank.anki import to_apkg

    return to_apkg(_once_each(chosen), now=now)


def _once_each(chosen: list[Bank]) -> list[Bank]:
    """The banks with each question id kept once: a linked question is one Anki note, not two."""
    seen: set[str] = set()
    out: list[Bank] = []
    for b in chosen:
        kept = tuple(q for q in b.questions if q.id not in seen)
        seen.update(q.id for q in kept)
        out.append(b if len(kept) == len(b.questions) else replace(b, questions=kept))
    return out
