// The model page: GET /api/v1/models → per model its scores, per-class table, confusion matrix and calibration.
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

function confusion(matrix, classes) {
  // Rows: true class; shaded by the share of that row, so recall reads along the diagonal.
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return [classes[i]].concat(row.map(n => ({ text: String(n), background: `rgba(11, 87, 208, ${(n / total * 0.8).toFixed(3)})` })));
  });
  return cellTable(["true ↓ / predicted →"].concat(classes), rows);
}

function calibrationChart(calibration) {
  // Expected calibration error of the top probability, before and after temperature scaling.
  const W = 320, H = 96, left = 130, right = 56, rowH = 30;
  const max = Math.max(calibration.ece_before, calibration.ece_after, 0.01);
  const svg = svgElement("svg", { viewBox: `0 0 ${W} ${H}`, width: W, role: "img",
    "aria-label": `Expected calibration error ${pct(calibration.ece_before)} before and ${pct(calibration.ece_after)} after temperature scaling` });
  [["before scaling", calibration.ece_before, "#9aa0a6"], ["after scaling", calibration.ece_after, "#0b57d0"]].forEach(([label, v, colour], i) => {
    const y = 12 + i * rowH;
    svg.appendChild(svgElement("text", { x: left - 8, y: y + 14, "text-anchor": "end", "font-size": 12 }, label));
    svg.appendChild(svgElement("rect", { x: left, y, height: 18, width: Math.max(1, (W - left - right) * v / max), fill: colour }));
    svg.appendChild(svgElement("text", { x: left + (W - left - right) * v / max + 6, y: y + 14, "font-size": 12 }, pct(v)));
  });
  svg.appendChild(svgElement("text", { x: left, y: H - 4, "font-size": 11, fill: "#555" }, "expected calibration error (lower is better)"));
  return svg;
}

function section(model) {
  const card = document.createElement("section");
  card.className = "card";
  const h = document.createElement("h2");
  h.textContent = model.name + (model.default ? " (default)" : "");
  card.appendChild(h);
  const p = document.createElement("p");
  p.textContent = model.description + (model.version ? ` · written by Emocl ${model.version}` : "") +
    (model.trained_at ? ` · trained ${model.trained_at.slice(0, 10)}` : "");
  card.appendChild(p);
  const m = model.metrics;
  if (!m) {
    card.appendChild(document.createTextNode("No evaluation in this model's card."));
    return card;
  }
  const summary = document.createElement("p");
  const cal = model.calibration;
  summary.textContent = `On ${m.samples} validation images: accuracy ${pct(m.accuracy)}, macro F1 ${pct(m.macro_f1)}` +
    (cal ? `; temperature ${cal.temperature.toFixed(2)}, expected calibration error ${pct(cal.ece_after)}` : "") + "." +
    (model.precision === "int8" ? " This server runs the network in 8 bits (AVX-512 VNNI): the accuracy, F1, per-class table and confusion matrix are that form's; the calibration was measured on the float network." : "");
  card.appendChild(summary);
  const h3 = t => { const e = document.createElement("h3"); e.textContent = t; return e; };
  card.appendChild(h3("Per class"));
  card.appendChild(cellTable(["emotion", "precision", "recall", "F1", "images"],
    m.per_class.map(c => [c.emotion, pct(c.precision), pct(c.recall), pct(c.f1), String(c.support)])));
  card.appendChild(h3("Confusion matrix"));
  card.appendChild(confusion(m.confusion, model.classes));
  if (cal) {
    card.appendChild(h3("Calibration"));
    card.appendChild(calibrationChart(cal));
  }
  if (model.intended_use) {
    const use = document.createElement("details");
    const sum = document.createElement("summary");
    sum.textContent = "Intended use and limitations";
    use.appendChild(sum);
    use.appendChild(document.createTextNode(model.intended_use));
    card.appendChild(use);
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
