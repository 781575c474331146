"""The Markdown story format (docs/stories-format.md): parse many stories, render them back.

One story per ``## Title`` heading; its fields are top-level bullets or paragraphs that start with a
bold label, like the seed's answers: ``- **Situation**: ...``. A field runs until the next field, so
nested bullets, code and quotes stay part of it, kept as written. markdown-it-py finds the structure
(so a label inside a code block is never a field); the values are sliced from the source lines.

A bold label starts a field only at the field level: at the start of a top-level bullet or paragraph,
or on a later line of one that is not indented under its bullet (written at the bullet's own level).
A line indented under a field's bullet belongs to that field, whatever it looks like; this is how
``render_story`` writes every line of a multi-line field, so any text survives render -> parse.
``<!--`` opens a comment that is dropped, so the renderer writes a literal ``<!--`` as ``<\\!--``
(Markdown's own escape) and the parser turns it back.

Every problem in a file is collected and reported together, each naming the story, its line and the
field; nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starcoach.errors import ImportFormatError, InputError
from starcoach.ids import slugify
from starcoach.stories.fields import (
    format_metrics,
    format_when,
    parse_competencies,
    parse_metrics,
    parse_when,
    quoted,
    split_list,
)
from starcoach.stories.model import Scope, StoryContent

MAX_STORIES = 500
MAX_FIELD_CHARS = 20_000
MAX_TITLE_CHARS = 150
REQUIRED = ("situation", "action", "result")

# Label as written (lower case) -> field name.
ALIASES: dict[str, str] = {
    "situation": "situation",
    "context": "situation",
    "background": "situation",
    "task": "task",
    "goal": "task",
    "objective": "task",
    "challenge": "task",
    "action": "action",
    "actions": "action",
    "what i did": "action",
    "approach": "action",
    "decision": "action",
    "result": "result",
    "results": "result",
    "outcome": "result",
    "impact": "result",
    "metrics": "metrics",
    "numbers": "metrics",
    "learned": "learned",
    "learning": "learned",
    "lesson": "learned",
    "lessons": "learned",
    "reflection": "learned",
    "key": "learned",
    "takeaway": "learned",
    "what i learned": "learned",
    "competencies": "competencies",
    "competency": "competencies",
    "skills": "competencies",
    "tags": "tags",
    "tag": "tags",
    "role": "role",
    "my role": "role",
    "scope": "scope",
    "when": "when",
    "dates": "when",
    "date": "when",
}
# Field name -> label written by render (in this order).
LABELS: tuple[tuple[str, str], ...] = (
    ("competencies", "Competencies"),
    ("tags", "Tags"),
    ("role", "Role"),
    ("scope", "Scope"),
    ("when", "When"),
    ("situation", "Situation"),
    ("task", "Task"),
    ("action", "Action"),
    ("result", "Result"),
    ("metrics", "Metrics"),
    ("learned", "Learned"),
)
_LABEL_OF = dict(LABELS)
_FIELD_START = re.compile(r"^\*\*(?P<label>[^*\n]{1,40}?)\s*(?::\s*\*\*|\*\*\s*:)")
_RAW_START = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])?\s*\*\*[^*\n]{1,40}?\s*(?::\s*\*\*|\*\*\s*:)[ \t]?")
_BULLET = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_ESCAPED_COMMENT = re.compile(r"<(\\*)\\!--")  # "<\!--" in a file is a literal "<!--" in a field
_COMMENT_OPEN = re.compile(r"<(\\*)!--")
_TAB = 4  # Markdown's tab stop
_H2_LINE = re.compile(r"^ {0,3}##(?:[ \t]|$)", re.MULTILINE)


class StoryFormatError(ImportFormatError):
    """A story file with problems; ``problems`` lists each one ("story 'X' (line 4): field ...")."""

    def __init__(self, path: str, problems: list[str]) -> None:
        shown = problems[0] if len(problems) == 1 else f"{len(problems)} problems: " + "; ".join(problems[:6])
        if len(problems) > 6:
            shown += f"; and {len(problems) - 6} more"
        super().__init__(path, shown + " (nothing was saved)")
        self.problems = tuple(problems)


@dataclass
class _Section:
    """One ``## Title`` section while it is being read."""

    title: str
    line: int  # 1-based line of the heading
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (raw value, line)
    problems: list[str] = field(default_factory=list)
    nested: dict[str, int] = field(default_factory=dict)  # label indented under another field -> line

    def where(self) -> str:
        return f"story {quoted(self.title) if self.title else '(untitled)'} (line {self.line})"


