"""Read a report file into text: decode, strip HTML page furniture, normalize full-width forms.

Every later step works on `SourceText.norm`, a normalized view of the decoded text; `SourceText.span`
maps a range of the view back to code-point offsets in `SourceText.original`, the text exactly as
decoded (BOM removed). Offsets in facts, gold files and graphs always refer to `original`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_kg.errors import InputError

MAX_BYTES = 64 * 1024 * 1024

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article blockquote pre hr dd dt dl"
    " title tbody thead tfoot center".split()
)
# Whole elements whose content is never report text.
_DROP_ELEMENTS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "select",
    "button",
    "iframe",
    "form",
    "svg",
    "template",
    "head",
)
_HTML_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>|<\?.*?\?>"
    r"|<(?P<drop>" + "|".join(_DROP_ELEMENTS) + r")\b[^>]*>.*?</(?P=drop)\s*>"
    r"|</?(?P<tag>[a-zA-Z][a-zA-Z0-9]*)\b[^>]*>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});",
    re.DOTALL | re.IGNORECASE,
)
_LOOKS_HTML = re.compile(r"<(?:!DOCTYPE\s+html|html\b|body\b|p\b|div\b)", re.IGNORECASE)

# Lines of web-page furniture that publishing sites put around a report.
_FURNITURE = re.compile(
    r"^\s*(?:【?\s*字体|字号|扫一扫|打印本页|打印\s*关闭|关闭窗口|【?\s*打印|分享到|收藏|"
    r"当前位置|您现在的位置|首页\s*[>›»]|网站标识码|版权所有|主办单位|承办单位|技术支持|"
    r"[京沪津渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]ICP备|.*公网安备|"
    r"浏览次数|访问量|相关链接|上一篇|下一篇|返回顶部|网站地图|联系我们|无障碍|"
    r"\[?\s*大\s*\]?\s*\[?\s*中\s*\]?\s*\[?\s*小\s*\]?\s*$)"
)


@dataclass(frozen=True)
class SourceText:
    """A decoded report: the original text, a normalized view and the map between them."""

    original: str
    norm: str
    starts: tuple[int, ...] = field(repr=False)
    ends: tuple[int, ...] = field(repr=False)
    encoding: str = "utf-8"
    is_html: bool = False
    name: str = ""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a range of `norm` to the matching range of `original`."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def quote(self, start: int, end: int) -> str:
        """The original characters behind a range of `norm`."""
        s, e = self.span(start, end)
        return self.original[s:e]


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if not data.strip():
        raise InputError(f"{name} is empty; give a report text or an HTML page.")
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name} has a UTF-16 byte-order mark but is not valid UTF-16; "
                "save it again as UTF-8."
            ) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name} starts with a UTF-8 BOM but is not valid UTF-8 "
                f"(byte {exc.start + 3}); save it again as UTF-8."
            ) from exc
    if b"\x00" in data[:4096]:
        raise InputError(
            f"{name} looks like a binary file, not a report text; give a .txt or .html file."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is neither UTF-8 nor GB18030 text (undecodable byte at "
            f"{exc.start}); save it as UTF-8."
        ) from exc


def _strip_html(text: str) -> tuple[list[str], list[int], list[int]]:
    """Text content of an HTML page, one list item per output character with its source range."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(s: str, a: int, b: int) -> None:
        for ch in s:
            chars.append(ch)
            starts.append(a)
            ends.append(b)

    pos = 0
    for m in _HTML_TOKEN.finditer(text):
        for i in range(pos, m.start()):
            ch = text[i]
            if ch in "\r\n\t":
                ch = " "
            emit(ch, i, i + 1)
        tok = m.group(0)
        if tok.startswith("&"):
            emit(html.unescape(tok), m.start(), m.end())
        elif m.group("drop") or (m.group("tag") and m.group("tag").lower() in _BLOCK_TAGS):
            emit("\n", m.start(), m.start())
        pos = m.end()
    for i in range(pos, len(text)):
        emit(" " if text[i] in "\r\n\t" else text[i], i, i + 1)
    return chars, starts, ends


def _normalize(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    """NFKC per character (full-width digits and punctuation become ASCII), offsets kept."""
    out: list[str] = []
    o_starts: list[int] = []
    o_ends: list[int] = []
    for ch, a, b in zip(chars, starts, ends, strict=True):
        if ch == "\r":
            continue
        if ch in "\u3000\xa0":
            n = " "
        elif (
            ch in "“”‘’「」『』《》〔〕【】、。" or ord(ch) < 128
        ):  # keep CJK marks that carry meaning as they are
            n = ch
        else:
            n = unicodedata.normalize("NFKC", ch)
        if ch in "\x0b\x0c" or (unicodedata.category(ch) == "Cc" and ch not in "\n\t"):
            n = " "
        for c in n:
            out.append(c)
            o_starts.append(a)
            o_ends.append(b)
    return "".join(out), o_starts, o_ends


def _drop_furniture(norm: str) -> str:
    """Blank out web-page furniture lines so no fact is read from them (offsets unchanged)."""
    lines = norm.split("\n")
    kept = []
    for line in lines:
        if _FURNITURE.match(line):
            kept.append(" " * len(line))
        else:
            kept.append(line)
    return "\n".join(kept)


def from_text(original: str, *, name: str = "<text>", encoding: str = "utf-8") -> SourceText:
    """Build a `SourceText` from already decoded text (plain text or an HTML page)."""
    is_html = bool(_LOOKS_HTML.search(original[:5000]))
    if is_html:
        chars, starts, ends = _strip_html(original)
    else:
        chars = list(original)
        starts = list(range(len(original)))
        ends = [i + 1 for i in starts]
    norm, n_starts, n_ends = _normalize(chars, starts, ends)
    norm = _drop_furniture(norm)  # saved pages and copied texts both carry it
    return SourceText(
        original=original,
        norm=norm,
        starts=tuple(n_starts),
        ends=tuple(n_ends),
        encoding=encoding,
        is_html=is_html,
        name=name,
    )


def read_report(path: str | Path) -> SourceText:
    """Read and decode one report file; raises `InputError` with a one-sentence reason."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"Report file {p} does not exist; check the path.")
    if p.is_dir():
        raise InputError(f"{p} is a folder; give a report file (.txt or .html).")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{p} is {size // (1024 * 1024)} MB, larger than the "
                f"{MAX_BYTES // (1024 * 1024)} MB a report can be; "
                "split it or check that it is a report."
            )
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {p}: {exc.strerror}; check its permissions.") from exc
    text, encoding = decode(data, str(p))
    return from_text(text, name=p.name, encoding=encoding)
