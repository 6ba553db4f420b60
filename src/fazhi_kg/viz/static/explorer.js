// fazhi-kg explorer: draws the laid-out entity network as SVG, with search, filters, pan and zoom,
// and a panel with the selected entity's facts, neighbours and source quote. No libraries, no network.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const SVG_NS = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("graph");
  const canvas = document.getElementById("canvas");
  const panel = document.getElementById("panel");
  const search = document.getElementById("search");
  const results = document.getElementById("results");
  const sectionSelect = document.getElementById("section");
  const families = new Map(data.families.map((f) => [f.name, f]));
  const reports = new Map(data.reports.map((r) => [r.id, r]));
  const nodes = data.nodes;
  const state = { hidden: new Set(), section: "", selected: -1, view: null };

  // --- small DOM helpers -------------------------------------------------------------------
  function svgEl(name, attrs, parent) {
    const e = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  function h(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) e.append(c);
    return e;
  }
  function colour(name) {
    return (families.get(name) || { colour: "#ddd" }).colour;
  }
  function familyName(name) {
    const f = families.get(name);
    return f ? `${f.zh} ${f.en}` : name;
  }
  function swatch(name) {
    const s = h("span", { className: "swatch" });
    s.style.background = colour(name);
    return s;
  }

  // --- adjacency ---------------------------------------------------------------------------
  const links = nodes.map(() => []);
  data.edges.forEach(([s, t, label], i) => {
    links[s].push({ other: t, label, out: true, edge: i });
    links[t].push({ other: s, label, out: false, edge: i });
  });

  // --- drawing -----------------------------------------------------------------------------
  const defs = svgEl("defs", {}, svg);
  const marker = svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "16", refY: "5",
    markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
  svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: "#777" }, marker);
  const root = svgEl("g", { id: "root" }, svg);
  for (const b of data.bands) {
    const g = svgEl("g", { class: "band", "data-band": b.key }, root);
    svgEl("rect", { x: b.x, y: b.y, width: b.w, height: b.h, rx: 6,
      fill: b.shade ? "#e9eef5" : "#f3f3f3" }, g);
    svgEl("text", { x: b.x + 10, y: b.y + 24, class: "band-title" }, g).textContent = b.title;
    if (b.part) svgEl("text", { x: b.x + 10, y: b.y + 44, class: "band-part" }, g).textContent = `〔${b.part}〕`;
  }
  for (const hd of data.heads) {
    hd.text.forEach((line, i) => {
      svgEl("text", { x: hd.x, y: hd.y + i * 15, class: "head" }, root).textContent = line;
    });
  }
  const edgeLayer = svgEl("g", { id: "edges" }, root);
  const edgeEls = data.edges.map(([s, t, label]) => {
    const a = nodes[s], b = nodes[t];
    let d;
    if (a.x === b.x) {
      const k = Math.min(140, 18 + Math.abs(b.y - a.y) * 0.3);
      d = `M${a.x},${a.y} C${a.x - k},${a.y} ${b.x - k},${b.y} ${b.x},${b.y}`;
    } else {
      const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2 - Math.abs(b.x - a.x) * 0.12;
      d = `M${a.x},${a.y} Q${mx},${my} ${b.x},${b.y}`;
    }
    const p = svgEl("path", { d, class: "edge", "marker-end": "url(#arrow)" }, edgeLayer);
    svgEl("title", {}, p).textContent = `${a.label} —${label}→ ${b.label}`;
    return p;
  });
  const nodeLayer = svgEl("g", { id: "nodes" }, root);
  const nodeEls = nodes.map((n, i) => {
    const g = svgEl("g", { class: "node", transform: `translate(${n.x},${n.y})`,
      "data-id": n.id, "data-index": i, tabindex: "0" }, nodeLayer);
    svgEl("circle", { r: 6.5, fill: colour(n.family) }, g);
    svgEl("text", { x: 11, y: 0 }, g).textContent = n.short;
    svgEl("title", {}, g).textContent = `${n.label}（${familyName(n.family)}）`;
    g.addEventListener("click", (ev) => { ev.stopPropagation(); select(i, false); });
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") select(i, false); });
    return g;
  });

  // --- view: pan and zoom on the viewBox ----------------------------------------------------
  // The page opens on one band (a top-level section) at a scale where labels stay legible;
  // "fit" shows the whole graph, the section menu moves to a section.
  const LEGIBLE = 0.9, LARGEST = 1.3, MARGIN = 12;
  function setView(v) {
    state.view = v;
    svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
  }
  function canvasBox() {
    const box = canvas.getBoundingClientRect();
    return box.width > 0 && box.height > 0 ? box : { width: 1200, height: 750 };
  }
  function fit() {
    const box = canvasBox();
    const [w, h0] = data.size;
    const aspect = box.width / box.height;
    const vw = Math.max(w, h0 * aspect);
    setView({ x: 0, y: 0, w: vw, h: vw / aspect });
  }
  function focusBand(key) {
    const b = data.bands.find((band) => band.key === key);
    if (!b) { fit(); return; }
    const box = canvasBox();
    const want = Math.min(box.width / (b.w + 2 * MARGIN), box.height / (b.h + 2 * MARGIN));
    const scale = Math.max(LEGIBLE, Math.min(LARGEST, want));
    const w = box.width / scale, hh = box.height / scale;
    const x = b.w + 2 * MARGIN < w ? b.x + b.w / 2 - w / 2 : b.x - MARGIN;
    setView({ x, y: b.y - MARGIN, w, h: hh });
  }
  function centreOn(n) {
    const v = state.view;
    const w = Math.min(v.w, 1600), hh = w * (v.h / v.w);
    setView({ x: Math.max(-20, n.x - w / 2 + 120), y: Math.max(-20, n.y - hh / 2), w, h: hh });
  }
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const box = canvas.getBoundingClientRect(), v = state.view;
    const px = v.x + ((ev.clientX - box.left) / box.width) * v.w;
    const py = v.y + ((ev.clientY - box.top) / box.height) * v.h;
    const f = Math.exp(Math.max(-0.5, Math.min(0.5, ev.deltaY * 0.0015)));
    const w = Math.max(200, Math.min(v.w * f, data.size[0] * 4));
    const k = w / v.w;
    setView({ x: px - (px - v.x) * k, y: py - (py - v.y) * k, w, h: v.h * k });
  }, { passive: false });
  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    if (ev.target.closest && ev.target.closest(".node")) return;
    drag = { x: ev.clientX, y: ev.clientY, view: state.view, moved: false };
    canvas.classList.add("dragging");
  });
  window.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const box = canvas.getBoundingClientRect(), v = drag.view;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    setView({ x: v.x - (dx * v.w) / box.width, y: v.y - (dy * v.h) / box.height, w: v.w, h: v.h });
  });
  window.addEventListener("pointerup", () => {
    if (drag && !drag.moved) clearSelection();
    drag = null;
    canvas.classList.remove("dragging");
  });
  window.addEventListener("resize", () => focusBand(state.section || data.focus));
  document.getElementById("fit").addEventListener("click", fit);

  // --- filters -----------------------------------------------------------------------------
  const familyNav = document.getElementById("families");
  const familyBoxes = new Map();
  for (const f of data.families) {
    const box = h("input", { type: "checkbox", checked: true, value: f.name });
    box.addEventListener("change", () => {
      if (box.checked) state.hidden.delete(f.name); else state.hidden.add(f.name);
      applyFilters();
    });
    familyBoxes.set(f.name, box);
    familyNav.append(h("label", { title: f.name }, box, swatch(f.name), `${f.zh} ${f.en} (${f.n})`));
  }
  for (const s of data.sections) {
    const prefix = data.reports.length > 1 ? `${s.report}: ` : "";
    sectionSelect.append(h("option", { value: s.key, textContent: prefix + s.label }));
  }
  sectionSelect.addEventListener("change", () => {
    state.section = sectionSelect.value;
    applyFilters();
    if (state.section) focusBand(state.section); else fit();
  });
  function visible(i) {
    const n = nodes[i];
    return !state.hidden.has(n.family) && (!state.section || n.band === state.section);
  }
  function applyFilters() {
    nodes.forEach((n, i) => nodeEls[i].classList.toggle("hidden", !visible(i)));
    data.edges.forEach(([s, t], i) => edgeEls[i].classList.toggle("hidden", !(visible(s) && visible(t))));
    for (const b of root.querySelectorAll(".band")) {
      b.classList.toggle("dim", Boolean(state.section) && b.dataset.band !== state.section);
    }
  }

  // --- search ------------------------------------------------------------------------------
  let active = -1;
  function matches(q) {
    const query = q.toLowerCase();
    const found = [];
    nodes.forEach((n, i) => {
      const label = n.label.toLowerCase();
      const at = label.indexOf(query);
      if (at >= 0 || n.short.toLowerCase().includes(query)) found.push([at < 0 ? 9999 : at, label.length, i]);
    });
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    return found.slice(0, 60).map((f) => f[2]);
  }
  function showResults() {
    const q = search.value.trim();
    results.replaceChildren();
    active = -1;
    if (!q) { results.hidden = true; return; }
    const found = matches(q);
    if (!found.length) {
      results.append(h("li", { className: "none", textContent: `没有找到“${q}” no entity found` }));
    }
    for (const i of found) {
      const n = nodes[i];
      const li = h("li", { role: "option" }, swatch(n.family), h("span", { textContent: n.label }),
        h("span", { className: "fam", textContent: familyName(n.family) }));
      li.dataset.index = i;
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(i); });
      results.append(li);
    }
    results.hidden = false;
  }
  function choose(i) {
    results.hidden = true;
    search.blur();
    select(i, true);
  }
  search.addEventListener("input", showResults);
  search.addEventListener("focus", showResults);
  search.addEventListener("blur", () => { results.hidden = true; });
  search.addEventListener("keydown", (ev) => {
    const items = [...results.querySelectorAll("li[data-index]")];
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!items.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach((li, k) => li.classList.toggle("active", k === active));
    } else if (ev.key === "Enter" && items.length) {
      choose(Number(items[Math.max(active, 0)].dataset.index));
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });

  // --- selection and the panel -------------------------------------------------------------
  function clearSelection() {
    state.selected = -1;
    for (const e of nodeLayer.querySelectorAll(".selected, .near")) e.classList.remove("selected", "near");
    for (const e of edgeLayer.querySelectorAll(".on")) e.classList.remove("on");
  }
  function select(i, centre) {
    if (!visible(i)) {  // a search may find what a filter hides: show it again
      state.hidden.delete(nodes[i].family);
      familyBoxes.get(nodes[i].family).checked = true;
      if (state.section && nodes[i].band !== state.section) { state.section = ""; sectionSelect.value = ""; }
      applyFilters();
    }
    clearSelection();
    state.selected = i;
    nodeEls[i].classList.add("selected");
    for (const l of links[i]) {
      nodeEls[l.other].classList.add("near");
      edgeEls[l.edge].classList.add("on");
    }
    if (centre) centreOn(nodes[i]);
    renderPanel(i);
  }
  function renderPanel(i) {
    const n = nodes[i];
    const out = [h("h2", { textContent: n.label })];
    const badge = h("span", { className: "badge", textContent: familyName(n.family) });
    badge.style.borderColor = colour(n.family);
    badge.style.background = colour(n.family) + "33";
    out.push(badge);
    out.push(h("h3", { textContent: "原文出处 Source in the report" }));
    if (n.quote) {  // the whole sentence, the words the fact was read from marked
      out.push(h("blockquote", { className: "quote" }, n.prefix || "",
        h("mark", { textContent: n.quote }), n.suffix || ""));
    }
    else out.push(h("p", { className: "place", textContent: "没有原文引文（报告级实体） no quote: a report-level entity" }));
    const report = reports.get(n.report) || { id: n.report, title: n.report, length: 0 };
    const place = h("div", { className: "place" });
    place.append(h("div", { textContent: `报告 report：${report.title}（${report.id}）` }));
    if (n.chain.length) place.append(h("div", { className: "chain", textContent: `章节 section：${n.chain.join(" › ")}` }));
    if (n.start !== null && n.start !== undefined) {
      place.append(h("div", { className: "offsets",
        textContent: `位置 offsets：第 ${n.start}–${n.end} 字 (characters ${n.start}–${n.end} of ${report.length})` }));
      if (report.length) {
        const bar = h("div", { className: "bar", title: "在报告全文中的位置 place in the whole text" });
        const mark = h("span");
        mark.style.left = `${(100 * n.start) / report.length}%`;
        mark.style.width = `${(100 * (n.end - n.start)) / report.length}%`;
        bar.append(mark);
        place.append(bar);
      }
    }
    out.push(place);
    if (n.facts.length) {
      out.push(h("h3", { textContent: "事实 Facts" }));
      const table = h("table", { className: "facts" });
      for (const [k, v] of n.facts) table.append(h("tr", {}, h("td", { textContent: k }), h("td", { textContent: v })));
      out.push(table);
    }
    out.push(h("h3", { textContent: `相邻实体 Neighbours (${links[i].length})` }));
    const list = h("ul", { className: "neighbours" });
    const sorted = [...links[i]].sort((a, b) => a.label.localeCompare(b.label, "zh") || a.other - b.other);
    for (const l of sorted) {
      const other = nodes[l.other];
      const a = h("a", { href: "#", textContent: other.label });
      a.addEventListener("click", (ev) => { ev.preventDefault(); select(l.other, true); });
      const rel = l.out ? `${l.label} →` : `← ${l.label}`;
      list.append(h("li", {}, h("span", { className: "rel", textContent: rel + " " }), swatch(other.family), " ", a));
    }
    if (!links[i].length) list.append(h("li", { className: "rel", textContent: "无 none" }));
    out.push(list);
    out.push(h("h3", { textContent: "IRI" }), h("code", { className: "iri", textContent: n.id }));
    panel.replaceChildren(...out);
    panel.scrollTop = 0;
  }
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && document.activeElement !== search) clearSelection();
  });

  focusBand(data.focus);
  applyFilters();
})();
