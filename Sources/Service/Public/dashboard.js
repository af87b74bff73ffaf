// The dashboard: GET /api/v1/stats → a stacked-area SVG chart of the emotion mix per bucket, and a table.
"use strict";
const $ = id => document.getElementById(id);
setupKeyField($("key"));
legend($("legend"));

function params() {
  const p = new URLSearchParams();
  if ($("tag").value.trim()) p.set("tag", $("tag").value.trim());
  // datetime-local has no zone: the page treats it as UTC.
  if ($("from").value) p.set("from", $("from").value + ":00Z");
  if ($("to").value) p.set("to", $("to").value + ":00Z");
  return p;
}

// CSV links carry the key only via the header, so download through fetch.
async function download(path, name) {
  try {
    const blob = await (await api(path)).blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    URL.revokeObjectURL(a.href);
  } catch (error) {
    setStatus($("status"), error.message, true);
  }
}

// The statistics' quality parameters: reliable faces only, and the limits a reliable face passes.
function qualityParams(p) {
  if ($("reliable-only").checked) p.set("reliable_only", "true");
  for (const [id, name] of [["min-face", "min_face"], ["min-sharpness", "min_sharpness"],
                            ["max-yaw", "max_yaw"], ["max-pitch", "max_pitch"]]) {
    const v = $(id).value.trim();
    if (v !== "" && v !== $(id).defaultValue) p.set(name, v);
  }
  return p;
}

function updateLinks() {
  const s = qualityParams(params()); s.set("bucket", $("bucket").value); s.set("format", "csv");
  const a = params(); a.set("format", "csv"); a.set("limit", "1000");
  $("stats-csv").href = "/api/v1/stats?" + s;
  $("analyses-csv").href = "/api/v1/analyses?" + a;
}
$("stats-csv").addEventListener("click", e => { e.preventDefault(); download(e.currentTarget.href, "stats.csv"); });
$("analyses-csv").addEventListener("click", e => { e.preventDefault(); download(e.currentTarget.href, "analyses.csv"); });

function shares(bucket, measure) {
  if (measure === "mean") return EMOTIONS.map(e => bucket.mean[e]);
  return EMOTIONS.map(e => bucket.faces ? bucket.dominant[e] / bucket.faces : 0);
}

function chart(buckets, measure) {
  const box = $("chart");
  box.innerHTML = "";
  if (!buckets.length) { box.textContent = "No faces recorded for this selection."; return; }
  const W = 900, H = 360, left = 48, right = 12, top = 12, bottom = 56;
  const svg = svgElement("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Stacked chart of ${measure === "mean" ? "mean probabilities" : "dominant emotions"} over ${buckets.length} buckets` });
  const n = buckets.length;
  const xs = i => left + (n === 1 ? (W - left - right) / 2 : i * (W - left - right) / (n - 1));
  const ys = v => top + (1 - v) * (H - top - bottom);
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.appendChild(svgElement("line", { x1: left, x2: W - right, y1: ys(v), y2: ys(v), stroke: "#ddd" }));
    svg.appendChild(svgElement("text", { x: left - 6, y: ys(v) + 4, "text-anchor": "end", "font-size": 12 }, Math.round(v * 100) + "%"));
  }
  const values = buckets.map(b => shares(b, measure));
  let lower = new Array(n).fill(0);
  EMOTIONS.forEach((e, k) => {
    const upper = lower.map((l, i) => l + values[i][k]);
    let d;
    if (n === 1) {
      const x0 = xs(0) - 20, x1 = xs(0) + 20;
      d = `M${x0},${ys(lower[0])}L${x1},${ys(lower[0])}L${x1},${ys(upper[0])}L${x0},${ys(upper[0])}Z`;
    } else {
      d = "M" + upper.map((u, i) => `${xs(i)},${ys(u)}`).join("L") +
        "L" + lower.map((l, i) => `${xs(i)},${ys(l)}`).reverse().join("L") + "Z";
    }
    const path = svgElement("path", { d, fill: COLORS[e], opacity: 0.85 });
    path.appendChild(svgElement("title", {}, e));
    svg.appendChild(path);
    lower = upper;
  });
  const step = Math.max(1, Math.ceil(n / 8));
  buckets.forEach((b, i) => {
    if (i % step) return;
    const label = $("bucket").value === "day" ? b.start.slice(0, 10) : b.start.slice(5, 16).replace("T", " ");
    svg.appendChild(svgElement("text", { x: xs(i), y: H - bottom + 18, "text-anchor": "middle", "font-size": 12 }, label));
    svg.appendChild(svgElement("text", { x: xs(i), y: H - bottom + 34, "text-anchor": "middle", "font-size": 11, fill: "#666" }, b.faces + " faces"));
  });
  box.appendChild(svg);
}