def _newlines(text: str) -> str:
    """Line ends as markdown-it counts them (\\r\\n and \\r become \\n), so its line numbers index ours."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blank_comments(text: str) -> str:
    """Remove HTML comments but keep line numbers (a comment becomes as many newlines).

    A scan with ``str.find`` instead of the regex ``<!--.*?-->``: with an unclosed ``<!--`` the
    regex retried from every later ``<!--`` to the end of the text, which took 74 s on
    ``'<!--' * 80000``. An unclosed comment is kept as text, as before.
    """
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out += [text[pos:start], "\n" * text.count("\n", start, end + 3)]
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def _unescape_comments(text: str) -> str:
    return _ESCAPED_COMMENT.sub(lambda m: f"<{m.group(1)}!--", text)


def _escape_comments(text: str) -> str:
    return _COMMENT_OPEN.sub(lambda m: f"<{m.group(1)}\\!--", text)


def clean_field(text: str) -> str:
    """A field's text as the format keeps it: ``\\n`` line ends, no white space at the end of a line or
    before the first one, no blank lines around it. ``parse_stories(render_story(c))`` gives every
    free-text field of ``c`` back as ``clean_field`` of it."""
    lines = [line.rstrip() for line in _newlines(text).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).lstrip()


def _value(lines: list[str], start: int, stop: int) -> str:
    """The text of a field from its label line ``start`` up to line ``stop`` (exclusive)."""
    first = _RAW_START.sub("", lines[start], count=1)
    rest = textwrap.dedent("\n".join(lines[start + 1 : stop]))
    return _unescape_comments(clean_field(f"{first}\n{rest}"))


def _sections(text: str) -> list[_Section]:
    """Split the document into story sections with their raw fields."""
    from markdown_it import MarkdownIt  # imported on use: every Coach imports this module

    # Block structure only: fields are sliced from the lines, so inline parsing (emphasis, links) is
    # skipped; it cost seconds on a long line of '*' and gave nothing used here.
    tokens = MarkdownIt("commonmark").disable(["inline", "text_join"]).parse(text)
    lines = text.split("\n")
    heads = [
        (i, t.tag, t.map[0], t.map[1])
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.level == 0 and t.tag in ("h1", "h2") and t.map
    ]
    sections: list[_Section] = []
    for n, (i, tag, first, _) in enumerate(heads):
        if tag != "h2":
            continue
        end_tok = heads[n + 1][0] if n + 1 < len(heads) else len(tokens)
        stop_line = heads[n + 1][2] if n + 1 < len(heads) else len(lines)
        section = _Section(_unescape_comments(tokens[i + 1].content.strip()), first + 1)
        _read_fields(section, tokens[i + 3 : end_tok], lines, stop_line)
        sections.append(section)
    return sections


def _label(text: str) -> str | None:
    m = _FIELD_START.match(text)
    return m.group("label").strip() if m else None


def _indent(line: str) -> int:
    """The column where a line's text starts (tabs to Markdown's tab stops)."""
    expanded = line.expandtabs(_TAB)
    return len(expanded) - len(expanded.lstrip(" "))


def _paragraph_labels(tok: Any, lines: list[str]) -> list[tuple[int, str]]:
    """(line, label) for every line of a top-level paragraph that starts with a bold label."""
    found = [(line, _label(lines[line].strip())) for line in range(tok.map[0], tok.map[1])]
    return [(line, label) for line, label in found if label is not None]


def _item_labels(tokens: list[Any], k: int, lines: list[str], section: _Section) -> list[tuple[int, str]]:
    """(line, label) of the fields a top-level list item starts: its first line, and any later line of
    its first paragraph written at the bullet's level (a lazy continuation). A label indented under the
    bullet belongs to the field; it is remembered to explain a missing field."""
    first = tokens[k].map[0]
    bullet = _BULLET.match(lines[first])
    label = _label(lines[first][bullet.end() :]) if bullet else None
    if label is None or bullet is None:
        return []
    found = [(first, label)]
    column = len(lines[first][: bullet.end()].expandtabs(_TAB))
    para = tokens[k + 1] if k + 1 < len(tokens) else None
    if para is not None and para.type == "paragraph_open" and para.map and para.map[0] == first:
        for line in range(first + 1, para.map[1]):
            later = _label(lines[line].strip())
            if later is not None and _indent(lines[line]) < column:
                found.append((line, later))
            elif later is not None:
                section.nested.setdefault(" ".join(later.lower().split()), line + 1)
    return found


def _read_fields(section: _Section, tokens: list[Any], lines: list[str], stop: int) -> None:
    starts: list[tuple[int, str]] = []
    for k, tok in enumerate(tokens):
        if not tok.map or (tok.type, tok.level) not in (("paragraph_open", 0), ("list_item_open", 1)):
            continue
        found = _paragraph_labels(tok, lines) if tok.level == 0 else _item_labels(tokens, k, lines, section)
        if not starts and (not found or found[0][0] != tok.map[0]):
            section.problems.append(
                f"{section.where()}: text on line {tok.map[0] + 1} belongs to no "
                "field; start it with a label like **Situation**:"
            )
        starts.extend(found)
    for n, (line, label) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else stop
        _add_field(section, label, _value(lines, line, end), line + 1)


def _add_field(section: _Section, label: str, value: str, line: int) -> None:
    name = ALIASES.get(" ".join(label.lower().split()))
    if name is None:
        close = difflib.get_close_matches(label.lower(), list(ALIASES), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0].title()}'?" if close else ""
        section.problems.append(f"{section.where()}: unknown field {quoted(label)} on line {line}{hint}")
        return
    if name in section.fields:
        section.problems.append(
            f"{section.where()}: field {_LABEL_OF[name]} is given twice "
            f"(lines {section.fields[name][1]} and {line})"
        )
        return
    if len(value) > MAX_FIELD_CHARS:
        section.problems.append(
            f"{section.where()}: field {_LABEL_OF[name]} is {len(value)} characters; "
            f"the limit is {MAX_FIELD_CHARS}"
        )
        return
    section.fields[name] = (value, line)


_READERS: dict[str, Callable[[str], Any]] = {
    "competencies": parse_competencies,
    "tags": split_list,
    "metrics": parse_metrics,
    "when": parse_when,
    "scope": lambda v: Scope.parse(v) if v.strip() else None,
}


def _content(section: _Section) -> StoryContent | None:
    """The StoryContent of a section, or None after recording its problems."""
    if not section.title:
        section.problems.append(f"{section.where()}: the heading has no title")
    elif len(section.title) > MAX_TITLE_CHARS:
        section.problems.append(f"{section.where()}: the title is longer than {MAX_TITLE_CHARS} characters")
    values: dict[str, Any] = {}
    for name, (raw, line) in section.fields.items():
        reader = _READERS.get(name)
        try:
            values[name] = reader(raw) if reader else raw
        except InputError as exc:
            section.problems.append(f"{section.where()}: field {_LABEL_OF[name]} (line {line}): {exc}")
    missing = [n for n in REQUIRED if not section.fields.get(n, ("", 0))[0].strip()]
    if missing:
        section.problems.append(
            f"{section.where()}: missing {', '.join(_LABEL_OF[n] for n in missing)} "
            f"(every story needs **Situation**, **Action** and **Result**){_nested_hint(section, missing)}"
        )
    if section.problems:
        return None
    started, ended = values.pop("when", (None, None))
    return StoryContent(title=section.title, started=started, ended=ended, **values)


def _nested_hint(section: _Section, missing: list[str]) -> str:
    """Why a missing field may be there after all: its label is indented under another field's bullet."""
    for label, line in section.nested.items():
        if ALIASES.get(label) in missing:
            return (
                f"; the **{_LABEL_OF[ALIASES[label]]}** on line {line} is indented under the field above, "
                "so it is part of that field: start it at the bullet's level"
            )
    return ""


