"""Read a report file into text: decode, strip HTML page furniture, normalize full-width forms.

Every later step works on `SourceText.norm`, a normalized view of the decoded text; `SourceText.span`
maps a range of the view back to code-point offsets in `SourceText.original`, the text exactly as
decoded (BOM removed). Offsets in facts, gold files and graphs always refer to `original`.

Hostile or broken input gets one sentence (`InputError`), never a hang: files above `MAX_BYTES` and
texts above `MAX_CHARS` are refused, and the HTML scanner is linear in the page size. A file that
is lossless mojibake (UTF-8 text that was decoded as GBK, Windows-1252 or Latin-1 and saved again)
is repaired, and then `original` is the repaired text, so offsets count its characters, not the
garbled ones; mojibake that lost characters is refused.
"""

from __future__ import annotations

import html
import os
import re
import stat
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_kg.errors import InputError, shown
from fazhi_kg.text.decode import decode

# The longest annual reports run to about 40,000 characters and their web pages to a few hundred
# kilobytes (or megabytes, with inline images); more than twice that text is not one report, and
# building it would take minutes (100,000 characters of dense report text build in about 15 s).
MAX_BYTES = 16 * 1024 * 1024
MAX_CHARS = 100_000

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
_DROP_OPEN = re.compile(r"<(" + "|".join(_DROP_ELEMENTS) + r")\b", re.IGNORECASE)
# IGNORECASE like the single regex this scanner replaced (re also folds ſ to s and K to k)
_TAG_OPEN = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b", re.IGNORECASE)
_ENTITY = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});", re.IGNORECASE
)
_SPECIAL = re.compile(r"[<&]")
_LOOKS_HTML = re.compile(r"<(?:!DOCTYPE\s+html|html\b|body\b|p\b|div\b)", re.IGNORECASE)

# Lines of web-page furniture that publishing sites put around a report (never long lines).
_FURNITURE = re.compile(
    r"^\s*+(?:【?\s*字体|字号|扫一扫|打印本页|打印\s*关闭|关闭窗口|【?\s*打印|分享到|收藏|"
    r"当前位置|您现在的位置|首页\s*[>›»]|网站标识码|版权所有|主办单位|承办单位|技术支持|"
    r"[京沪津渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]ICP备|.*公网安备|"
    r"浏览次数|访问量|相关链接|上一篇|下一篇|返回顶部|网站地图|联系我们|无障碍|"
    r"\[?\s*大\s*\]?\s*\[?\s*中\s*\]?\s*\[?\s*小\s*\]?\s*$)"
)
_FURNITURE_MAX = 300
# Characters that end a line in the normalized view (besides \n); \r\n counts once.
_LINE_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Invisible format characters that web pages scatter inside words; the view drops them.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

# Terminal colour and cursor codes (ESC [ … letter) that text copied from a console carries along.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")


__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "SourceText",
    "check_file",
    "decode",
    "from_text",
    "read_bytes",
    "read_report",
    "shown",
    "special_kind",
]


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

    def written(self, start: int, end: int) -> str:
        """A range of `norm` as the report writes it, for titles and names: the original
        characters of a plain text (full-width forms kept); for an HTML page the same without the
        markup: each character as written where it stands for itself, the decoded character of
        an entity (&nbsp; &amp;), nothing for a tag."""
        if not self.is_html:
            return self.quote(start, end)
        out: list[str] = []
        k = start
        while k < end:
            a, b = self.starts[k], self.ends[k]
            j = k + 1
            while j < end and self.starts[j] == a and self.ends[j] == b:
                j += 1  # one source character that normalizes to several
            plain = b - a == 1 and self.original[a] not in "<&\r\n\t"
            out.append(self.original[a] if plain else self.norm[k:j])
            k = j
        return "".join(out)

    # Evidence: the text of an original-offset range, as a reader sees it (an HTML page's markup
    # left out), and the rest of its sentence around it.

    def _norm_range(self, start: int, end: int) -> tuple[int, int]:
        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def exact(self, start: int, end: int) -> str:
        """The text of `original[start:end]`: the characters themselves in a plain text; in an
        HTML page the same without tags, entities decoded and paragraph breaks as newlines."""
        if not self.is_html:
            return self.original[start:end]
        return self.written(*self._norm_range(start, end))

    def around(self, start: int, end: int, *, limit: int = 60) -> tuple[str, str]:
        """The words of the sentence before and after `original[start:end]`, at most `limit`
        characters each (with the sentence's final mark), as text (see `exact`)."""
        ns, ne = self._norm_range(start, end)
        text = self.norm
        first = max(text.rfind(c, 0, ns) for c in _SENTENCE_MARKS) + 1
        first = max(first, ns - limit)
        ends = [e for e in (text.find(c, ne) for c in _SENTENCE_MARKS) if e >= 0]
        last = min([*ends, len(text), ne + limit])
        if last < len(text) and text[last] in _SENTENCE_MARKS and text[last] != "\n":
            last += 1
        return self.written(first, ns).lstrip(), self.written(ne, last).rstrip()


