"""Pictures: Chinese glyphs render, `fazhi viz` writes every figure byte-stably, the notebooks run
top to bottom on a real kernel, and the HTML explorer works in a real headless Chromium.

`python tests/test_viz.py --refresh` re-executes the notebooks in place (outputs kept, volatile
metadata stripped) and retakes docs/explorer.png.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import fazhi_kg
from fazhi_kg.errors import UsageError
from fazhi_kg.viz import figures, fonts
from fazhi_kg.viz.explorer import CSP, explorer_data, explorer_html, write_explorer

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NOTEBOOK_BUDGET = 300.0  # seconds for all notebooks together
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = ROOT / "docs" / "explorer.png"
MISSING_GLYPH = re.compile(r"Glyph .* missing from font")
FONT_CACHE = re.compile(r"^Matplotlib is building the font cache")


@pytest.fixture(scope="module")
def G() -> Any:
    return fazhi_kg.to_networkx()


# --- fonts -------------------------------------------------------------------------------------


def test_a_packaged_cjk_font_is_registered_with_matplotlib() -> None:
    from matplotlib import font_manager

    path = fonts.font_file()
    assert path is not None, "no packaged CJK font: is pylopdf-fonts-zh-cn installed?"
    family = fonts.cjk_family()
    assert family == "Noto Sans SC"
    found = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert Path(found).resolve() == path.resolve()


def _render(fig: Any) -> list[str]:
    """Draw `fig` to PNG outside the project's rc context; the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught]


def test_the_missing_glyph_check_catches_tofu() -> None:
    """Control: Chinese in Matplotlib's own font warns, so the checks below can fail."""
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.5, 0.5, "法治政府", family="DejaVu Sans")
    assert any(MISSING_GLYPH.search(m) for m in _render(fig))


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_figure_renders_every_glyph(G: Any, name: str) -> None:
    fig = figures.FIGURES[name](G)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts), "the figure has no Chinese text"
    messages = _render(fig)
    assert not [m for m in messages if MISSING_GLYPH.search(m)]
    assert not messages


def test_neighbourhood_of_a_named_institution_and_a_wrong_name(G: Any) -> None:
    institutions = sorted(d["label"] for _, d in G.nodes(data=True) if d["family"] == "Institution")
    fig = figures.institution_neighbourhood(G, institutions[0])
    assert institutions[0] in fig.get_suptitle()
    with pytest.raises(
        UsageError, match=r'No institution is called "没有这个机构"; known ones include'
    ):
        figures.institution_neighbourhood(G, "没有这个机构")


# --- fazhi viz ---------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        chunks.append((data[at + 4 : at + 8], data[at + 8 : at + 8 + size]))
        at += 12 + size
    return chunks


def test_write_figures_png_and_svg(tmp_path: Path) -> None:
    names = list(figures.FIGURES)
    png = figures.write_figures(tmp_path, fmt="png")
    svg = figures.write_figures(tmp_path, fmt="svg")
    assert [p.name for p in png] == [f"{n}.png" for n in names]
    assert [p.name for p in svg] == [f"{n}.svg" for n in names]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in png + svg)
    for path in png:
        chunks = _png_chunks(path.read_bytes())
        kinds = {kind for kind, _ in chunks}
        assert b"tIME" not in kinds
        assert not [body for kind, body in chunks if kind in (b"tEXt", b"iTXt", b"zTXt")]
    for path in svg:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<?xml") and "</svg>" in text
        assert "<dc:date>" not in text
    again = figures.write_figures(tmp_path / "again", fmt="png")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in png]


def test_unknown_figure_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r'Unknown figure format "pdf"; use one of png, svg\.'):
        figures.write_figures(tmp_path, fmt="pdf")
    assert not list(tmp_path.iterdir())


