"""Reading report files: encodings, HTML pages, full-width forms, and offsets kept exact."""

from __future__ import annotations

import pytest

from fazhi_kg.errors import InputError
from fazhi_kg.read import decode, from_text, read_report

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
