"""A report as plain data: title, facts, sections of paragraphs, bullet lists, tables and chart images. Every string
is plain text (the renderers escape it), so free text from the store can never become markup."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # small grey print: methods, footnotes


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths for the PDF
    numeric: tuple[int, ...] = ()  # columns aligned right
    empty: str = "Inga rader."


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str  # also the image's alt text in Markdown
    name: str  # file name stem for Markdown exports


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple = ()
    level: int = 1  # 1: section, 2: subsection


@dataclass
class Document:
    """One report: `kind` (lagesbild, protokoll, tertial, digest) names the file; `facts` is the header box."""

    kind: str
    title: str
    subtitle: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""

    def figures(self) -> list[Figure]:
        """Every chart in the document, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def numbers(self) -> dict[str, int]:
        """Named figures the report states (filled by the builders; tests compare them with independent SQL)."""
        return getattr(self, "_numbers", {})

    def record(self, **numbers: int) -> None:
        """Remember named figures shown in the report (for tests and for callers that want the raw values); a figure
        the report hides (None or NaN: a small count for a role not shown it) is not recorded."""
        shown = {k: int(v) for k, v in numbers.items() if v is not None and v == v}
        self._numbers = {**self.numbers(), **shown}
