"""Reading report files: encodings, HTML pages, full-width forms, and offsets kept exact."""

from __future__ import annotations

import pytest

from fazhi_kg.errors import InputError
from fazhi_kg.text.read import decode, from_text, read_report

SAMPLE = "某县人民政府关于2022年度法治政府建设情况的报告\n一、主要举措\n办理案件１２６件，办结率９８．５％。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_decodes_common_encodings(tmp_path, encoding):
    p = tmp_path / "r.txt"
    p.write_bytes(SAMPLE.encode(encoding))
    src = read_report(p)
    assert src.original == SAMPLE


def test_bom_is_not_part_of_the_offsets(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode())
    assert read_report(p).original.startswith("某县")


def test_full_width_digits_are_normalized_but_offsets_point_to_the_original():
    src = from_text(SAMPLE)
    i = src.norm.index("126件")
    s, e = src.span(i, i + 4)
    assert src.original[s:e] == "１２６件"
    j = src.norm.index("98.5%")
    assert src.quote(j, j + 5) == "９８．５％"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n\t", "is empty"),
        (b"\x00\x01\x02binary\x00" * 10, "binary"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),
        (b"\x81\x30\x81", "neither UTF-8 nor GB18030"),
    ],
)
def test_undecodable_input_gets_one_sentence(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, "x.txt")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_report(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_report(tmp_path)


def test_html_page_keeps_main_text_and_drops_furniture():
    page = (
        "<!DOCTYPE html><html><head><title>报告</title><style>p{color:red}</style>"
        "<script>var a='一、假标题';</script></head><body>"
        "<nav><a href='/'>首页</a><a>一、栏目</a></nav>"
        "<div>字体：大 中 小</div>"
        "<p>某市人民政府关于2021年度法治政府建设情况的报告</p>"
        "<p>一、主要举措</p><p>办理&nbsp;案件<b>36</b>件。</p>"
        "<p>扫一扫在手机打开当前页</p><footer>版权所有 ICP备</footer></body></html>"
    )
    src = from_text(page)
    assert src.is_html
    assert "假标题" not in src.norm and "栏目" not in src.norm and "color" not in src.norm
    assert "扫一扫" not in src.norm and "字体" not in src.norm and "版权所有" not in src.norm
    i = src.norm.index("36件")
    s, e = src.span(i, i + 3)
    assert page[s:e] == "36</b>件"


_HEADINGS_PAGE = (
    "<!DOCTYPE html><html><head><title>报告</title></head><body>\n"
    "<h1>某县人民政府关于<b>2023</b>年度法治政府建设情况的报告</h1>\n"
    '<p>一、<b>主要</b>举措&nbsp;和<span class="x">成效</span>&amp;做法</p>\n'
    "<p>（一）<span>强化</span>&nbsp;组织&amp;领导。全年办理案件１２件。</p>\n"
    "<p>二、存在的<em>问题</em></p>\n<p>（一）<b>法治</b>意识&lt;有待&gt;提升。</p>\n"
    "</body></html>\n"
)


def test_section_titles_from_html_carry_no_markup_or_entities(tmp_path):
    from fazhi_kg.extract.meta import read_header
    from fazhi_kg.extract.structure import sections

    page = tmp_path / "report.html"
    page.write_text(_HEADINGS_PAGE, encoding="utf-8")
    src = read_report(page)
    secs = sections(src, read_header(src).body_start)
    assert [(s.path, s.title) for s in secs] == [
        ("一", "主要举措 和成效&做法"),
        ("一/(一)", "强化 组织&领导"),
        ("二", "存在的问题"),
        ("二/(一)", "法治意识<有待>提升"),
    ]
    # the spans still point into the page as written, markup and all
    first = secs[0]
    assert src.original[first.span.start : first.span.end].startswith("一、<b>主要</b>")


def test_written_text_keeps_what_the_report_writes():
    plain = from_text("一、（一）ＡＢ１２\u3000举措")
    assert plain.written(0, len(plain.norm)) == plain.original  # a text file: quote()
    page = from_text("<html><body><p>（一）<i>１２</i>&amp;&#x4e00;</p></body></html>")
    start = page.norm.index("(")
    assert page.written(start, len(page.norm.rstrip())) == "（一）１２&一"


def test_document_titles_from_html_carry_no_markup_or_entities(tmp_path):
    from fazhi_kg.extract import extract

    page = tmp_path / "report.html"
    page.write_text(
        "<html><body><h1>某县2023年法治政府建设情况报告</h1>"
        "<p>一、主要举措和成效</p><p>制定《某县<b>行政</b>规范性文件&amp;备案审查办法》，"
        "印发《关于加强&nbsp;法治政府建设的意见》。</p></body></html>",
        encoding="utf-8",
    )
    titles = [d.title for d in extract(read_report(page)).documents]
    assert titles == ["某县行政规范性文件&备案审查办法", "关于加强 法治政府建设的意见"]


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("<p>法治\n政府建设</p>", "法治政府建设"),  # a break between Chinese characters: nothing
        ("<p>法治\r\n政府</p>", "法治政府"),
        ("<p>rule of\nlaw</p>", "rule of law"),  # elsewhere: a space
        ("<p>共12\n件</p>", "共12 件"),
    ],
)
def test_a_line_break_inside_a_page_paragraph_shows_as_a_browser_shows_it(
    page: str, shown: str
) -> None:
    src = from_text(f"<html><body>{page}</body></html>")
    assert shown in src.norm
    start = src.norm.index(shown)
    assert src.written(start, start + len(shown)) == shown