def test_svg_and_html_bytes_are_the_same_in_two_fresh_processes(tmp_path: Path) -> None:
    code = "import sys; from pathlib import Path; from fazhi_kg.viz.figures import write_figures; "
    code += "from fazhi_kg.viz.explorer import write_explorer; out = Path(sys.argv[1]); "
    code += "write_figures(out, fmt='svg'); write_explorer(out / 'explorer.html')"
    for seed, folder in (("1", "a"), ("2", "b")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLCONFIGDIR": str(tmp_path / f"mpl-{seed}")}
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / folder)], env=env, check=True, timeout=120
        )
    a = sorted((tmp_path / "a").iterdir())
    assert len(a) == len(figures.FIGURES) + 1
    for path in a:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_importing_the_viz_modules_loads_nothing_heavy() -> None:
    code = (
        "import sys, fazhi_kg.viz.figures, fazhi_kg.viz.explorer, fazhi_kg.viz.fonts; "
        "print(sorted(m for m in ('matplotlib', 'networkx', 'rdflib', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_figures_and_explorer_of_two_reports(tmp_path: Path) -> None:
    from fazhi_kg.corpus.build import build_report, write_built

    other = write_built(build_report(ROOT / "tests/data/genre/county-fullwidth-2022.txt"), tmp_path)
    G2 = fazhi_kg.to_networkx([ROOT / "graph" / "sichuan-bazhong-bazhou-2023.ttl", other])
    rids = sorted({d["report"] for _, d in G2.nodes(data=True) if d["family"] == "Report"})
    assert len(rids) == 2
    for name, make in figures.FIGURES.items():
        fig = make(G2)
        assert not _render(fig), name
    data = explorer_data(G2)
    assert [r["id"] for r in data["reports"]] == rids
    assert {s["report"] for s in data["sections"]} == set(rids)
    places = [(n["x"], n["y"]) for n in data["nodes"]]
    assert len(set(places)) == len(places)


# --- notebooks ---------------------------------------------------------------------------------


def execute(path: Path, timeout: float) -> Any:
    """Run a notebook top to bottom on a real ipykernel; the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=max(int(timeout), 1),
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def strip(nb: Any) -> Any:
    """Drop what changes between runs and machines but says nothing: timings, versions."""
    nb.metadata = {
        "kernelspec": nb.metadata.get("kernelspec", {}),
        "language_info": {"name": "python"},
    }
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


def _errors(nb: Any) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"{out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                # a fresh machine builds Matplotlib's font cache once and says so: not an error
                lines = [
                    line for line in out.text.splitlines() if line and not FONT_CACHE.search(line)
                ]
                found += lines
    return found


def test_notebooks_are_committed_with_outputs() -> None:
    import nbformat

    assert [p.name for p in NOTEBOOKS] == ["01-overview.ipynb", "02-questions.ipynb"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        first = nb.cells[0]
        assert first.cell_type == "markdown"
        assert re.search(r"[\u4e00-\u9fff]", first.source) and re.search(
            r"[A-Za-z]{4,} ", first.source
        )
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(c.outputs and c.execution_count for c in code), path.name
        assert not _errors(nb), path.name
        assert all("execution" not in c.metadata for c in nb.cells)
        for c in code:  # the public API only
            for module in re.findall(r"^\s*(?:from|import) (fazhi_kg[\w.]*)", c.source, re.M):
                assert module in ("fazhi_kg", "fazhi_kg.viz", "fazhi_kg.viz.fonts"), module


def test_notebooks_run_top_to_bottom_on_a_kernel() -> None:
    deadline = time.monotonic() + NOTEBOOK_BUDGET
    for path in NOTEBOOKS:
        nb = execute(path, deadline - time.monotonic())
        errors = _errors(nb)
        assert not errors, f"{path.name}: {errors}"
        images = [
            o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
        ]
        tables = [
            o for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
        ]
        if path.name.startswith("01"):
            assert len(images) >= len(figures.FIGURES)
        else:  # the questions as charts, and the answers that read best as tables
            assert len(images) >= 10 and len(tables) >= 15, (len(images), len(tables))
    assert time.monotonic() < deadline


# --- the explorer page -------------------------------------------------------------------------


def test_explorer_page_is_self_contained_and_deterministic(G: Any) -> None:
    page = explorer_html()
    assert page == explorer_html()
    text = page.decode("utf-8")
    assert f'content="{CSP}"' in text.replace("&#x27;", "'")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(?!data:)", text)
    assert "@import" not in text and not re.search(r"url\((?!#)", text)  # only url(#arrow)
    assert text.count("<script") == 2
    data = explorer_data(G)
    ids = {n["id"] for n in data["nodes"]}
    entities = {n for n, d in G.nodes(data=True) if d["family"] not in ("Report", "Section")}
    assert ids == entities
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(ids), "two nodes at one place"
    # data cannot break out of its <script> element
    nasty = json.loads(json.dumps({"q": "</script><script>alert(1)</script>"}))
    from fazhi_kg.viz.explorer import _script_json

    assert "</" not in _script_json(nasty)


def _chrome_options(user_data: str) -> Any:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={user_data}",
        "--window-size=1600,1000",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMEDRIVER.exists(), (
        "chromium is installed but chromedriver is not: install chromium-driver"
    )
    with tempfile.TemporaryDirectory(prefix="fazhi-chromium-") as user_data:
        driver = webdriver.Chrome(
            service=Service(str(CHROMEDRIVER)), options=_chrome_options(user_data)
        )
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def explore(driver: Any, page: Path, screenshot: Path, G: Any) -> None:
    """Load the page, search an entity, click a node; each step checked; then a screenshot."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, 10)
    driver.get(page.as_uri())
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "g.node")) > 0)
    entities = [(n, d) for n, d in G.nodes(data=True) if d["family"] not in ("Report", "Section")]
    assert len(driver.find_elements(By.CSS_SELECTOR, "g.node")) == len(entities)
    assert not _severe(driver)

    # search an award by part of its Chinese label, pick the result: its quote and place show
    award, data = sorted((n, d) for n, d in entities if d["family"] == "Award")[0]
    box = driver.find_element(By.ID, "search")
    box.send_keys(data["label"][2:6])
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results li[data-index]"))
    hits = driver.find_elements(By.CSS_SELECTOR, "#results li[data-index]")
    assert any(data["label"] in h.text for h in hits)
    next(h for h in hits if data["label"] in h.text).click()
    panel = driver.find_element(By.ID, "panel")
    wait.until(lambda d: data["label"] in panel.find_element(By.TAG_NAME, "h2").text)
    quote = panel.find_element(By.CSS_SELECTOR, "blockquote.quote")
    assert quote.text == data["prefix"] + data["quote"] + data["suffix"]  # the whole sentence
    assert quote.find_element(By.TAG_NAME, "mark").text == data["quote"]  # its words marked
    assert data["prefix"] and data["suffix"]
    assert f"{data['start']}–{data['end']}" in panel.find_element(By.CSS_SELECTOR, ".offsets").text
    assert data["section"].split("/")[0] in panel.find_element(By.CSS_SELECTOR, ".chain").text
    selected = driver.find_elements(By.CSS_SELECTOR, "g.node.selected")
    assert [s.get_attribute("data-id") for s in selected] == [award]

    # click a node in the picture: an indicator; its quote and its neighbours show
    indicator, ind = next(
        (n, d) for n, d in sorted(entities) if d["family"] == "Count" and G.out_degree(n) > 2
    )
    driver.find_element(By.CSS_SELECTOR, f'g.node[data-id="{indicator}"] circle').click()
    wait.until(
        lambda d: ind["quote"] == panel.find_element(By.CSS_SELECTOR, "blockquote.quote mark").text
    )
    neighbours = panel.find_elements(By.CSS_SELECTOR, "ul.neighbours a")
    assert neighbours, "the panel lists no neighbours"
    # follow a neighbour link, then filter out its family: it disappears from the picture
    target = neighbours[0].text
    neighbours[0].click()
    wait.until(lambda d: panel.find_element(By.TAG_NAME, "h2").text == target)
    fam = driver.find_element(By.CSS_SELECTOR, "g.node.selected").get_attribute("data-id")
    family = G.nodes[fam]["family"]
    driver.find_element(By.CSS_SELECTOR, f'#families input[value="{family}"]').click()
    assert not driver.find_element(By.CSS_SELECTOR, f'g.node[data-id="{fam}"]').is_displayed()
    driver.find_element(By.CSS_SELECTOR, f'#families input[value="{family}"]').click()
    assert not _severe(driver)

    # the screenshot shows a selected award with its quote
    box.clear()
    box.send_keys(data["label"])
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results li[data-index]"))
    driver.find_elements(By.CSS_SELECTOR, "#results li[data-index]")[0].click()
    wait.until(lambda d: data["label"] in panel.find_element(By.TAG_NAME, "h2").text)
    time.sleep(0.3)
    driver.save_screenshot(str(screenshot))
    assert not _severe(driver)


