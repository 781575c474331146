"""Question banks in the seed Markdown format: parse a document into a Bank, write a Bank back.

The format (see DESIGN.md)::

    # Title
    > **Topic**: ...                  (any ``**Key**: value`` quote lines -> Bank.meta)
    ### 1. Question text             (``## 1.`` headings too, when a document numbers those)
    **Answer:**
    *   **Label**: talking point      (or plain text; nested bullets, code, tables, math...)

Parsing uses markdown-it-py for the block structure (see :mod:`starcoach.bank.mdsource`) and then
slices the *original lines* by each block's line range, so a point keeps its Markdown exactly as
written (dedented to its bullet).
Nothing is dropped: every line ends up in the title, meta, preamble, a question's text, a point, a
follow-up or a red flag. The only lines left out are the answer markers themselves and ``---``
separators between blocks, which carry no content. What looks odd is reported as a warning with
its line number instead of being guessed away.

Beyond the seed, ``**Follow-ups:**`` and ``**Red flags:**`` lines inside an answer start lists of
follow-up questions and red flags, so these fields survive a Markdown round trip too. Types and
competencies are not written: on import they are inferred again by :mod:`starcoach.bank.classify`.

Import -> export -> import gives the same Bank. Pure functions over strings; no file I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import PurePath

from starcoach.bank.classify import classify, document_type, technical_document
from starcoach.bank.mdsource import (
    Block,
    dedent_block,
    is_blank,
    item_text,
    normalize,
    parse_blocks,
    split_label,
    tidy,
)
from starcoach.bank.model import Bank, Point, Question, QuestionType
from starcoach.bank.naming import question_id, unique_ids
from starcoach.errors import ImportFormatError
from starcoach.ids import BankId, slugify

_ANSWER = re.compile(r"^ {0,3}(?:(\*\*|__|\*|_)answer:?\1:?|answer:)[ \t]*(?P<rest>.*)$", re.IGNORECASE)
_SECTION = re.compile(
    r"^ {0,3}(?:\*\*|__)?(follow[- ]?ups?(?: questions)?|red[- ]flags?)(?::(?:\*\*|__)?|(?:\*\*|__):)[ \t]*$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?:q(?:uestion)?\s*)?(\d{1,6})\s*[.):](?:\s+(.*)|$)", re.IGNORECASE | re.DOTALL)
_LIST_START = re.compile(r"^(?:[*+-]|\d{1,9}[.)])[ \t]+\S")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_HR = re.compile(r"^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")
_BLOCK_START = re.compile(
    r"^(?:[*+-](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|>|`{3}|~{3}|\||\$\$)"
)
_H3_LINE = re.compile(r"^ {0,3}###(?:[ \t]|$)", re.MULTILINE)
_LIST_ITEM_INDENT = 4

__all__ = [
    "ParsedBank",
    "doc_types",
    "make_question",
    "parse_markdown",
    "question_id",
    "split_label",
    "to_markdown",
]


@dataclass(frozen=True, slots=True)
class ParsedBank:
    """A parsed document: the bank, and what looked wrong (``"line 40: ..."``), in document order."""

    bank: Bank
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Element:
    """One unit of an answer: a list item or another block, as dedented Markdown source."""

    kind: str  # "item", "paragraph" or "other"
    text: str


@dataclass(slots=True)
class _Answer:
    points: list[Point] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# document structure


def _question_level(blocks: list[Block]) -> int:
    """2 when the document numbers its ``##`` headings as questions, else 3."""
    numbered_h2 = any(b.kind == "heading" and b.level == 2 and _NUMBER.match(b.content) for b in blocks)
    return 2 if numbered_h2 else 3


def _is_question(b: Block, level: int) -> bool:
    if b.kind != "heading" or b.level != level:
        return False
    return level == 3 or _NUMBER.match(b.content) is not None


def _sections(blocks: list[Block]) -> tuple[list[Block], list[tuple[Block, list[Block]]]]:
    level = _question_level(blocks)
    header: list[Block] = []
    questions: list[tuple[Block, list[Block]]] = []
    for b in blocks:
        if _is_question(b, level):
            questions.append((b, []))
        elif questions:
            questions[-1][1].append(b)
        else:
            header.append(b)
    return header, questions


