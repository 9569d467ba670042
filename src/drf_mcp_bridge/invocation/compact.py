"""Compact text for list results: the ``RESULT_TEXT_FORMAT`` setting (and a registration's
``result_text_format``).

Only the text block the model reads changes; ``structuredContent`` stays the view's JSON.
A result gets the compact form when it is *tabular* (:func:`table_of`): a list of at least
one object, all with the same keys in the same order, each with at least half of its
values scalars (string, number, boolean, null) — bare, or as the ``results`` of a
paginator's envelope whose other values are all scalars (``count``, ``next``,
``previous``...). Anything else (a retrieve result, an object that nests lists, rows of
different shapes, an empty list, errors) keeps its JSON text, and so does a compact text
that would not be shorter than the JSON.

* ``"toon"``: TOON (https://toonformat.dev), written by the optional ``toon-format``
  package (extra ``[toon]``), imported only when this format is used, for rows of scalars
  only (TOON's tabular form). Rows with nested values, which TOON writes as indented
  blocks no shorter than JSON, and a server without the package, get the ``"csv"`` form.
* ``"csv"``: the envelope's scalars as ``key: value`` lines, then the rows as RFC 4180
  CSV with a header row; a nested value is its compact JSON in one cell, null is empty.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from typing import Any

#: The values of RESULT_TEXT_FORMAT / result_text_format.
TEXT_FORMATS = ("json", "toon", "csv")


def have_toon() -> bool:
    """Whether the optional ``toon-format`` package is importable."""
    return importlib.util.find_spec("toon_format") is not None


def checked_format(value: Any, where: str = "result_text_format") -> str:
    if value not in TEXT_FORMATS:
        raise TypeError(f"{where} is one of {', '.join(map(repr, TEXT_FORMATS))}, not {value!r}.")
    return str(value)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def table_of(data: Any) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(the envelope's other keys, the rows) of a tabular result, else None (see the
    module's docstring for what is tabular)."""
    if isinstance(data, list):
        envelope: dict[str, Any] = {}
        rows = data
    elif isinstance(data, dict) and isinstance(data.get("results"), list):
        envelope = {k: v for k, v in data.items() if k != "results"}
        if not all(_scalar(v) for v in envelope.values()):
            return None
        rows = data["results"]
    else:
        return None
    if not rows or not all(isinstance(row, dict) and row for row in rows):
        return None
    keys = list(rows[0])
    for row in rows:
        if list(row) != keys:
            return None
        if sum(1 for v in row.values() if _scalar(v)) * 2 < len(keys):
            return None
    return envelope, rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def csv_text(envelope: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The CSV form: the envelope's values as ``key: value`` lines (JSON scalars), a line
    saying how many rows follow, then the CSV (header row, RFC 4180 quoting)."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in envelope.items()]
    lines.append(f"results ({len(rows)} rows, CSV; empty cell = null):")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([_cell(v) for v in row.values()])
    return "\n".join(lines) + "\n" + out.getvalue().rstrip("\n")


def toon_text(envelope: dict[str, Any], rows: list[dict[str, Any]]) -> str | None:
    """The TOON form of the envelope with its rows (under ``results``), or None when
    ``toon-format`` is not installed."""
    try:
        import toon_format  # the optional extra [toon], imported only when chosen
    except ImportError:
        return None
    text: str = toon_format.dumps({**envelope, "results": rows})
    return text


def compact_text(data: Any, text_format: str, json_text: str | None = None) -> str | None:
    """The compact text of ``data`` in ``text_format``, or None when the JSON text stays:
    the format is "json", the data is not tabular, or the compact text is not shorter than
    ``json_text`` (when given)."""
    if text_format == "json":
        return None
    found = table_of(data)
    if found is None:
        return None
    envelope, rows = found
    text = None
    if text_format == "toon" and all(_scalar(v) for row in rows for v in row.values()):
        text = toon_text(envelope, rows)
    if text is None:
        text = csv_text(envelope, rows)
    if json_text is not None and len(text.encode()) >= len(json_text.encode()):
        return None
    return text
