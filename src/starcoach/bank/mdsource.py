"""Markdown source as top-level blocks with line ranges, and the line helpers that slice it.

markdown-it-py finds the block structure (with only its block rules running: inline parsing is
not needed here); everything else works on the original lines, so text is never re-rendered.
Used by :mod:`starcoach.bank.markdown`. Pure functions over strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_LABELS = (re.compile(r"^\*\*([^*\n]+)\*\*:[ \t]*"), re.compile(r"^\*\*([^*\n]+):\*\*[ \t]*"))
_MARKER = re.compile(r"^([ \t]*)([*+-]|\d{1,9}[.)])([ \t]*)(.*)$")


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block: its kind and its 0-based line range [start, end) in the source."""

    kind: str
    start: int
    end: int
    level: int = 0  # heading level
    content: str = ""  # heading text


@cache
def _parser() -> MarkdownIt:
    # Only the block structure matters here; inline parsing (a third of the time) is switched off.
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    return md.disable(["inline", "text_join"])


def normalize(text: str) -> str:
    """Line endings and NULs as markdown-it sees them, so its line numbers index our lines."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def parse_blocks(lines: list[str]) -> list[Block]:
    """Top-level blocks, with each top-level list split into its items, plus any uncovered text."""
    tokens = _parser().parse("\n".join(lines))
    out: list[Block] = []
    in_list = False
    for i, tok in enumerate(tokens):
        if tok.map is None or tok.nesting < 0:
            continue
        if tok.level == 0:
            in_list = tok.type in ("bullet_list_open", "ordered_list_open")
            if not in_list:
                out.append(_top_block(tok, tokens[i + 1] if i + 1 < len(tokens) else None))
        elif tok.level == 1 and in_list and tok.type == "list_item_open":
            out.append(Block("item", tok.map[0], tok.map[1]))
    return _fill_gaps(out, lines)


def _top_block(tok: Token, nxt: Token | None) -> Block:
    assert tok.map is not None
    kind = tok.type.removesuffix("_open")
    if kind == "heading" and nxt is not None:
        text = " ".join(nxt.content.split("\n")).strip()
        return Block(kind, tok.map[0], tok.map[1], int(tok.tag[1:]), text)
    return Block(kind, tok.map[0], tok.map[1])


def _fill_gaps(blocks: list[Block], lines: list[str]) -> list[Block]:
    """Lines no token covers (link reference definitions) become 'raw' blocks, so none are lost."""
    out: list[Block] = []
    pos = 0
    for b in [*blocks, Block("end", len(lines), len(lines))]:
        gap = [i for i in range(pos, b.start) if not is_blank(lines[i])]
        if gap:
            out.append(Block("raw", gap[0], gap[-1] + 1))
        if b.kind != "end":
            out.append(b)
        pos = max(pos, b.end)
    return out


def is_blank(line: str) -> bool:
    """Blank as Markdown sees it: only spaces and tabs (a form feed or NBSP is content)."""
    return not line.strip(" \t")


def dedent_line(line: str, width: int) -> str:
    """``line`` without up to ``width`` columns of leading indentation (tabs stop every 4)."""
    col = 0
    for i, ch in enumerate(line):
        if col >= width or ch not in " \t":
            return " " * (col - width) + line[i:] if col > width else line[i:]
        col = col + 1 if ch == " " else col + 4 - col % 4
    return ""


def tidy(text: str) -> str:
    """Strip blank lines at both ends and trailing whitespace at the end; keep inner lines as written."""
    lines = text.split("\n")
    while lines and is_blank(lines[0]):
        lines.pop(0)
    while lines and is_blank(lines[-1]):
        lines.pop()
    return "\n".join(lines).rstrip(" \t")


def _common_indent(lines: list[str]) -> int:
    widths = [len(ln.expandtabs(4)) - len(ln.expandtabs(4).lstrip(" \t")) for ln in lines if not is_blank(ln)]
    return min(widths, default=0)


def dedent_block(lines: list[str]) -> str:
    width = _common_indent(lines)
    return tidy("\n".join(dedent_line(ln, width) for ln in lines)).lstrip(" \t")


def item_text(lines: list[str]) -> str:
    """A list item's content: the marker removed, continuation lines dedented to its content column."""
    m = _MARKER.match(lines[0])
    if m is None:  # not a list line after all: keep it whole
        return dedent_block(lines)
    lead, marker, gap, rest = m.groups()
    start = len(lead.expandtabs(4)) + len(marker)
    spaces = len((" " * start + gap).expandtabs(4)) - start
    width = start + (1 if not rest or spaces >= 5 else max(spaces, 1))
    return tidy("\n".join([rest, *(dedent_line(ln, width) for ln in lines[1:])])).lstrip(" \t")


def split_label(text: str) -> tuple[str, str]:
    """``'**Label**: text'`` or ``'**Label:** text'`` -> ``('Label', 'text')``; else ``('', text)``."""
    for rx in _LABELS:
        m = rx.match(text)
        if m and m.group(1).strip():
            return m.group(1).strip(), text[m.end() :].strip(" \t\n")
    return "", text