_SENTENCE_MARKS = "。;!?\n"


class _Finder:
    """`str.find` and `Pattern.search` that remember failures, so a scan that keeps asking for a
    missing closing marker stays linear instead of rescanning the rest of the page each time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.missing_from: dict[str, int] = {}

    def find(self, needle: str, pos: int) -> int:
        if pos >= self.missing_from.get(needle, len(self.text) + 1):
            return -1
        found = self.text.find(needle, pos)
        if found < 0:
            self.missing_from[needle] = pos
        return found

    def close_tag(self, tag: str, pos: int) -> int:
        """End of the first `</tag\\s*>` (any case) at or after `pos`, or -1."""
        key = "</" + tag
        if pos >= self.missing_from.get(key, len(self.text) + 1):
            return -1
        m = _close_pattern(tag).search(self.text, pos)
        if m is None:
            self.missing_from[key] = pos
            return -1
        return m.end()


_CLOSE_PATTERNS: dict[str, re.Pattern[str]] = {}


def _close_pattern(tag: str) -> re.Pattern[str]:
    if tag not in _CLOSE_PATTERNS:
        _CLOSE_PATTERNS[tag] = re.compile(r"</" + tag + r"\s*>", re.IGNORECASE)
    return _CLOSE_PATTERNS[tag]


# Markup read as one token and dropped: opener, closer, opener matched in any letter case.
_SKIPPED = (
    ("<!--", "-->", False),
    ("<![CDATA[", "]]>", False),
    ("<!DOCTYPE", ">", True),
    ("<?", "?>", False),
)


def _html_token(text: str, i: int, finder: _Finder) -> tuple[int, str]:
    """The markup token at `text[i]` ('<' or '&'): its end and its kind (comment, drop, block,
    tag, entity), or (i, "") when the character is plain text."""
    if text[i] == "&":
        m = _ENTITY.match(text, i)
        return (m.end(), "entity") if m else (i, "")
    for opener, closer, fold in _SKIPPED:
        head = text[i : i + len(opener)]
        if (head.upper() if fold else head) == opener:
            end = finder.find(closer, i + len(opener))
            if end >= 0:
                return end + len(closer), "comment"
    drop = _DROP_OPEN.match(text, i)
    if drop:
        gt = finder.find(">", drop.end())
        if gt >= 0:
            end = finder.close_tag(drop.group(1).lower(), gt + 1)
            if end >= 0:
                return end, "drop"
    tag = _TAG_OPEN.match(text, i)
    if tag:
        gt = finder.find(">", tag.end())
        if gt >= 0:
            return gt + 1, "block" if tag.group(1).lower() in _BLOCK_TAGS else "tag"
    return i, ""


_SPACES = str.maketrans("\r\n\t", "   ")
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[\r\n]+(?=[\u3000-\u9fff\uff00-\uffef])")


def _page_text(
    text: str, pos: int, end: int, chars: list[str], starts: list[int], ends: list[int]
) -> None:
    """Append the page text `text[pos:end]`: line breaks and tabs are spaces, as a browser shows
    them, except a line break between two Chinese characters, which shows as nothing (CSS Text 3,
    segment break transformation)."""
    segment = text[pos:end]
    if "\n" not in segment and "\r" not in segment:
        chars.extend(segment.translate(_SPACES))
        starts.extend(range(pos, end))
        ends.extend(range(pos + 1, end + 1))
        return
    gone = {k for m in _CJK_BREAK.finditer(text, pos, end) for k in range(m.start(), m.end())}
    for k in range(pos, end):
        if k not in gone:
            chars.append(text[k].translate(_SPACES))
            starts.append(k)
            ends.append(k + 1)


def _strip_html(text: str, limit: int | None = None) -> tuple[list[str], list[int], list[int]]:
    """Text content of an HTML page, one list item per output character with its source range;
    the scan stops early once the text has more than `limit` characters.

    A linear scan: at each '<' or '&' it reads the markup token there (comment, CDATA, doctype,
    processing instruction, a dropped element with its content, a tag, an entity) or keeps the
    character as text. Block tags and dropped elements become a line break.
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    finder = _Finder(text)
    pos = i = 0
    while True:
        m = _SPECIAL.search(text, i)
        j = m.start() if m else len(text)
        if m is not None:
            end, kind = _html_token(text, j, finder)
            if not kind:
                i = j + 1
                continue
        if j > pos:
            _page_text(text, pos, j, chars, starts, ends)
        if m is None or (limit is not None and len(chars) > limit):
            break
        if kind == "entity":
            for ch in html.unescape(text[j:end]):
                chars.append(ch)
                starts.append(j)
                ends.append(end)
        elif kind in ("drop", "block"):
            chars.append("\n")
            starts.append(j)
            ends.append(j)
        pos = i = end
    return chars, starts, ends