def parse_stories(text: str, source: str = "<text>") -> tuple[StoryContent, ...]:
    """Every story in a Markdown document; StoryFormatError listing all problems otherwise."""
    text = _blank_comments(_newlines(text))
    headings = len(_H2_LINE.findall(text))  # an upper bound on the stories, counted before parsing
    if headings > MAX_STORIES:
        raise StoryFormatError(source, [f"{headings} '## ' headings; the limit is {MAX_STORIES} stories per file"])
    sections = _sections(text)
    problems: list[str] = []
    if not sections:
        raise StoryFormatError(
            source,
            ["no stories found: each story starts with a '## Title' line (see docs/stories-format.md)"],
        )
    if len(sections) > MAX_STORIES:
        raise StoryFormatError(source, [f"{len(sections)} stories; the limit is {MAX_STORIES} per file"])
    seen: dict[str, _Section] = {}
    stories: list[StoryContent] = []
    for section in sections:
        key = slugify(section.title)
        if section.title and key in seen:
            problems.append(
                f"{section.where()}: duplicate title (same as the story on line {seen[key].line})"
            )
        seen.setdefault(key, section)
        content = _content(section)
        problems.extend(section.problems)
        if content is not None:
            stories.append(content)
    if problems:
        raise StoryFormatError(source, problems)
    return tuple(stories)


