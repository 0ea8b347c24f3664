"""An HTML page of a report -> the report text of REPORT_FORMAT.md, for the same parser.

The page's structure becomes the text layout the parser reads: headings and paragraphs are lines,
list items are bullet lines (``  • `` or ``1. ``), an image's alt text is a line of its own (the
``Logo <organisation>`` line is the organisation logo's alt text). Only the report is kept: the
first ``<main>`` (else the first ``<article>``, else the body), less navigation, scripts and
styles. Standard library only (``html.parser``): the pages are simple and a parser that never
fails on bad markup is what we need.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from . import labels as L
from .parse import looks_like_heading
from .text import fold

BULLET = "  • "
# Elements whose content is never report text.
_SKIPPED = {"head", "script", "style", "noscript", "template", "nav", "svg", "iframe", "object", "select", "textarea"}
# Elements that start and end a line.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
}
# Headings that stand between blank lines, as section headings do in the text export; lower
# levels are sub-headings, which the parser recognises by the list that follows them directly.
_SECTION_HEADINGS = {"h1", "h2"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BLANKS = re.compile(r"[ \t\n\r\f]+")  # HTML white space; U+00A0 (&nbsp;) is text and stays
_CHROME = "|".join(re.escape(phrase) for phrase in L.PAGE_CHROME)
_CHROME_LINE = re.compile(rf"^\s*(?:[•*-]\s+)?(?:(?:{_CHROME})[\s|·•/]*)+$", re.IGNORECASE)


class _TextCollector(HTMLParser):
    """Collects (kind, text) lines; kind is "heading" for h1/h2, "line" otherwise."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, str]] = []
        self.parts: list[str] = []
        self.prefix = ""
        self.skip_depth = 0
        self.pre_depth = 0
        self.lists: list[list] = []  # one [tag, next number] per open ul/ol
        self.heading: str | None = None
        self.root: str | None = None  # "main" or "article" once found: text outside is ignored
        self.root_depth = 0
        self.root_done = False

    # -- which parts of the page count ------------------------------------------------------

    def inside(self) -> bool:
        return self.skip_depth == 0 and not self.root_done and (self.root is None or self.root_depth > 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip_depth = 0  # a page that never closes its <head>
        if tag in _SKIPPED:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag in ("main", "article") and self.root is None and not self.root_done:
            # The report is the first <main> (or <article>): forget the page chrome read so far.
            self.root, self.root_depth = tag, 0
            self.lines, self.parts, self.prefix = [], [], ""
        if self.root == tag and not self.root_done:
            self.root_depth += 1
        if not self.inside():
            return
        if tag == "br":
            self.flush()
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            self.flush()
            self.parts.append(alt)
            self.flush()
        elif tag in ("ul", "ol"):
            self.flush()
            start = dict(attrs).get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            self.flush()
            if self.lists and self.lists[-1][0] == "ol":
                self.prefix = "  " * (len(self.lists) - 1) + f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                self.prefix = "  " * max(len(self.lists) - 1, 0) + BULLET
        elif tag in _BLOCKS:
            self.flush()
            if tag in _SECTION_HEADINGS:
                self.heading = tag
            if tag == "pre":
                self.pre_depth += 1
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip_depth = max(self.skip_depth - 1, 0)
            return
        if self.skip_depth:
            return
        if self.root == tag and self.root_depth > 0 and not self.root_done:
            self.root_depth -= 1
            if self.root_depth == 0:
                self.flush()
                self.root_done = True
                return
        if not self.inside():
            return
        if tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag in _BLOCKS:
            self.flush()
            if tag == "pre":
                self.pre_depth = max(self.pre_depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self.inside():
            return
        if self.pre_depth:
            first, *rest = data.split("\n")
            self.parts.append(first)
            for line in rest:
                self.flush()
                self.parts.append(line)
        else:
            self.parts.append(_BLANKS.sub(" ", data))

    def flush(self) -> None:
        """End the current line, if it holds any text."""
        text = _BLANKS.sub(" ", "".join(self.parts)).strip(" ")
        if text:
            self.lines.append(("heading" if self.heading else "line", self.prefix + text))
        self.parts, self.prefix = [], ""
        self.heading = None


def _chrome_lines(text: str) -> list[str] | None:
    """The share and download links, which a page puts side by side (or in a list) and the text
    export on lines of their own, where the parser knows them as page chrome."""
    if not _CHROME_LINE.match(text):
        return None
    return re.findall(_CHROME, text, re.IGNORECASE)


def _known_heading(text: str) -> bool:
    return fold(text).rstrip(" :") in L.SECTION_INDEX


def _heading_like(line: tuple[str, str] | None) -> bool:
    return line is not None and line[0] == "line" and not line[1].startswith(" ") and looks_like_heading(line[1])


def _layout(lines: list[tuple[str, str]]) -> list[str]:
    """Blank lines around section headings, as in the text export. A known heading goes without
    the blank line next to a short line, which between blank lines would pass for a heading."""
    out: list[str] = []
    for index, (kind, text) in enumerate(lines):
        if kind != "heading":
            out.extend(_chrome_lines(text) or [text])
            continue
        before = lines[index - 1] if index else None
        after = lines[index + 1] if index + 1 < len(lines) else None
        known = _known_heading(text)
        if not (known and _heading_like(before)) and out and out[-1] != "":
            out.append("")
        out.append(text)
        if not (known and _heading_like(after)):
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return out


def text_from_html(html: str) -> str:
    """The report text of an HTML page (lines ending in LF)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    collector.flush()
    return "".join(f"{line}\n" for line in _layout(collector.lines))
