// The model page: GET /api/v1/models → per model its scores, per-class table, confusion matrix and reliability diagram.
"use strict";
const $ = id => document.getElementById(id);
setupKeyField($("key"));

function pct(v) { return (v * 100).toFixed(1) + "%"; }

function cellTable(headers, rows) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const h of headers) { const th = document.createElement("th"); th.scope = "col"; th.textContent = h; head.appendChild(th); }
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((c, i) => {
      const cell = i === 0 ? document.createElement("th") : document.createElement("td");
      if (i === 0) cell.scope = "row";
      if (typeof c === "object" && c !== null) { cell.textContent = c.text; if (c.background) cell.style.background = c.background; }
      else cell.textContent = c;
      tr.appendChild(cell);
    });
  }
  const wrap = document.createElement("div");
  wrap.className = "scroll";
  wrap.appendChild(t);
  return wrap;
}

function confusion(matrix) {
  // Rows: true class; shaded by the share of that row, so recall reads along the diagonal.
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return [EMOTIONS[i]].concat(row.map(n => ({ text: String(n), background: `rgba(11, 87, 208, ${(n / total * 0.8).toFixed(3)})` })));
  });
  return cellTable(["true ↓ / predicted →"].concat(EMOTIONS), rows);
}

function reliability(calibration) {
  const W = 320, H = 320, pad = 36;
  const s = v => pad + v * (W - 2 * pad);
  const svg = svgElement("svg", { viewBox: `0 0 ${W} ${H}`, width: W, role: "img",
    "aria-label": `Reliability diagram, expected calibration error ${pct(calibration.ece)}` });
  svg.appendChild(svgElement("rect", { x: pad, y: pad, width: W - 2 * pad, height: H - 2 * pad, fill: "none", stroke: "#ccc" }));
  svg.appendChild(svgElement("line", { x1: s(0), y1: H - s(0), x2: s(1), y2: H - s(1), stroke: "#999", "stroke-dasharray": "4 3" }));
  for (const b of calibration.bins) {
    if (!b.count) continue;
    const bar = svgElement("rect", { x: s(b.lower) + 1, width: Math.max(1, s(b.upper) - s(b.lower) - 2),
      y: H - s(b.accuracy), height: s(b.accuracy) - pad, fill: "#0b57d0", opacity: 0.75 });
    bar.appendChild(svgElement("title", {}, `${pct(b.lower)}–${pct(b.upper)}: accuracy ${pct(b.accuracy)}, confidence ${pct(b.confidence)}, ${b.count} images`));
    svg.appendChild(bar);
  }
  svg.appendChild(svgElement("text", { x: W / 2, y: H - 8, "text-anchor": "middle", "font-size": 12 }, "confidence"));
  svg.appendChild(svgElement("text", { x: 12, y: H / 2, "font-size": 12, transform: `rotate(-90 12 ${H / 2})`, "text-anchor": "middle" }, "accuracy"));
  return svg;
}

function section(model) {
  const card = document.createElement("section");
  card.className = "card";
  const h = document.createElement("h2");
  h.textContent = model.name + (model.default ? " (default)" : "");
  card.appendChild(h);
  const p = document.createElement("p");
  p.textContent = model.description + (model.version ? " · " + model.version : "");
  card.appendChild(p);
  const m = model.metrics;
  if (!m) {
    card.appendChild(document.createTextNode("No evaluation in this model's card."));
    return card;
  }
  const summary = document.createElement("p");
  summary.textContent = `On ${m.dataset}: accuracy ${pct(m.accuracy)}, macro F1 ${pct(m.macro_f1)}` +
    (m.calibration ? `, expected calibration error ${pct(m.calibration.ece)}` : "") + ".";
  card.appendChild(summary);
  const h3 = t => { const e = document.createElement("h3"); e.textContent = t; return e; };
  card.appendChild(h3("Per class"));
  card.appendChild(cellTable(["emotion", "precision", "recall", "F1", "images"],
    m.per_class.map(c => [c.emotion, pct(c.precision), pct(c.recall), pct(c.f1), String(c.support)])));
  card.appendChild(h3("Confusion matrix"));
  card.appendChild(confusion(m.confusion));
  if (m.calibration) {
    card.appendChild(h3("Calibration"));
    card.appendChild(reliability(m.calibration));
  }
  return card;
}

async function load() {
  try {
    const { models } = await (await api("/api/v1/models")).json();
    const box = $("models");
    box.innerHTML = "";
    models.forEach(m => box.appendChild(section(m)));
    setStatus($("status"), models.length ? "" : "No models are loaded on this server.", !models.length);
  } catch (error) {
    setStatus($("status"), error.message, true);
  }
}
$("key").addEventListener("change", load);
load();
