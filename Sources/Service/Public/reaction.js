// The dashboard's audience sections: the reaction curve of one or two stimuli
// (GET /api/v1/reactions: mean over viewers per second, 95% interval, viewers), and the
// list of videos with their summaries (GET /api/v1/videos).
"use strict";

async function loadStimuli() {
  try {
    const { sessions } = await (await api("/api/v1/sessions?limit=1000")).json();
    const counts = new Map();
    for (const s of sessions) counts.set(s.stimulus, (counts.get(s.stimulus) || 0) + 1);
    for (const id of ["stimulus-a", "stimulus-b"]) {
      const select = $(id);
      const keep = id === "stimulus-b" ? [select.options[0]] : [];
      select.innerHTML = "";
      keep.forEach(o => select.appendChild(o));
      for (const [name, n] of counts) select.appendChild(new Option(`${name} (${n} session${n === 1 ? "" : "s"})`, name));
    }
    if (!counts.size) $("reaction").textContent = "No audience sessions yet: start one on the Analyse page (webcam, record, stimulus).";
  } catch (error) {
    setStatus($("status"), error.message, true);
  }
}

function reactionChart(curves, emotion) {
  const box = $("reaction");
  box.innerHTML = "";
  const all = curves.flatMap(c => c.seconds);
  if (!all.length) { box.textContent = "No faces recorded in these sessions."; return; }
  const end = Math.max(...all.map(s => s.second)) + 1;
  const W = 900, H = 320, left = 48, right = 12, top = 12, bottom = 70;
  const xs = t => left + (t / end) * (W - left - right);
  const ys = v => top + (1 - v) * (H - top - bottom);
  const svg = svgElement("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Mean ${emotion} per second for ${curves.map(c => c.stimulus).join(" and ")}, with 95% intervals` });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.appendChild(svgElement("line", { x1: left, x2: W - right, y1: ys(v), y2: ys(v), stroke: "#ddd" }));
    svg.appendChild(svgElement("text", { x: left - 6, y: ys(v) + 4, "text-anchor": "end", "font-size": 12 }, Math.round(v * 100) + "%"));
  }
  const step = Math.max(1, Math.ceil(end / 10));
  for (let t = 0; t <= end; t += step) {
    svg.appendChild(svgElement("text", { x: xs(t), y: H - bottom + 16, "text-anchor": "middle", "font-size": 12 }, t + " s"));
  }
  const strokes = [COLORS[emotion], "#333"];
  curves.forEach((curve, k) => {
    const banded = curve.seconds.filter(s => s.low);
    if (banded.length) {
      const d = "M" + banded.map(s => `${xs(s.second + 0.5)},${ys(s.high[emotion])}`).join("L") +
        "L" + banded.slice().reverse().map(s => `${xs(s.second + 0.5)},${ys(s.low[emotion])}`).join("L") + "Z";
      svg.appendChild(svgElement("path", { d, fill: strokes[k], opacity: 0.18 }));
    }
    const d = curve.seconds.map((s, i) => `${i ? "L" : "M"}${xs(s.second + 0.5)},${ys(s.mean[emotion])}`).join("");
    const path = svgElement("path", { d, fill: "none", stroke: strokes[k], "stroke-width": 2.5, "stroke-dasharray": k ? "6 4" : "" });
    path.appendChild(svgElement("title", {}, `${curve.stimulus}: ${curve.sessions} session(s)`));
    svg.appendChild(path);
    // Viewers per second, as a row of numbers under the axis.
    const every = Math.max(1, Math.ceil(curve.seconds.length / 20));
    curve.seconds.forEach((s, i) => {
      if (i % every) return;
      svg.appendChild(svgElement("text", { x: xs(s.second + 0.5), y: H - bottom + 34 + 16 * k, "text-anchor": "middle", "font-size": 11, fill: strokes[k] }, String(s.viewers)));
    });
    svg.appendChild(svgElement("text", { x: 4, y: H - bottom + 34 + 16 * k, "font-size": 11, fill: strokes[k] }, "viewers"));
  });
  box.appendChild(svg);
  const key = document.createElement("p");
  key.textContent = curves.map((c, k) => `${k ? "dashed" : "solid"}: ${c.stimulus} (${c.sessions} session${c.sessions === 1 ? "" : "s"})`).join(" · ");
  box.appendChild(key);
}

async function showReaction() {
  const names = [$("stimulus-a").value, $("stimulus-b").value].filter(Boolean);
  if (!names.length) return;
  $("reaction-csv").href = "/api/v1/reactions?format=csv&stimulus=" + encodeURIComponent(names[0]);
  try {
    const curves = await Promise.all(names.map(n => api("/api/v1/reactions?stimulus=" + encodeURIComponent(n)).then(r => r.json())));
    reactionChart(curves, $("reaction-emotion").value);
  } catch (error) {
    setStatus($("status"), error.message, true);
  }
}

async function listVideos() {
  try {
    const page = await (await api("/api/v1/videos?limit=20")).json();
    const box = $("videos");
    box.innerHTML = "";
    if (!page.videos.length) { box.textContent = "No videos yet: upload one on the Videos page."; return; }
    const t = document.createElement("table");
    t.innerHTML = `<thead><tr>${["id", "name", "tag", "state", "length", "faces", "tracks", "dominant (mean)"]
      .map(h => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody></tbody>`;
    for (const v of page.videos) {
      const row = document.createElement("tr");
      const s = v.summary;
      const cells = [v.name, v.tag || "–", v.state, s ? s.duration.toFixed(1) + " s" : "–", s ? String(s.faces) : "–", s ? String(s.tracks) : "–", "–"];
      row.innerHTML = "<td></td>" + cells.map(() => "<td></td>").join("");
      const link = document.createElement("a");
      link.href = "/videos?id=" + v.id;
      link.textContent = "#" + v.id;
      row.children[0].appendChild(link);
      cells.forEach((c, i) => { row.children[i + 1].textContent = c; });
      t.tBodies[0].appendChild(row);
      if (v.state === "done") {
        // The mean emotion over the video's tracks, weighted by their frames.
        api(`/api/v1/videos/${v.id}`).then(r => r.json()).then(full => {
          const totals = Object.fromEntries(EMOTIONS.map(e => [e, 0]));
          let n = 0;
          for (const tr of full.tracks || []) { n += tr.frames; for (const e of EMOTIONS) totals[e] += tr.emotions[e] * tr.frames; }
          if (n) {
            const best = EMOTIONS.reduce((a, b) => (totals[b] > totals[a] ? b : a));
            row.lastChild.textContent = `${best} ${(100 * totals[best] / n).toFixed(0)}%`;
          }
        }).catch(() => {});
      }
    }
    box.appendChild(t);
  } catch (error) {
    setStatus($("status"), error.message, true);
  }
}

for (const e of EMOTIONS) $("reaction-emotion").appendChild(new Option(e, e, false, e === "happy"));
$("reaction-form").addEventListener("submit", event => { event.preventDefault(); showReaction(); });
$("reaction-emotion").addEventListener("change", showReaction);
$("reaction-csv").addEventListener("click", e => {
  e.preventDefault();
  if ($("stimulus-a").value) download(e.currentTarget.getAttribute("href"), "reaction.csv");
});
$("key").addEventListener("change", () => { loadStimuli().then(showReaction); listVideos(); });
loadStimuli().then(showReaction);
listVideos();
