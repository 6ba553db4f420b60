"""What every extractor of one report shares: the normalized text, its quoted regions, the heading
tree, and the ways back from `norm` offsets to the original text and to the section a fact stands
under."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from fazhi_kg.extract.clauses import Quotes, find_quotes, strip_quotes
from fazhi_kg.facts import Section, Span
from fazhi_kg.text.read import SourceText


class _Locator:
    """Finds the deepest section a span stands under."""

    def __init__(self, secs: Sequence[Section]) -> None:
        self._secs = sorted(secs, key=lambda s: (s.body.start, -s.body.end))

    def path(self, span: Span) -> str | None:
        best: Section | None = None
        for s in self._secs:
            inside = s.body.start <= span.start < max(s.body.end, s.body.start + 1)
            if inside and (best is None or s.depth > best.depth):
                best = s
        return best.path if best else None


@dataclass(frozen=True)
class Reading:
    """One report as the extractors read it. Offsets called `start`/`end` are `norm` offsets;
    `Span`s are offsets into the original text, as facts keep them."""

    src: SourceText
    body_start: int
    sections: tuple[Section, ...]
    quotes: Quotes = field(init=False, repr=False)
    _locator: _Locator = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "quotes", find_quotes(self.src.norm))
        object.__setattr__(self, "_locator", _Locator(self.sections))

    @property
    def text(self) -> str:
        """The normalized text every extractor reads."""
        return self.src.norm

    def span(self, start: int, end: int) -> Span:
        """The original-text span of a `norm` range."""
        return Span(*self.src.span(start, end))

    def section_of(self, span: Span) -> str | None:
        """The path of the deepest section the span stands under."""
        return self._locator.path(span)

    def norm_pos(self, pos: int) -> int:
        """The first `norm` index whose source starts at or after original offset `pos`."""
        return bisect_right(self.src.starts, pos - 1)

    def norm_of(self, span: Span) -> str:
        """The normalized text of an original-text span."""
        return self.text[self.norm_pos(span.start) : self.norm_pos(span.end)]

    def as_written(self, start: int, end: int, name: str) -> str:
        """A name as the report writes it (full-width digits kept) where it is one stretch of text;
        else the normalized `name`."""
        text = self.src.written(start, end)  # an HTML page's markup and entities left out
        written = strip_quotes(text) if "“" not in name else text
        # control and format characters (a stray tab, a zero-width space) are no part of a name
        written = "".join(c for c in written if unicodedata.category(c) not in ("Cc", "Cf"))
        return written if _letters(written) == _letters(name) else name


def _letters(s: str) -> str:
    """A name's characters as read: NFKC, without spaces."""
    return "".join(c for c in unicodedata.normalize("NFKC", s) if not c.isspace())