def _normalize(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    """NFKC per character (full-width digits and punctuation become ASCII), offsets kept."""
    out: list[str] = []
    o_starts: list[int] = []
    o_ends: list[int] = []
    last = len(chars) - 1
    for k, (ch, a, b) in enumerate(zip(chars, starts, ends, strict=True)):
        if ch == "\r":
            if k < last and chars[k + 1] == "\n":
                continue
            n = "\n"  # a lone carriage return ends a line (old Mac files)
        elif ch in _LINE_BREAKS:
            n = "\n"
        elif ch in _INVISIBLE:
            continue
        elif ch in "\u3000\xa0":
            n = " "
        elif (
            ch in "“”‘’「」『』《》〔〕【】、。" or ord(ch) < 128
        ):  # keep CJK marks that carry meaning as they are
            n = ch
        else:
            n = unicodedata.normalize("NFKC", ch)
        if unicodedata.category(ch) == "Cc" and n != "\n" and ch != "\t":
            continue  # a stray control character (Word's \x07, NUL) is no part of any word
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
        if len(line) <= _FURNITURE_MAX and _FURNITURE.match(line):
            kept.append(" " * len(line))
        else:
            kept.append(line)
    return "\n".join(kept)


def _drop_escapes(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    """The characters without terminal escape sequences (they stay in `original`)."""
    keep = [True] * len(chars)
    for m in _ESCAPES.finditer("".join(chars)):
        keep[m.start() : m.end()] = [False] * (m.end() - m.start())
    picked = [k for k, kept in enumerate(keep) if kept]
    return [chars[k] for k in picked], [starts[k] for k in picked], [ends[k] for k in picked]


def _too_long(name: str) -> InputError:
    return InputError(
        f"{name} holds more than the {MAX_CHARS:,} characters of text a report can have; "
        "give one report per file."
    )


def from_text(original: str, *, name: str = "<text>", encoding: str = "utf-8") -> SourceText:
    """Build a `SourceText` from already decoded text (plain text or an HTML page)."""
    try:
        original.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{name} contains an unpaired surrogate (U+{ord(original[exc.start]):04X} at "
            f"character {exc.start}), so it is not Unicode text; decode the file again."
        ) from exc
    is_html = bool(_LOOKS_HTML.search(original[:5000]))
    if len(original) > (MAX_BYTES if is_html else MAX_CHARS):
        raise _too_long(name)
    if is_html:
        chars, starts, ends = _strip_html(original, MAX_CHARS)
    else:
        chars = list(original)
        starts = list(range(len(original)))
        ends = [i + 1 for i in starts]
    if len(chars) > MAX_CHARS:
        raise _too_long(name)
    if "\x1b" in original:
        chars, starts, ends = _drop_escapes(chars, starts, ends)
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


STDIN = "-"
"""The path that names standard input."""


def _read_stdin() -> SourceText:
    import sys

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(
            f"Standard input gives more than the {MAX_BYTES // (1024 * 1024)} MB a report can "
            "be; give one report."
        )
    text, encoding = decode(data, "standard input")
    return from_text(text, name="standard input", encoding=encoding)


def special_kind(mode: int) -> str:
    """What a file that holds no bytes of its own is ("a named pipe (FIFO)", "a device", "a
    socket"), from its `st_mode`; "" for a regular file or a folder."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return ""


def check_file(path: str | Path) -> os.stat_result:
    """A report file's `os.stat`, after the checks that need no reading: it exists, is no folder,
    no FIFO, device or socket (opening a FIFO waits for a writer, a device never ends), and is no
    larger than `MAX_BYTES`; otherwise `InputError`."""
    p = Path(path)
    name = shown(p)
    try:
        info = os.stat(p)
    except FileNotFoundError as exc:
        raise InputError(f"Report file {name} does not exist; check the path.") from exc
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror}; check the path.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name} is a folder; give a report file (.txt or .html).")
    kind = special_kind(info.st_mode)
    if kind:
        raise InputError(f"{name} is {kind}, not a report file; give a report file.")
    if info.st_size > MAX_BYTES:
        raise InputError(
            f"{name} is {info.st_size / (1024 * 1024):.0f} MB, larger than the "
            f"{MAX_BYTES // (1024 * 1024)} MB a report can be; "
            "split it or check that it is a report."
        )
    return info


def read_bytes(path: str | Path) -> bytes:
    """A report file's bytes, after `check_file`, never more than `MAX_BYTES` of them."""
    p = Path(path)
    name = shown(p)
    check_file(p)
    try:
        # non-blocking, and checked again once open: a file swapped for a FIFO meanwhile
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as fh:  # bounded: a device or pipe can be endless
            kind = special_kind(os.fstat(fd).st_mode)
            if kind:
                raise InputError(f"{name} is {kind}, not a report file; give a report file.")
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror}; check its permissions.") from exc
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name} gives more than the {MAX_BYTES // (1024 * 1024)} MB a report can be; "
            "give a report file."
        )
    return data


def read_report(path: str | Path) -> SourceText:
    """Read and decode one report file (`-`: standard input); raises `InputError` with a
    one-sentence reason."""
    if str(path) == STDIN:
        return _read_stdin()
    p = Path(path)
    text, encoding = decode(read_bytes(p), shown(p))
    return from_text(text, name=shown(p.name), encoding=encoding)