def _split_meta(lines: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """A quote's ``> **Key**: value`` lines as pairs, and its other non-blank lines as written.

    A quote with lazy lines (no ``>``) gives no pairs: its lines only make sense together.
    """
    quoted = [_QUOTE.match(line) for line in lines if not is_blank(line)]
    if not all(quoted):
        return [], lines
    pairs: list[tuple[str, str]] = []
    other: list[str] = []
    for q in quoted:
        assert q is not None
        label, value = split_label(q.group(1).strip(" \t"))
        if label:
            pairs.append((label, value))
        elif not is_blank(q.group(1)):
            other.append(q.group(0))
    return pairs, other


def _take_meta(blocks: list[Block], lines: list[str]) -> tuple[list[tuple[str, str]], list[str], list[Block]]:
    """Meta pairs from the leading quotes that hold ``**Key**: value`` lines.

    Returns the pairs, the other lines of those quotes, and the blocks after them.
    """
    meta: list[tuple[str, str]] = []
    leftover: list[str] = []
    i = 0
    while i < len(blocks) and blocks[i].kind == "blockquote":
        pairs, other = _split_meta(lines[blocks[i].start : blocks[i].end])
        if not pairs:
            break
        meta.extend(pairs)
        leftover.extend(other)
        i += 1
    return meta, leftover, blocks[i:]


def _slice(blocks: list[Block], lines: list[str]) -> str:
    return tidy("\n".join(lines[blocks[0].start : blocks[-1].end])) if blocks else ""


def _header(blocks: list[Block], lines: list[str]) -> tuple[str, list[tuple[str, str]], str]:
    """Title, meta pairs and preamble from the blocks before the first question.

    The title is the first ``#`` heading; meta comes from quotes at the very start and right
    after the title. Everything else, in order, is the preamble (export puts it after the meta).
    """
    content = [b for b in blocks if b.kind != "hr"]
    t = next((i for i, b in enumerate(content) if b.kind == "heading" and b.level == 1 and b.content), None)
    title = content[t].content if t is not None else ""
    before, after = (content[:t], content[t + 1 :]) if t is not None else ([], content)
    meta1, left1, before = _take_meta(before, lines)
    meta2, left2, after = _take_meta(after, lines)
    pieces = ["\n".join(left1), _slice(before, lines), "\n".join(left2), _slice(after, lines)]
    return title, meta1 + meta2, "\n\n".join(p for p in pieces if p)


# ---------------------------------------------------------------------------------------------
# one question


def _find_marker(body: list[Block], lines: list[str]) -> tuple[int, int] | None:
    """(index in body, 0-based line) of the first ``**Answer:**`` line inside a top-level paragraph."""
    for i, b in enumerate(body):
        if b.kind != "paragraph":
            continue
        for ln in range(b.start, b.end):
            if _ANSWER.match(lines[ln]):
                return i, ln
    return None


def _elements(body: list[Block], lines: list[str]) -> list[_Element]:
    """Each block as an answer element; a top-level list gives one element per item."""
    out: list[_Element] = []
    for b in body:
        chunk = lines[b.start : b.end]
        if b.kind == "hr":
            continue
        if b.kind == "item":
            out.append(_Element("item", item_text(chunk)))
            continue
        text = dedent_block(chunk)
        if b.kind == "code_block" and _LIST_START.match(text):
            out.extend(_sub_elements(text))  # bullets indented by 4 or more: a list, really
        elif b.kind == "paragraph":
            out.extend(_Element("paragraph", part) for part in _label_runs(text))
        else:
            out.append(_Element("paragraph" if b.kind == "raw" else "other", text))
    return out


def _label_runs(text: str) -> list[str]:
    """A paragraph of ``**Label**: ...`` lines (bullets without the bullets) split into one part per label."""
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if split_label(ln)[0]]
    if len(starts) < 2 or starts[0] != 0:
        return [text]
    bounds = [*starts, len(lines)]
    return ["\n".join(lines[a:b]) for a, b in pairwise(bounds)]


def _sub_elements(text: str) -> list[_Element]:
    """Elements of a fragment (the text after an answer marker) parsed as a document of its own."""
    sub = text.split("\n")
    return _elements(parse_blocks(sub), sub)


def _answer(elements: list[_Element]) -> _Answer:
    ans = _Answer()
    target: list[str] | None = None
    for el in elements:
        sec = _SECTION.match(el.text) if el.kind == "paragraph" else None
        if sec is not None:
            target = ans.follow_ups if sec.group(1).lower().startswith("f") else ans.red_flags
        elif target is not None:
            target.append(el.text)
        else:
            ans.points.append(Point(*split_label(el.text)))
    return ans


