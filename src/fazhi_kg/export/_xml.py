"""XML 1.0 text for the RDF/XML, GraphML and GEXF writers: escaping, and refusing what XML cannot hold.

XML 1.0 (https://www.w3.org/TR/xml/#charsets) has no way to write most C0 control characters, not
even as character references, so they are refused before anything is written. Carriage returns,
tabs and newlines are written as character references where a parser would otherwise normalize them.
"""

from __future__ import annotations

import re

from fazhi_kg.errors import InputError

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def check(value: str, *, node: str, where: str, fmt: str) -> None:
    """Raise InputError if `value` holds a character that XML 1.0 cannot represent."""
    bad = _NOT_XML.search(value)
    if bad:
        raise InputError(
            f"{node} has the character U+{ord(bad.group()):04X} in its {where}, which XML 1.0 "
            f"cannot hold, so no {fmt} file can be written; remove the character from the graph "
            "or export as nq, turtle, jsonld or csv."
        )


def text(value: str) -> str:
    """Escape character data (element content)."""
    return value.translate(_TEXT)


def attr(value: str) -> str:
    """Escape an attribute value written between double quotes."""
    return value.translate(_ATTR)
