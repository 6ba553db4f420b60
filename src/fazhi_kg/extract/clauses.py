"""Shared reading helpers for the extractors: quoted regions, clause boundaries, word lists."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from fazhi_kg.resources import data_dir

CJK = "\u4e00-\u9fff"
PUNCT = set(",.;:!?。;:、()[]【】<>《》\n\t ")

# Verbs, prepositions and adverbs of this genre's prose that end the left context of a name.
# Words common inside organ names (监督, 保障, 建设, 管理, 服务, 依法 …) are deliberately absent.
STOP_WORDS = frozenset(
    """
向 被 由 在 和 与 及 对 将 把 从 等 的 了 是 于 至 按 据 让 给 受 跟 就 即 并 且 而 或 均 已 又 还 也 都
开展 组建 成立 建成 设立 开设 召开 听取 接受 引进 用好 发挥 依托 推动 推进 加强 建立 完善 组织 落实
强化 深化 打造 培育 配合 会同 邀请 聘请 聘用 联系 协调 指导 督促 支持 推广 表彰 评为 获评 获得
荣获 入选 通报 命名 授予 选派 派驻 指派 依靠 对接 牵头 主导 统筹 整合 新建 挂牌 揭牌 设置 组成
成为 作为 通过 经过 提请 报请 报送 提交 上报 印发 出台 制定 出具 审议 批准 备案 争取 获批 列入
纳入 进入 搭建 办理 提供 深入 全面 持续 不断 积极 认真 切实 扎实 有效 严格 健全 试行
实行 推行 执行 实施 启用 上线 运行 开通 畅通 形成 构建 探索 创建 培养 聘任 选聘 配备
办结 受理 承办 参与 参加 举办 举行 增设 建好 管好 抓好 做好 抓实 压实 夯实 提升 提高 加大
坚持 突出 围绕 聚焦 针对 结合 根据 按照 依照 遵循 对标 全区 全市 全县 全省 全镇 逐步
不服 共有 巩固 整治 调整 动态调整 审定 制发 修订 编制 出台 推出 引入 实现 旁听 采取 加快 以及 其中 同时 此外 通报 表扬
""".split()
)
# Words that contain a stop word but are not one (诉讼 is not 诉 + 讼); segmentation skips them whole.
KEEP_WORDS = frozenset(
    """
诉讼 诉求 投诉 上诉 申诉 起诉 应诉 和解 和谐 和平 为民 在线 由来 对口 对外 以上 于是 在职 在编 及时 并联 从事
规范性 规范化 网上 线上 行为 执行情况 实施情况 落实情况
""".split()
)
INSTITUTION_STOPS = frozenset(
    {"联合", "诉", "携手", "会同", "协同", "联手", "指导", "邀请", "依托"}
)
_MAX_STOP = max(map(len, STOP_WORDS | KEEP_WORDS | INSTITUTION_STOPS))
_ITEM_MARK = re.compile(r"[一二三四五六七八九十]+[是要]")


@dataclass(frozen=True)
class Quotes:
    """Spans of quoted text (“…”, ‘…’, 「…」, "…") and book titles (《…》) in a text."""

    quoted: tuple[tuple[int, int], ...]  # inner spans
    titles: tuple[tuple[int, int], ...]
    # the spans' starts, for bisecting: extractors ask once per number or name they find
    _quoted_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _title_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_quoted_starts", tuple(s for s, _ in self.quoted))
        object.__setattr__(self, "_title_starts", tuple(s for s, _ in self.titles))

    def inside_quote(self, pos: int) -> tuple[int, int] | None:
        return _containing(self.quoted, self._quoted_starts, pos)

    def inside_title(self, pos: int) -> tuple[int, int] | None:
        return _containing(self.titles, self._title_starts, pos)


def _containing(
    spans: tuple[tuple[int, int], ...], starts: tuple[int, ...], pos: int
) -> tuple[int, int] | None:
    """The span around `pos`; spans are sorted and do not overlap."""
    i = bisect_right(starts, pos) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return None


_QUOTE_RX = re.compile(r"“([^“”\n]{1,60})”|「([^「」\n]{1,60})」|\"([^\"\n]{1,60})\"")
_TITLE_RX = re.compile(r"《([^《》\n]{1,80})》")


def find_quotes(text: str) -> Quotes:
    quoted = []
    for m in _QUOTE_RX.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        quoted.append((m.start(g), m.end(g)))
    titles = [(m.start(1), m.end(1)) for m in _TITLE_RX.finditer(text)]
    return Quotes(tuple(quoted), tuple(titles))


def left_boundary(
    text: str,
    end: int,
    *,
    limit: int = 18,
    floor: int = 0,
    allow_quotes: bool = True,
    min_len: int = 0,
    stops: frozenset[str] = STOP_WORDS,
) -> int:
    """Where a name ending at `end` starts.

    The left context is the run of CJK characters (and, if allowed, quoted parts) before `end`;
    it is segmented forward, longest stop word first, and the name starts after the last one
    that leaves at least `min_len` characters (专项执法提升行动 keeps its 提升).
    """
    lowest = max(floor, end - limit)
    pos = end
    while pos > lowest:
        ch = text[pos - 1]
        if allow_quotes and ch == "”":
            open_ = text.rfind("“", lowest, pos - 1)
            if open_ < 0:
                break
            pos = open_
        elif re.match(f"[{CJK}]", ch):
            pos -= 1
        else:
            break
    bounds = [pos]
    i = pos
    while i < end:
        if text[i] == "“":
            close = text.find("”", i, end)
            i = end if close < 0 else close + 1
            continue
        word = next(
            (
                text[i : i + n]
                for n in range(min(_MAX_STOP, end - i), 0, -1)
                if text[i : i + n] in stops or text[i : i + n] in KEEP_WORDS
            ),
            None,
        )
        if word in KEEP_WORDS:
            i += len(word)
        elif word:
            i += len(word)
            bounds.append(i)
        else:
            i += 1
    if min_len <= 0:
        return bounds[-1]

    def starts_with_stop(b: int) -> bool:
        return bool(_ITEM_MARK.match(text, b)) or any(
            text[b : b + n] in stops for n in range(1, _MAX_STOP + 1)
        )

    return next(
        (
            b
            for b in reversed(bounds)
            if end - b >= min_len and (b == bounds[-1] or not starts_with_stop(b))
        ),
        end,
    )


def strip_quotes(s: str) -> str:
    return re.sub(r"[“”‘’「」\"']", "", s)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence (between 。;!? or newlines) around `pos`."""
    starts = [text.rfind(c, 0, pos) for c in "。;!?\n"]
    start = max(starts) + 1
    ends = [e for e in (text.find(c, pos) for c in "。;!?\n") if e >= 0]
    end = min(ends) if ends else len(text)
    return start, end