def _split_body(body: list[Block], lines: list[str]) -> tuple[str, list[_Element]]:
    """The question's extra text (before the answer marker) and the answer's elements."""
    found = _find_marker(body, lines)
    if found is None:
        return "", _elements(body, lines)
    idx, ln = found
    marker = body[idx]
    pre = [b for b in body[:idx] if b.kind != "hr"]
    first = pre[0].start if pre else marker.start
    last = ln if marker.start < ln else (pre[-1].end if pre else ln)
    extra = tidy("\n".join(lines[first:last]))
    head = _ANSWER.match(lines[ln])
    rest = [head.group("rest") if head else "", *lines[ln + 1 : marker.end]]
    tail = dedent_block(rest)
    elements = _sub_elements(tail) if tail else []
    return extra, elements + _elements(body[idx + 1 :], lines)


def _warn_headings(body: list[Block], label: str) -> list[str]:
    return [
        f"line {b.start + 1}: heading '{b.content}' inside question {label} was kept as one of its points"
        for b in body
        if b.kind == "heading" and b.level <= 2
    ]


@dataclass(frozen=True, slots=True)
class _RawQuestion:
    number: int | None
    text: str
    answer: _Answer
    line: int


def _raw_question(head: Block, body: list[Block], lines: list[str]) -> tuple[_RawQuestion, list[str]]:
    m = _NUMBER.match(head.content)
    number = int(m.group(1)) if m else None
    heading = (m.group(2) or "").strip() if m else head.content
    extra, elements = _split_body(body, lines)
    text = f"{heading}\n\n{extra}" if extra else heading
    raw = _RawQuestion(number, text, _answer(elements), head.start + 1)
    label = str(number) if number is not None else repr(heading[:40])
    warnings = _warn_headings(body, label)
    if not raw.answer.points:
        warnings.insert(0, f"line {raw.line}: question {label} has no answer")
    return raw, warnings


# ---------------------------------------------------------------------------------------------
# building the bank


def make_question(
    bank_id: BankId,
    index: int,
    number: int | None,
    text: str,
    points: tuple[Point, ...] = (),
    *,
    follow_ups: tuple[str, ...] = (),
    red_flags: tuple[str, ...] = (),
    source: str = "",
    qtype: QuestionType | None = None,
) -> Question:
    """A question as the importer builds it: id from the heading, type and competencies inferred.

    ``index`` is the 1-based position in the document (used in the id when there is no number).
    ``qtype`` is the type the document decided (see :func:`doc_types`); by default, the wording's.
    """
    kind = classify(text)
    return Question(
        id=question_id(bank_id, index, number),
        text=text,
        type=qtype if qtype is not None else kind.type,
        competencies=kind.competencies,
        points=points,
        follow_ups=follow_ups,
        red_flags=red_flags,
        source=source,
        bank=bank_id,
        number=number,
    )


def _bank_id(title: str, source: str, bank_id: str | None) -> BankId:
    if bank_id:
        return BankId(bank_id)
    return BankId(slugify(title, 48) if title else slugify(PurePath(source).stem, 48))


_TYPE_META = ("type", "question type")
_BEHAVIORAL = ("behavioral", "behavioural")


def doc_types(title: str, meta: list[tuple[str, str]], texts: list[str],
              source: str) -> list[QuestionType]:
    """Each question's type: ``> **Type**: knowledge`` (or ``behavioral``) in the header decides for the
    whole document; otherwise a technical document (a day of the series) makes its questions
    ``knowledge`` and a behavioral one keeps the wording's types (see :mod:`starcoach.bank.classify`)."""
    said = next((v.strip().lower() for k, v in meta if k.strip().lower() in _TYPE_META), "")
    if said and said not in _BEHAVIORAL:
        try:
            forced = QuestionType.parse(said)
        except Exception as err:
            raise ImportFormatError(source, f"header 'Type': {err}") from None
        return [forced] * len(texts)
    topic = " ".join([title, *(v for _, v in meta)])
    technical = not said and technical_document(topic, texts)
    return [document_type(t, technical) for t in texts]


def _duplicate_numbers(raws: list[_RawQuestion]) -> list[str]:
    seen: set[int] = set()
    out: list[str] = []
    for r in raws:
        if r.number is not None and r.number in seen:
            out.append(f"line {r.line}: question number {r.number} is used more than once")
        if r.number is not None:
            seen.add(r.number)
    return out


