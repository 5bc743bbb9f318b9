"""What an AppTest run put on the page, in two forms: every element's protobuf bytes (to search for text or numbers in
markdown, tables (Arrow), charts and maps (JSON)) and a readable signature of what a person sees (to compare runs)."""
from __future__ import annotations

import re
import struct

import pandas as pd


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def page_bytes(at) -> bytes:
    """Every element's serialized protobuf of the last run, concatenated (the main area and the sidebar)."""
    parts = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            parts.append(proto.SerializeToString())
    return b"\x00".join(parts)


def signature(at) -> tuple:
    """The readable content of the last run: texts, metrics and table values, in page order (no widget ids)."""
    out = []
    for node in _walk(at._tree):
        kind = type(node).__name__
        if kind in ("Markdown", "Caption", "Title", "Header", "Subheader", "Info", "Warning", "Error", "Success",
                    "Text", "Code", "Latex"):
            out.append((kind, node.value))
        elif kind == "Metric":
            out.append((kind, node.label, node.value, node.delta))
        elif kind == "Dataframe":
            value = node.value
            out.append((kind, value.to_csv(index=False) if isinstance(value, pd.DataFrame) else str(value)))
        elif kind == "UnknownElement" and hasattr(node, "proto"):  # plotly (spec) and pydeck (json) charts
            fields = node.proto.DESCRIPTOR.fields_by_name
            text = next((getattr(node.proto, f) for f in ("spec", "json") if f in fields), None)
            if text:
                out.append((kind, _UUID.sub("<id>", text)))
    return tuple(out)


def contains_text(blob: bytes, text: str) -> bool:
    return text.encode("utf-8") in blob


def contains_coordinate(blob: bytes, lat: float, lon: float) -> bool:
    """The pair as JSON/text (full precision or 5 decimals) or as little-endian doubles (Arrow tables)."""
    for a, b in ((repr(lat), repr(lon)), (f"{lat:.5f}", f"{lon:.5f}")):
        if a.encode() in blob and b.encode() in blob:
            return True
    return struct.pack("<d", lat) in blob and struct.pack("<d", lon) in blob