def _field_lines(label: str, value: str) -> list[str]:
    """One field as a top-level bullet; a multi-line value goes below it, every line indented under the
    bullet so that nothing in it (a bold label, a heading, a list) can start a field or a story."""
    value = _escape_comments(clean_field(value))
    if "\n" not in value:
        return [f"- **{label}**: {value}"]
    return [f"- **{label}**:", *(f"  {line}" if line else "" for line in value.split("\n"))]


def render_section(title: str, fields: Mapping[str, str]) -> str:
    """One ``## title`` section from field texts by field name (see ``LABELS``); blank fields are left out.

    ``parse_stories`` reads each field back as ``clean_field`` of what was given."""
    heading = _escape_comments(title.strip())
    if heading.endswith("#"):
        heading += " #"  # else Markdown would take the trailing '#'s for a closing sequence and drop them
    out = [f"## {heading}", ""]
    for name, label in LABELS:
        value = fields.get(name, "")
        if clean_field(value):
            out.extend(_field_lines(label, value))
    return "\n".join(out) + "\n"


def field_texts(story: StoryContent) -> dict[str, str]:
    """Every field of ``story`` as the text the format writes for it, by field name (see ``LABELS``)."""
    return {
        "competencies": ", ".join(story.competencies),
        "tags": ", ".join(story.tags),
        "role": story.role,
        "scope": story.scope.value if story.scope else "",
        "when": format_when(story.started, story.ended),
        "situation": story.situation,
        "task": story.task,
        "action": story.action,
        "result": story.result,
        "metrics": format_metrics(story.metrics),
        "learned": story.learned,
    }


def render_story(story: StoryContent) -> str:
    """One story in the Markdown format; ``parse_stories`` reads it back to an equal StoryContent
    (free-text fields as ``clean_field`` of them, which they are when they came from a parse)."""
    return render_section(story.title, field_texts(story))


def render_stories(stories: list[StoryContent] | tuple[StoryContent, ...], title: str = "My stories") -> str:
    """A whole story file: a ``# title`` line and every story."""
    return f"# {title}\n\n" + "\n".join(render_story(s) for s in stories)


TEMPLATE = """\
<!-- One story per '## Title'. Fill in the fields; Situation, Action and Result are required.
     Lines like this one are comments and are ignored. Full format: docs/stories-format.md -->

## {title}

- **Competencies**: {competencies}
- **Tags**:
- **Role**:
- **Scope**: team
- **When**:
- **Situation**:
- **Task**:
- **Action**:
- **Result**:
- **Metrics**:
- **Learned**:
"""


def template(title: str = "", competencies: str = "") -> str:
    """The template ``starcoach stories add`` opens in the editor."""
    return TEMPLATE.format(title=title or "A short title for your story", competencies=competencies)
