"""The Markdown story format (docs/stories-format.md): parse many stories, render them back.

One story per ``## Title`` heading; its fields are top-level bullets or paragraphs that start with a
bold label, like the seed's answers: ``- **Situation**: ...``. A field runs until the next field, so
nested bullets, code and quotes stay part of it, kept as written. markdown-it-py finds the structure
(so a label inside a code block is never a field); the values are sliced from the source lines.

Every problem in a file is collected and reported together, each naming the story, its line and the
field; nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt

from starcoach.errors import ImportFormatError, InputError
from starcoach.ids import slugify
from starcoach.stories.fields import (
    format_metrics,
    format_when,
    parse_competencies,
    parse_metrics,
    parse_when,
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
_COMMENT = re.compile(r"<!--.*?-->", re.S)


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

    def where(self) -> str:
        return f"story '{self.title or '(untitled)'}' (line {self.line})"


def _blank_comments(text: str) -> str:
    """Remove HTML comments but keep line numbers (a comment becomes as many newlines)."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def _value(lines: list[str], start: int, stop: int) -> str:
    """The text of a field from its label line ``start`` up to line ``stop`` (exclusive)."""
    first = _RAW_START.sub("", lines[start], count=1).strip()
    rest = textwrap.dedent("\n".join(lines[start + 1 : stop])).strip("\n")
    value = f"{first}\n{rest}" if first and rest else first or rest
    return "\n".join(line.rstrip() for line in value.strip().splitlines())


def _sections(text: str) -> list[_Section]:
    """Split the document into story sections with their raw fields."""
    tokens = MarkdownIt("commonmark").parse(text)
    lines = text.splitlines()
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
        section = _Section(tokens[i + 1].content.strip(), first + 1)
        _read_fields(section, tokens[i + 3 : end_tok], lines, stop_line)
        sections.append(section)
    return sections


def _label_lines(tok: Any, inline: Any, lines: list[str]) -> list[tuple[int, str]]:
    """(line, label) for every line of a paragraph that starts with a bold label."""
    found: list[tuple[int, str]] = []
    m = _FIELD_START.match(inline.content)
    if m is not None:
        found.append((tok.map[0], m.group("label").strip()))
    for line in range(tok.map[0] + 1, tok.map[1]):
        m = _FIELD_START.match(lines[line].strip())
        if m is not None:
            found.append((line, m.group("label").strip()))
    return found


def _read_fields(section: _Section, tokens: list[Any], lines: list[str], stop: int) -> None:
    starts: list[tuple[int, str]] = []
    for k, tok in enumerate(tokens):
        if tok.type != "paragraph_open" or tok.level not in (0, 2) or not tok.map:
            continue
        found = _label_lines(tok, tokens[k + 1], lines)
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
        section.problems.append(f"{section.where()}: unknown field '{label}' on line {line}{hint}")
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
    missing = [_LABEL_OF[n] for n in REQUIRED if not section.fields.get(n, ("", 0))[0].strip()]
    if missing:
        section.problems.append(
            f"{section.where()}: missing {', '.join(missing)} "
            "(every story needs **Situation**, **Action** and **Result**)"
        )
    if section.problems:
        return None
    started, ended = values.pop("when", (None, None))
    return StoryContent(title=section.title, started=started, ended=ended, **values)


def parse_stories(text: str, source: str = "<text>") -> tuple[StoryContent, ...]:
    """Every story in a Markdown document; StoryFormatError listing all problems otherwise."""
    sections = _sections(_blank_comments(text))
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
    if "\n" not in value:
        return [f"- **{label}**: {value}".rstrip()]
    body = [f"  {line}" if line.strip() else "" for line in value.splitlines()]
    return [f"- **{label}**:", *body]


def render_story(story: StoryContent) -> str:
    """One story in the Markdown format; ``parse_stories`` reads it back to an equal StoryContent."""
    values = {
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
    out = [f"## {story.title}", ""]
    for name, label in LABELS:
        if values[name]:
            out.extend(_field_lines(label, values[name]))
    return "\n".join(out) + "\n"


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