def _dark_share(png: bytes, rect: dict[str, float]) -> float:
    """The share of dark pixels (text, lines, dots) in a rectangle of a screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    box = (rect["x"], rect["y"], rect["x"] + rect["width"], rect["y"] + rect["height"])
    counts = image.crop(tuple(round(v) for v in box)).histogram()
    return sum(counts[:110]) / max(1, sum(counts))


LEGIBLE_PX = 10.0
"""The least height in screen pixels of a node label on the first view."""


def first_view(driver: Any, page: Path, screenshot: Path) -> dict[str, float]:
    """Open the page and measure its first view: label height, the focused band's share of the
    canvas, dark pixels in the graph area; then the same for the whole-graph fit (the control)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "g.node"))
    measure = """
        const canvas = document.getElementById('canvas').getBoundingClientRect();
        const data = JSON.parse(document.getElementById('data').textContent);
        const band = document.querySelector(`g.band[data-band="${data.focus}"] rect`)
            .getBoundingClientRect();
        const label = [...document.querySelectorAll('g.node text')]
            .map((t) => t.getBoundingClientRect())
            .find((r) => r.top >= canvas.top && r.bottom <= canvas.bottom
                         && r.left >= canvas.left && r.right <= canvas.right);
        return {label: label ? label.height : 0,
                band: (Math.min(band.bottom, canvas.bottom) - Math.max(band.top, canvas.top))
                      / canvas.height,
                x: canvas.left, y: canvas.top, width: canvas.width, height: canvas.height};
    """
    view = driver.execute_script(measure)
    png = driver.get_screenshot_as_png()
    screenshot.write_bytes(png)
    driver.find_element(By.ID, "fit").click()
    whole = driver.execute_script(measure)
    return {
        "label": view["label"],
        "band": view["band"],
        "dark": _dark_share(png, view),
        "label_when_fitted_whole": whole["label"],
    }


