"""What a saved government web page says about the document it carries, outside the text: the
<title> and the site metadata of the national government-website standard (ArticleTitle, SiteName,
ColumnName, ContentSource, PubDate: 《政府网站发展指引》, 国办发〔2017〕47号, and the meta tags that
government sites carry for it)."""

from __future__ import annotations

import html
import re

__all__ = ["page_fields"]

_HEAD_LIMIT = 20_000  # the head of a page sits in its first kilobytes
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""(name|property|content)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# meta name → field; the first name of a field that a page carries wins
_FIELDS = {
    "articletitle": "title",
    "og:title": "title",
    "sitename": "site",
    "og:site_name": "site",
    "contentsource": "source",
    "pubdate": "date",
    "firstpublishedtime": "date",
    "columnname": "column",
}
# <title> is often "article_column_site" or "article - site"
_TITLE_PARTS = re.compile(r"\s*(?:_|\s[-|—]\s|\|)\s*")


def page_fields(original: str) -> dict[str, str]:
    """title, site, source, date and column of an HTML page, where it states them."""
    head = original[:_HEAD_LIMIT]
    out: dict[str, str] = {}
    for tag in _META.finditer(head):
        attrs = {
            m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _ATTR.finditer(tag.group(0))
        }
        key = _FIELDS.get((attrs.get("name") or attrs.get("property") or "").lower())
        value = _clean(attrs.get("content", ""))
        if key and value and key not in out:
            out[key] = value
    title = _TITLE.search(head)
    if title:
        parts = [p for p in _TITLE_PARTS.split(_clean(title.group(1))) if p]
        if parts:
            out.setdefault("title", parts[0])
            if len(parts) > 1:
                out.setdefault("site", parts[-1])
    return out


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", "", value))).strip()