def clause_start(text: str, pos: int) -> int:
    """Start of the clause (after , 。 ; : etc.) that contains `pos`; the comma of a number
    (1,946) is no boundary."""
    while True:
        best = -1
        for c in ",。;:!?\n、":
            best = max(best, text.rfind(c, 0, pos))
        if (
            best > 0
            and text[best] == ","
            and text[best - 1 : best].isdigit()
            and text[best + 1 : best + 2].isdigit()
        ):
            pos = best
            continue
        return best + 1


@cache
def word_table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a word list under the package's data folder: tab-separated columns, `#` lines
    (the list's source) and the header row left out."""
    lines = (data_dir() / name).read_text(encoding="utf-8").splitlines()
    rows = [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]
    return tuple(rows[1:])


class Cover:
    """Whether a position lies in any of a fixed set of spans, by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []  # the furthest end among spans starting at or before
        for _, e in spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def __call__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos


_MENU_LINE = re.compile(f"^\\s*(?:[{CJK}]{{2,6}}\\s*[|｜·•/>]?\\s+){{2,}}[{CJK}]{{2,6}}\\s*$")
_MENU_WORD = re.compile(f"^\\s*[{CJK}]{{2,6}}\\s*$")


_CHROME_LINE = re.compile(
    r"(?:来源|发布时间|发布日期|时间|日期|浏览次数|浏览|点击数|字体|分享|扫一扫|当前位置|您当前的位置|所在位置)"
    r"\s*[:：]"
    r"|扫一扫|【字体|打印本页|关闭窗口|欢迎访问"
    # a link to another page: a line that is only a title (…报告, …工作要点), no sentence
    r"|^\s*[^,。;:、，；：\s]{6,40}(?:报告|工作要点|实施方案)\s*$"
)


# a breadcrumb: 首页 > 政务公开 > 法治政府建设
_BREADCRUMB = re.compile(rf"(?:[{CJK}]{{2,12}}\s*[>»]\s*){{2,}}[{CJK}]{{2,12}}")


def _chrome(line: str) -> bool:
    return bool(_CHROME_LINE.search(line)) or (
        (">" in line or "»" in line) and bool(_BREADCRUMB.search(line))
    )


def chrome_lines(text: str) -> list[tuple[int, int]]:
    """A web page's lines around the report: navigation lines and lines of page data (来源:,
    发布时间:, 字体, 扫一扫), which state no measure, honour or document of the report."""
    return sorted(
        [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if _chrome(m.group(0))]
        + menu_lines(text)
    )


def repeated_lines(text: str, *, least: int = 30) -> list[tuple[int, int]]:
    """Lines that a later line repeats from its start (a page's description: the opening
    paragraph again, often cut off): what they state is stated again, in full, where the report
    says it."""
    lines = [
        (m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.group(0).strip())
        for m in re.finditer(r"[^\n]+", text)
    ]
    out = []
    for i, (at, line) in enumerate(lines):
        if len(line) >= least and any(later.startswith(line) for _, later in lines[i + 1 : i + 40]):
            out.append((at, at + len(line)))
    return out


def menu_lines(text: str) -> list[tuple[int, int]]:
    """A web page's navigation lines (首页 | 政务公开 | 办事服务, 无障碍访问 长者模式 智能问答, or
    three or more one-word lines in a row): they name nothing the report says."""
    out = []
    run: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        if _MENU_LINE.match(line):
            out.append((m.start(), m.end()))
        if _MENU_WORD.match(line):
            run.append((m.start(), m.end()))
        elif line.strip():
            out.extend(run if len(run) >= 3 else [])
            run = []
    out.extend(run if len(run) >= 3 else [])
    return sorted(set(out))