def test_the_explorer_opens_on_a_legible_view(browser: Any, tmp_path: Path) -> None:
    page = write_explorer(tmp_path / "explorer.html")
    view = first_view(browser, page, tmp_path / "first-view.png")
    assert view["label"] >= LEGIBLE_PX, view  # labels read at a glance
    assert view["band"] >= 0.75, view  # the section in focus fills the canvas, top to bottom
    assert view["dark"] >= 0.015, view  # text is drawn: dark pixels in the graph area
    # control: the whole graph at once is the illegible view the page no longer opens on
    assert view["label_when_fitted_whole"] < LEGIBLE_PX, view


def test_explorer_in_headless_chromium(browser: Any, tmp_path: Path, G: Any) -> None:
    page = write_explorer(tmp_path / "explorer.html")
    shot = tmp_path / "explorer.png"
    explore(browser, page, shot, G)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from selenium.webdriver.common.by import By

    quote = browser.find_element(By.CSS_SELECTOR, "blockquote.quote").rect
    assert _dark_share(shot.read_bytes(), quote) >= 0.04  # the quote's text shows


# --- refresh the committed outputs -------------------------------------------------------------


def refresh() -> None:
    """Re-execute the notebooks in place and retake docs/explorer.png."""
    import nbformat
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in NOTEBOOKS:
        nb = strip(execute(path, NOTEBOOK_BUDGET))
        assert not _errors(nb), _errors(nb)
        nbformat.write(nb, path)
        print(f"executed {path.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory() as tmp:
        page = write_explorer(Path(tmp) / "explorer.html")
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=_chrome_options(tmp))
        try:
            explore(driver, page, SCREENSHOT, fazhi_kg.to_networkx())
        finally:
            driver.quit()
    print(f"wrote {SCREENSHOT.relative_to(ROOT)}")
    shutil.rmtree(ROOT / "notebooks" / ".ipynb_checkpoints", ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["--refresh"]:
        sys.exit(__doc__)
    refresh()
