"""Progress of long work on standard error: done/total, the rate, the time left and the current
file; one line redrawn in a terminal, and elsewhere (CI logs, a file) one line every few seconds
and one at the end."""

from __future__ import annotations

import shutil
import sys
import time
import unicodedata
from typing import TextIO

from fazhi_kg.errors import shown

__all__ = ["Progress"]


class Progress:
    """`update(done, total, name, worked=...)` after each item; `worked` items (built, not
    reused) make the rate and the estimate of the time left."""

    def __init__(
        self, label: str, *, stream: TextIO | None = None, every: float = 5.0, unit: str = "/s"
    ) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.every = every
        self.unit = unit
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.first_work: float | None = None
        self.worked = 0
        self.last = 0.0
        self.drawn = False

    def update(self, done: int, total: int, name: object, *, worked: bool = True) -> None:
        now = time.monotonic()
        if worked:
            if self.first_work is None:
                self.first_work = self.started
            self.worked += 1
        line = self._line(done, total, shown(name), now)
        if self.tty:
            width = max(20, shutil.get_terminal_size((100, 20)).columns - 1)
            text = _fit(line, width)
            self.stream.write("\r" + text + " " * (width - _width(text)))
            self.stream.flush()
            self.drawn = True
        elif now - self.last >= self.every or done >= total:
            self.stream.write(line + "\n")
            self.stream.flush()
            self.last = now

    def say(self, text: str) -> None:
        """A line of its own (an error as it happens), above the bar on a terminal."""
        self.close()
        self.drawn = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def _line(self, done: int, total: int, name: str, now: float) -> str:
        parts = [f"{self.label} {done}/{total}"]
        if self.first_work is not None and self.worked:
            seconds = max(now - self.first_work, 1e-6)
            rate = self.worked / seconds
            parts.append(f"{rate:.1f}{self.unit}")
            if done < total and self.worked >= 2:
                parts.append(f"about {_duration((total - done) / rate)} left")
        elif done >= total:
            parts.append(f"{now - self.started:.1f} s")
        return " · ".join(parts) + f" · {name}"

    def close(self) -> None:
        """Clear the terminal line (the caller prints its summary)."""
        if self.tty and self.drawn:
            width = max(20, shutil.get_terminal_size((100, 20)).columns - 1)
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def _width(text: str) -> int:
    """Columns a terminal gives `text`: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` columns, with … where it was cut."""
    if _width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"
