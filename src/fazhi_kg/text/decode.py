"""Decode report bytes: byte-order marks, UTF-8, GB18030, UTF-16 without a mark, documents that
are not text, and mojibake (repaired when no byte was lost, refused with one sentence otherwise).
"""

from __future__ import annotations

import re

from fazhi_kg.errors import InputError

# UTF-32 and UTF-16 byte-order marks, longest first (UTF-32-LE's begins with UTF-16-LE's), and the
# codecs that read the mark and the byte order from it
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# Mojibake is told from real text on this many characters at most.
WINDOW = 200_000

_BINARY_KINDS = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file)"),
    (b"\xd0\xcf\x11\xe0", "a Word or Excel 97-2003 document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
)
_MOJIBAKE_CODECS = (("gbk", "GBK"), ("cp1252", "Windows-1252"))  # cp1252 covers Latin-1 too
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_RUN = re.compile(r"[^\x00-\x7f\ufffd]{2,}")


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM,
    or GB18030; repair lossless mojibake and refuse text whose characters were lost."""
    if not data.strip():
        raise InputError(f"{name} is empty; give a report text or an HTML page.")
    for magic, kind in _BINARY_KINDS:
        if data.startswith(magic):
            raise InputError(
                f"{name} is {kind}, not text; save the report as plain text (.txt) or as a web "
                "page (.html) and give that file."
            )
    text, encoding = _decode_bytes(data, name)
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\t\n\r\x0b\x0c")
    if controls * 10 > min(len(text), 65536):  # Word's \x07 and \x0b are junk, not binary
        raise InputError(
            f"{name} looks like a binary file, not a report text; give a .txt or .html file."
        )
    return _check_garbled(text, encoding, name)


def _decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} has a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()}; save it again as UTF-8."
                ) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name} starts with a UTF-8 BOM but is not valid UTF-8 "
                f"(byte {exc.start + 3}); save it again as UTF-8."
            ) from exc
    head = data[:4096]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
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


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark: its ASCII characters put zero bytes on one
    side of every pair (odd positions little-endian, even big-endian)."""
    head = data[:4096]
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    if len(data) % 2 or odd + even < len(head) // 50:
        return None
    codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return (text, codec) if "\x00" not in text else None


def _reencode(text: str, codec: str) -> bytes:
    """The bytes a wrong decoding with `codec` came from. Windows maps the five bytes that
    Windows-1252 leaves undefined to Latin-1's C1 controls, so those go back as Latin-1 (which
    also makes this undo a Latin-1 decoding)."""
    if codec != "cp1252":
        return text.encode(codec)
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return b"".join(bytes([ord(ch)]) if ord(ch) < 256 else ch.encode(codec) for ch in text)


def _check_garbled(text: str, encoding: str, name: str) -> tuple[str, str]:
    """Repair lossless mojibake; refuse text that an earlier wrong decoding has damaged."""
    if text.isascii():
        return text, encoding
    if text.count("锟斤拷") >= 2:
        raise InputError(
            f"{name} contains “锟斤拷”, the trace of characters lost when GBK text was decoded "
            "as UTF-8 and saved again; get the original file."
        )
    for codec, label in _MOJIBAKE_CODECS:
        good = bad = 0
        sample: tuple[str, str] | None = None
        for run in _RUN.findall(text, 0, WINDOW):
            try:
                raw = _reencode(run, codec)
            except UnicodeEncodeError:
                continue
            reading = raw.decode("utf-8", "replace")
            good += len(_CJK.findall(reading))
            bad += reading.count("\ufffd")
            if sample is None and len(run) >= 4 and "\ufffd" not in reading:
                sample = (run[:12], reading[:8])
        if good < 20 or good < bad:
            continue
        try:
            repaired = _reencode(text, codec).decode("utf-8")
            return repaired, f"utf-8 (repaired from {label} mojibake)"
        except UnicodeError:
            pass
        seen = f" (it reads “{sample[0]}” for “{sample[1]}”)" if sample else ""
        raise InputError(
            f"{name} is garbled: it is UTF-8 text that was decoded as {label} and saved again"
            f"{seen}, and characters were lost on the way; get the original file or save the "
            "page again as UTF-8."
        )
    lost = text.count("\ufffd")
    if lost >= 10 and lost * 200 >= len(text):
        raise InputError(
            f"{name} has {lost} replacement characters (�) where an earlier wrong decoding lost "
            "the original characters; get the original file."
        )
    return text, encoding
