"""A Document as Markdown: every string escaped, charts as PNG files beside it (or left out)."""
from __future__ import annotations

import base64

from data_layer.reports.document import Bullets, Document, Figure, Paragraph, Table
from data_layer.reports.text import escape_markdown, plain


def _cell(text) -> str:
    return escape_markdown(plain(text)) or " "


def _table(block: Table) -> list[str]:
    if not block.rows:
        return [f"*{escape_markdown(block.empty)}*", ""]
    align = ["---:" if i in block.numeric else "---" for i in range(len(block.headers))]
    lines = ["| " + " | ".join(_cell(h) for h in block.headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    return [*lines, ""]


def render_markdown(doc: Document, *, image_dir: str | None = None) -> str:
    """The document as Markdown. With `image_dir` (a relative folder name) charts are linked as
    `image_dir/<name>.png` (the caller writes doc.figures() there); with image_dir="embed" they are inlined as PNG
    data URIs (one self-contained file); without it each chart is named by its caption (the tables hold the figures)."""
    out = [f"# {escape_markdown(doc.title)}", "", f"**{escape_markdown(doc.subtitle)}**", ""]
    for key, value in doc.facts:
        out.append(f"- **{escape_markdown(key)}:** {escape_markdown(plain(value))}")
    out.append("")
    for section in doc.sections:
        out += [f"{'#' * (section.level + 1)} {escape_markdown(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                text = escape_markdown(block.text)
                out += [f"*{text}*" if block.note else text, ""]
            elif isinstance(block, Bullets):
                out += [f"- {escape_markdown(plain(item))}" for item in block.items] + [""]
            elif isinstance(block, Table):
                out += _table(block)
            elif isinstance(block, Figure):
                caption = escape_markdown(block.caption)
                if image_dir == "embed":
                    out += [f"![{caption}](data:image/png;base64,{base64.b64encode(block.png).decode('ascii')})", ""]
                elif image_dir:
                    out += [f"![{caption}]({image_dir}/{block.name}.png)", ""]
                else:
                    out += [f"*Diagram: {caption}*", ""]
    if doc.footer:
        out += ["---", "", f"*{escape_markdown(doc.footer)}*", ""]
    return "\n".join(out)
