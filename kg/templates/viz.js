(function () {
  "use strict";
  // Milliseconds since navigation, for the browser test and the benchmark.
  var timings = {scriptStart: performance.now()};
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var details = DATA.details;

  // Every piece of article text reaches the page through textContent only.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function pair(parent, zh, en) {
    var line = el("div");
    line.appendChild(document.createTextNode(zh + " "));
    if (en) { line.appendChild(el("span", "en", en)); }
    parent.appendChild(line);
    return line;
  }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" || (value.length === 0)) { return; }
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, Array.isArray(value) ? value.join("、") : value));
  }
  function articleLine(a) {
    var parts = [];
    if (a.title) { parts.push(a.title); }
    if (a.date) { parts.push(a.date); }
    if (a.path) { parts.push(a.path); }
    if (!parts.length) { parts.push(a.iri); }
    return el("div", "src", "— " + parts.join(" · "));
  }
  function evidenceList(parent, items) {
    items.forEach(function (ev) {
      var q = el("blockquote", null, (ev.role ? "[" + ev.role + "] " : "") + ev.text);
      parent.appendChild(q);
      if (ev.article) { parent.appendChild(articleLine(ev.article)); }
    });
  }

  function tooltip(id) {
    var d = details[id], box = el("div", "tip");
    if (d.k === "e") {
      box.appendChild(el("strong", null, d.zh));
      if (d.en) { box.appendChild(document.createTextNode(" ")); box.appendChild(el("span", "en", d.en)); }
      pair(box, d.typeZh, d.typeEn);
      if (d.aliases.length) { box.appendChild(el("div", null, "别名 aliases: " + d.aliases.join("、"))); }
    } else if (d.k === "r") {
      box.appendChild(el("div", null, d.from + " → " + d.to));
      pair(box, d.relZh, d.relEn + (d.roles.length ? ": " + d.roles.join(", ") : ""));
      if (d.evidence.length) { box.appendChild(el("div", "en", d.evidence[0].text)); }
    } else {
      box.appendChild(el("strong", null, d.indicator));
      box.appendChild(el("div", null, d.area + " · " + d.value + (d.period ? " (" + d.period + ")" : "")));
      if (d.statusZh) { pair(box, d.statusZh, d.statusEn); }
      if (d.evidence.length) { box.appendChild(el("div", "en", d.evidence[0].text)); }
    }
    return box;
  }

  function showDetails(id) {
    var panel = document.getElementById("details"), d = details[id];
    panel.textContent = "";
    if (!d) { return; }
    var dl = el("dl");
    if (d.k === "e") {
      panel.appendChild(el("h2", null, d.zh));
      pair(panel, d.typeZh, d.typeEn);
      field(dl, "英文名 English", d.en);
      field(dl, "别名 Aliases", d.aliases);
      field(dl, "日期 Date", d.date);
      field(dl, "职务 Titles", d.titles);
      panel.appendChild(dl);
      if (d.articles.length) {
        panel.appendChild(el("h3", null, "来源文章 Source articles"));
        d.articles.forEach(function (a) { panel.appendChild(articleLine(a)); });
      }
    } else if (d.k === "r") {
      panel.appendChild(el("h2", null, d.from + " → " + d.to));
      pair(panel, d.relZh, d.relEn);
      field(dl, "职务 Roles", d.roles);
      panel.appendChild(dl);
      if (d.evidence.length) {
        panel.appendChild(el("h3", null, "证据 Evidence"));
        evidenceList(panel, d.evidence);
      }
      if (d.sources.length) {
        panel.appendChild(el("h3", null, "来源文章 Source articles"));
        d.sources.forEach(function (a) { panel.appendChild(articleLine(a)); });
      }
    } else {
      panel.appendChild(el("h2", null, d.indicator));
      pair(panel, "指标数据", "Observation");
      field(dl, "地区/主体 Area", d.area);
      field(dl, "数值 Value", d.value);
      field(dl, "原值 Raw value", d.raw + " " + d.unit);
      field(dl, "限定 Qualifier", d.qualifierZh ? d.qualifierZh + " · " + d.qualifierEn : "");
      field(dl, "性质 Status", d.statusZh ? d.statusZh + " · " + d.statusEn : "");
      field(dl, "时间 Period", d.period);
      panel.appendChild(dl);
      if (d.evidence.length) {
        panel.appendChild(el("h3", null, "证据 Evidence"));
        evidenceList(panel, d.evidence);
      }
    }
    if (d.iri) { panel.appendChild(el("code", null, d.iri)); }
  }

  DATA.nodes.forEach(function (n) { n.title = tooltip(n.id); });
  DATA.edges.forEach(function (e) { if (details[e.id]) { e.title = tooltip(e.id); } });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var network = new vis.Network(document.getElementById("network"), {nodes: nodes, edges: edges}, DATA.options);
  var status = document.getElementById("status");
  timings.networkBuilt = performance.now();
  network.once("afterDrawing", function () { timings.firstDraw = performance.now(); });
  network.once("stabilized", function () { timings.stabilized = performance.now(); });
  window.kg = {network: network, nodes: nodes, edges: edges, timings: timings};

  status.textContent = "布局中… laying out";
  network.on("stabilizationProgress", function (p) {
    status.textContent = "布局中… laying out " + Math.round(100 * p.iterations / p.total) + "%";
  });
  // Settle once, then freeze: a moving graph cannot be read.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    status.textContent = "";
  });

  network.on("click", function (p) {
    if (p.nodes.length) { showDetails(p.nodes[0]); }
    else if (p.edges.length) { showDetails(p.edges[0]); }
  });

  // -- filters -----------------------------------------------------------
  var hiddenTypes = {};
  var showObs = DATA.showObservations;
  function applyFilters() {
    var hidden = {}, nodeUpdates = [], edgeUpdates = [];
    nodes.forEach(function (n) { if (n.kind === "e") { hidden[n.id] = !!hiddenTypes[n.type]; } });
    nodes.forEach(function (n) { if (n.kind === "o") { hidden[n.id] = !showObs || hidden[n.area]; } });
    nodes.forEach(function (n) {
      if (!!n.hidden !== hidden[n.id]) { nodeUpdates.push({id: n.id, hidden: hidden[n.id]}); }
    });
    edges.forEach(function (e) {
      var h = hidden[e.from] || hidden[e.to];
      if (!!e.hidden !== h) { edgeUpdates.push({id: e.id, hidden: h}); }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
  }
  Array.prototype.forEach.call(document.querySelectorAll("input.type-filter"), function (box) {
    box.addEventListener("change", function () {
      hiddenTypes[box.value] = !box.checked;
      applyFilters();
    });
  });
  var obsSwitch = document.getElementById("show-obs");
  if (obsSwitch) {
    obsSwitch.addEventListener("change", function () { showObs = obsSwitch.checked; applyFilters(); });
  }

  // -- search --------------------------------------------------------------
  var names = [], seen = {}, list = document.getElementById("search-names");
  DATA.nodes.forEach(function (n) {
    var d = details[n.id];
    if (d.k !== "e") { return; }
    [d.zh, d.en].concat(d.aliases).forEach(function (name) {
      if (!name) { return; }
      names.push({id: n.id, name: name, key: name.toLowerCase()});
      if (!seen[name]) { seen[name] = true; var o = document.createElement("option"); o.value = name; list.appendChild(o); }
    });
  });
  function find(query) {
    var q = query.trim().toLowerCase(), best = null, bestRank = 9;
    if (!q) { return null; }
    names.forEach(function (x) {
      var r = x.key === q ? 0 : (x.key.indexOf(q) === 0 ? 1 : (x.key.indexOf(q) >= 0 ? 2 : 9));
      if (r < bestRank) { best = x; bestRank = r; }
    });
    return best;
  }
  function go() {
    var input = document.getElementById("search"), out = document.getElementById("search-status");
    var hit = find(input.value);
    out.textContent = "";
    if (!hit) { if (input.value.trim()) { out.textContent = "未找到 · not found"; } return; }
    var n = nodes.get(hit.id);
    if (hiddenTypes[n.type]) {
      hiddenTypes[n.type] = false;
      Array.prototype.forEach.call(document.querySelectorAll("input.type-filter"), function (box) {
        if (box.value === n.type) { box.checked = true; }
      });
      applyFilters();
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.4, animation: {duration: 500, easingFunction: "easeInOutQuad"}});
    showDetails(hit.id);
  }
  var search = document.getElementById("search");
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { go(); } });

  // -- chart: one indicator by area over time ---------------------------------
  var CHART = DATA.chart, SVG = "http://www.w3.org/2000/svg";
  var PALETTE = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#79706e"];
  var chartSelect = document.getElementById("indicator"), chartAreas = document.getElementById("chart-areas");
  var chartSvg = document.getElementById("chart-svg"), current = null;

  // Attributes here are numbers and our own colours; article text goes in as textContent only.
  function svgEl(tag, attrs, parent, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = String(text); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function planned(p) { return CHART.planned.indexOf(p.status) >= 0; }
  function colour(i) { return PALETTE[i % PALETTE.length]; }

  CHART.series.forEach(function (s, i) {
    var o = document.createElement("option");
    o.value = String(i);
    o.textContent = s.indicator + "（" + s.unitZh + "）· " + s.areas.length + " 个地区 areas";
    chartSelect.appendChild(o);
  });
  if (CHART.leftOff) {
    document.getElementById("chart-left-off").textContent =
      CHART.leftOff + " 条数据无时间可依，未画出 · figures with no date left off";
  }

  function selectSeries(i) {
    current = CHART.series[i];
    chartSelect.value = String(i);
    chartAreas.textContent = "";
    current.areas.forEach(function (a, j) {
      var label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = a.on; box.value = String(j);
      box.addEventListener("change", function () { a.on = box.checked; drawChart(); });
      var sw = el("span", "swatch"); sw.style.background = colour(j);
      label.appendChild(box); label.appendChild(sw);
      label.appendChild(document.createTextNode(a.zh + " "));
      if (a.en) { label.appendChild(el("span", "en", a.en)); }
      label.appendChild(el("span", "count", " " + current.points.filter(function (p) { return p.area === j; }).length));
      chartAreas.appendChild(label);
    });
    drawChart();
  }
  chartSelect.addEventListener("change", function () { selectSeries(Number(chartSelect.value)); });

  function pointText(s, p) {
    var a = s.areas[p.area];
    return a.zh + " · " + p.when + (p.dated ? "" : "*") + " · " + p.value + " · " + p.statusZh + " " + p.statusEn +
      (p.evidence ? "\n" + p.evidence : "");
  }

  function drawChart() {
    var s = current;
    if (!s) { return; }
    document.getElementById("chart-title").textContent = s.indicator + "（" + s.unitZh + "）";
    while (chartSvg.firstChild) { chartSvg.removeChild(chartSvg.firstChild); }
    var W = Math.max(480, chartSvg.clientWidth || 800), H = 420, L = 96, R = 56, T = 24, B = 36;
    chartSvg.setAttribute("viewBox", "0 0 " + W + " " + H);
    chartSvg.setAttribute("height", H);
    var xs = s.points.map(function (p) { return p.x; });
    var x0 = Math.floor(Math.min.apply(null, xs)), x1 = Math.ceil(Math.max.apply(null, xs));
    if (x1 - x0 < 2) { x0 -= 1; x1 += 1; }
    var y0 = s.yTicks[0].y, y1 = s.yTicks[s.yTicks.length - 1].y;
    function X(x) { return L + (x - x0) / (x1 - x0) * (W - L - R); }
    function Y(y) { return H - B - (y - y0) / (y1 - y0) * (H - T - B); }
    var axis = svgEl("g", {"font-size": 11, fill: "#555"}, chartSvg);
    s.yTicks.forEach(function (t) {
      svgEl("line", {x1: L, x2: W - R, y1: Y(t.y), y2: Y(t.y), stroke: t.y === 0 ? "#999" : "#e6e6e6"}, axis);
      svgEl("text", {x: L - 6, y: Y(t.y) + 4, "text-anchor": "end"}, axis, t.label);
    });
    // Years are spans: boundaries get a tick, the year's name sits between them,
    // so a figure for 2024 is drawn above the label 2024.
    var step = Math.max(1, Math.ceil((x1 - x0) / 12));
    for (var yr = x0; yr <= x1; yr += 1) {
      svgEl("line", {x1: X(yr), x2: X(yr), y1: T, y2: H - B + 5, stroke: "#f0f0f0"}, axis);
      if (yr < x1 && (yr - x0) % step === 0) {
        svgEl("text", {x: X(yr + 0.5), y: H - B + 18, "text-anchor": "middle"}, axis, yr);
      }
    }
    svgEl("line", {x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#999"}, axis);

    // Values that would print over one another move up or down to the first free line.
    var boxes = [];
    function placeLabel(label, cy) {
      var b = label.getBBox ? label.getBBox() : null;
      if (!b || !b.width) { return; }
      var shifts = [0, 24, -13, 37, -26, 50, -39];
      for (var k = 0; k < shifts.length; k++) {
        var top = b.y + shifts[k], clash = boxes.some(function (o) {
          return b.x < o.x + o.w && o.x < b.x + b.width && top < o.y + o.h && o.y < top + b.height;
        });
        if (!clash && top > 0 && top + b.height < H - B) {
          label.setAttribute("y", cy - 9 + shifts[k]);
          boxes.push({x: b.x, y: top, w: b.width, h: b.height});
          return;
        }
      }
      boxes.push({x: b.x, y: b.y, w: b.width, h: b.height});
    }

    var rows = [];
    s.areas.forEach(function (a, j) {
      if (!a.on) { return; }
      var c = colour(j), pts = s.points.filter(function (p) { return p.area === j; });
      pts.sort(function (p, q) { return p.x - q.x; });
      var g = svgEl("g", {"class": "area-line", "data-area": j}, chartSvg);
      var done = pts.filter(function (p) { return !planned(p); });
      if (done.length > 1) {
        svgEl("polyline", {points: done.map(function (p) { return X(p.x) + "," + Y(p.y); }).join(" "),
                           fill: "none", stroke: c, "stroke-width": 2}, g);
      }
      // A target or forecast hangs off the last figure reported before it, dashed.
      pts.filter(planned).forEach(function (p) {
        var base = done.filter(function (q) { return q.x <= p.x; }).pop();
        if (base) {
          svgEl("line", {x1: X(base.x), y1: Y(base.y), x2: X(p.x), y2: Y(p.y), stroke: c, "stroke-width": 2,
                         "stroke-dasharray": p.status === "target" ? "6 4" : "1 4"}, g);
        }
      });
      pts.forEach(function (p) {
        var m = svgEl("g", {"class": "point " + p.status}, g), cx = X(p.x), cy = Y(p.y);
        if (p.status === "reported" || !planned(p)) {
          svgEl("circle", {cx: cx, cy: cy, r: 5, fill: c, stroke: p.dated ? c : "#fff", "stroke-width": 1.5}, m);
        } else if (p.status === "target") {
          svgEl("circle", {cx: cx, cy: cy, r: 5, fill: "#fff", stroke: c, "stroke-width": 2}, m);
        } else {
          svgEl("rect", {x: cx - 4, y: cy - 4, width: 8, height: 8, fill: "#fff", stroke: c, "stroke-width": 2,
                         transform: "rotate(45 " + cx + " " + cy + ")"}, m);
        }
        var label = svgEl("text", {x: cx, y: cy - 9, "text-anchor": "middle", "font-size": 11, fill: c},
                          m, p.value + (p.dated ? "" : "*") + (planned(p) ? " " + p.statusZh : ""));
        placeLabel(label, cy);
        svgEl("title", {}, m, pointText(s, p));
        rows.push([a.zh, p.when + (p.dated ? "" : "*"), p.value, p.statusZh + " " + p.statusEn, p]);
      });
    });

    var body = document.querySelector("#chart-table tbody");
    body.textContent = "";
    rows.forEach(function (r) {
      var tr = el("tr"), p = r[4];
      tr.appendChild(el("td", null, r[0]));
      tr.appendChild(el("td", "num", r[1]));
      tr.appendChild(el("td", "num", r[2]));
      tr.appendChild(el("td", null, r[3]));
      var ev = el("td", null, p.evidence);
      if (p.article) { ev.appendChild(articleLine(p.article)); }
      tr.appendChild(ev);
      body.appendChild(tr);
    });
  }

  // -- tabs -------------------------------------------------------------------
  var tabNet = document.getElementById("tab-network"), tabChart = document.getElementById("tab-chart");
  function showView(which) {
    var chart = which === "chart" && CHART.series.length > 0;
    document.getElementById("network-view").hidden = chart;
    document.getElementById("chart-view").hidden = !chart;
    tabNet.setAttribute("aria-selected", String(!chart));
    tabChart.setAttribute("aria-selected", String(chart));
    if (chart) {
      if (!current) { selectSeries(0); } else { drawChart(); }
    } else {
      network.redraw();
    }
  }
  tabNet.addEventListener("click", function () { showView("network"); });
  tabChart.addEventListener("click", function () { showView("chart"); });
  window.addEventListener("resize", function () { if (!document.getElementById("chart-view").hidden) { drawChart(); } });
  window.kg.showView = showView;
  window.kg.selectSeries = selectSeries;
  window.kg.showDetails = showDetails;
  if (location.hash === "#chart") { showView("chart"); }
}());
