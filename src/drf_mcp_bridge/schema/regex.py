"""Python regular expressions → ECMA 262 (JSON Schema ``pattern``), where that is safe."""

from __future__ import annotations

import re

#: Constructs with no ECMA 262 equivalent (or a different meaning there): inline flags,
#: comments, conditionals, possessive and atomic groups, \Z-style anchors other than \A/\Z.
_UNSAFE = re.compile(r"\(\?[aiLmsux]|\(\?#|\(\?\(|\(\?>|[*+?}]\+|\\[GpPNX]")


def python_regex_to_ecma(pattern: str) -> str | None:
    """The same pattern in ECMA 262 syntax, or None when it cannot be carried over safely
    (the caller then describes it in words).
    """
    if _UNSAFE.search(pattern):
        return None
    translated = pattern
    translated = re.sub(r"\(\?P<(\w+)>", r"(?<\1>", translated)
    translated = re.sub(r"\(\?P=(\w+)\)", r"\\k<\1>", translated)
    translated = translated.replace(r"\A", "^")
    # Python's \Z is "end of string"; ECMA's $ (no multiline flag) is the same.
    translated = re.sub(r"\\[Zz]$", "$", translated)
    if re.search(r"\\[AZz]", translated):
        return None
    return translated