function table(buckets, measure) {
  const t = document.createElement("table");
  const head = `<tr><th scope="col">start (UTC)</th><th scope="col">faces</th><th scope="col">unreliable</th>${EMOTIONS.map(e => `<th scope="col">${e}</th>`).join("")}</tr>`;
  t.innerHTML = `<thead>${head}</thead><tbody></tbody>`;
  for (const b of buckets) {
    const row = document.createElement("tr");
    const cells = [b.start, b.faces, b.unreliable].concat(shares(b, measure).map(v => (v * 100).toFixed(1) + "%"));
    row.innerHTML = cells.map(c => `<td></td>`).join("");
    cells.forEach((c, i) => { row.children[i].textContent = c; });
    t.tBodies[0].appendChild(row);
  }
  $("table").innerHTML = "";
  $("table").appendChild(t);
}

async function show() {
  updateLinks();
  const p = qualityParams(params());
  p.set("bucket", $("bucket").value);
  try {
    const stats = await (await api("/api/v1/stats?" + p)).json();
    const measure = $("measure").value;
    chart(stats.buckets, measure);
    table(stats.buckets, measure);
    const faces = stats.buckets.reduce((s, b) => s + b.faces, 0);
    const unreliable = stats.buckets.reduce((s, b) => s + b.unreliable, 0);
    const note = stats.quality.reliable_only
      ? `${unreliable} unreliable face(s) left out`
      : `${unreliable} of them unreliable (tick “Reliable faces only” to leave them out)`;
    setStatus($("status"), `${faces} faces in ${stats.buckets.length} bucket(s); ${note}.`);
  } catch (error) {
    setStatus($("status"), error.message, true);
  }
}

// The newest records of the selection, 20 at a time: id, time, tag, model, faces and their
// dominant emotions.
let nextBefore = null;
async function recent(append) {
  const p = params();
  p.set("limit", "20");
  if (append && nextBefore) p.set("before", String(nextBefore));
  try {
    const page = await (await api("/api/v1/analyses?" + p)).json();
    let t = $("recent").querySelector("table");
    if (!append || !t) {
      $("recent").innerHTML = "";
      if (!page.analyses.length) { $("recent").textContent = "No analyses recorded for this selection."; }
      t = document.createElement("table");
      t.innerHTML = `<thead><tr>${["id", "time (UTC)", "tag", "model", "size", "faces", "dominant emotions"]
        .map(h => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody></tbody>`;
      if (page.analyses.length) $("recent").appendChild(t);
    }
    for (const a of page.analyses) {
      const row = document.createElement("tr");
      row.id = "analysis-" + a.id;
      const cells = ["#" + a.id, a.created_at.replace("T", " ").replace(/(\.\d+)?Z$/, ""), a.tag || "–", a.model,
        `${a.width}×${a.height}`, String(a.faces.length), a.faces.map(f => f.dominant).join(", ") || "–"];
      row.innerHTML = cells.map(() => "<td></td>").join("");
      cells.forEach((c, i) => { row.children[i].textContent = c; });
      t.tBodies[0].appendChild(row);
    }
    nextBefore = page.next_before;
    $("more").hidden = !nextBefore;
  } catch (error) {
    setStatus($("status"), error.message, true);
  }
}
$("more").addEventListener("click", () => recent(true));

// ?tag=NAME in the page's address preselects a tag (links from the analyse page).
const initialTag = new URLSearchParams(location.search).get("tag");
if (initialTag) $("tag").value = initialTag;

$("filters").addEventListener("submit", event => { event.preventDefault(); show(); recent(false); });
$("measure").addEventListener("change", show);
$("reliable-only").addEventListener("change", show);
show();
recent(false);