def parse_markdown(text: str, *, source: str, bank_id: str | None = None) -> ParsedBank:
    """Parse a seed-format document. ``source`` names the file in errors and on every question.

    Raises ImportFormatError (naming ``source``) for an empty document or one with no questions.
    """
    lines = normalize(text).split("\n")
    if not any(ln.strip() for ln in lines):
        raise ImportFormatError(source, "empty document (expected '### 1. Question' headings)")
    header, sections = _sections(parse_blocks(lines))
    if not sections:
        raise ImportFormatError(source, "no questions found (expected '### 1. Question' headings)")
    title, meta, preamble = _header(header, lines)
    bid = _bank_id(title, source, bank_id)
    warnings: list[str] = [] if title else ["line 1: no '# Title' heading; the bank is named after the file"]
    raws: list[_RawQuestion] = []
    for head, body in sections:
        raw, notes = _raw_question(head, body, lines)
        raws.append(raw)
        warnings.extend(notes)
    warnings.extend(_duplicate_numbers(raws))
    types = doc_types(title, list(meta), [r.text for r in raws], source)
    questions = [
        make_question(
            bid,
            i,
            r.number,
            r.text,
            tuple(r.answer.points),
            follow_ups=tuple(r.answer.follow_ups),
            red_flags=tuple(r.answer.red_flags),
            source=source,
            qtype=kind,
        )
        for i, (r, kind) in enumerate(zip(raws, types, strict=True), start=1)
    ]
    bank = Bank(bid, title, tuple(unique_ids(questions)), tuple(meta), preamble, source)
    return ParsedBank(bank, tuple(sorted(warnings, key=_line_of)))


def _line_of(warning: str) -> int:
    m = re.match(r"line (\d+):", warning)
    return int(m.group(1)) if m else 0


# ---------------------------------------------------------------------------------------------
# bank -> Markdown


def _bullet(text: str) -> str:
    """``text`` as one bullet: first line after the marker, the rest indented under it."""
    first, *rest = text.split("\n")
    mark = "-" if _HR.match(f"*   {first}") else "*"
    pad = " " * _LIST_ITEM_INDENT
    body = [f"{mark}   {first}" if first else mark, *(f"{pad}{ln}" if ln else "" for ln in rest)]
    return "\n".join(body)


def _point_md(p: Point) -> str:
    if not p.label:
        return _bullet(p.text)
    if p.text and _BLOCK_START.match(p.text):
        return _bullet(f"**{p.label}**:\n{p.text}")  # a list/code/table cannot start on the label line
    return _bullet(f"**{p.label}**: {p.text}" if p.text else f"**{p.label}**:")


def _heading_mark(bank: Bank) -> str:
    """``###`` as in the seed; ``##`` when the preamble or a question's own text has ``###`` headings
    that would otherwise read as questions (documents that number ``## 1.`` questions do this)."""
    texts = [bank.preamble, *(q.text.partition("\n")[2] for q in bank.questions)]
    numbered = all(q.number is not None for q in bank.questions)
    return "##" if numbered and any(_H3_LINE.search(t) for t in texts) else "###"


def _question_md(q: Question, mark: str) -> str:
    head, _, extra = q.text.partition("\n")
    number = f"{q.number}. " if q.number is not None else ""
    heading = f"{mark} {number}{head}".rstrip()
    answer = "\n".join(["**Answer:**", *(_point_md(p) for p in q.points)])
    # The seed puts **Answer:** right under the heading; extra question text needs blank lines.
    body = extra.strip("\n")
    parts = [f"{heading}\n\n{body}\n\n{answer}" if body.strip(" \t\n") else f"{heading}\n{answer}"]
    for name, items in (("Follow-ups", q.follow_ups), ("Red flags", q.red_flags)):
        if items:
            parts.append("\n".join([f"**{name}:**", *(_bullet(t) for t in items)]))
    return "\n\n".join(parts)


def to_markdown(bank: Bank) -> str:
    """The bank in seed format; ``parse_markdown`` of the result gives the same bank back."""
    parts: list[str] = []
    if bank.title:
        parts.append(f"# {bank.title}")
    if bank.meta:
        parts.append("\n".join(f"> **{k}**: {v}" if v else f"> **{k}**:" for k, v in bank.meta))
    if bank.preamble:
        parts.append(bank.preamble)
    mark = _heading_mark(bank)
    parts.extend(_question_md(q, mark) for q in bank.questions)
    return "\n\n".join(parts) + "\n"
