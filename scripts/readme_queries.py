"""Write the stored-query tables of README.md and README.zh-CN.md from the catalogue.

Each README holds the output of `fazhi queries --format md --lang LANG` between the lines
`<!-- begin: fazhi queries --format md --lang LANG -->` and `<!-- end: fazhi queries -->`;
tests/test_readme.py fails when a table differs from the catalogue.

    python scripts/readme_queries.py           # rewrite both tables
    python scripts/readme_queries.py --check   # exit 1, naming the READMEs whose table differs
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READMES = {"README.md": "en", "README.zh-CN.md": "zh"}
BLOCK = re.compile(
    r"(<!-- begin: fazhi queries --format md --lang (\w+) -->\n)(.*?)(<!-- end: fazhi queries -->)",
    re.DOTALL,
)


def table(lang: str) -> str:
    """`fazhi queries --format md --lang LANG`, as the command prints it."""
    out = subprocess.run(
        [sys.executable, "-m", "fazhi_kg", "queries", "--format", "md", "--lang", lang],
        capture_output=True,
        check=True,
    )
    return out.stdout.decode("utf-8")


def written(text: str) -> dict[str, str]:
    """Language → the table a README holds."""
    return {m.group(2): m.group(3) for m in BLOCK.finditer(text)}


def rewrite(text: str) -> str:
    """The README with each marked table replaced by the catalogue's."""
    return BLOCK.sub(lambda m: m.group(1) + table(m.group(2)) + m.group(4), text)


def main(argv: list[str]) -> int:
    stale = []
    for name, lang in READMES.items():
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        if lang not in written(text):
            print(f"{name} has no table marked for --lang {lang}; add the begin and end lines.")
            return 2
        new = rewrite(text)
        if new != text:
            stale.append(name)
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
    if stale and "--check" in argv:
        print(
            f"Stale stored-query tables in {', '.join(stale)}; run python scripts/readme_queries.py."
        )
        return 1
    for name in stale:
        print(f"rewrote the stored-query table of {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
