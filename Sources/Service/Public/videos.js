// The videos page: upload (POST /api/v1/videos, with a progress bar), follow the job
// (GET /api/v1/jobs/{id}), then play the video with its timeline (GET .../timeline) under it:
// clicking the chart seeks, and the faces of the current moment (GET .../frames) are drawn
// over the playing video.
"use strict";
const $ = id => document.getElementById(id);
const statusLine = $("status");
setupKeyField($("key"));
legend($("legend"));

let localFile = null;   // the chosen file, played from the browser (the server keeps no copy)
let frames = [];        // [{time, faces}] of the shown video
let shownId = null;

// XMLHttpRequest rather than fetch: it reports upload progress.
function upload(file) {
  return new Promise((resolve, reject) => {
    const params = new URLSearchParams({ fps: $("fps").value, name: file.name.slice(0, 200) });
    if ($("tag").value.trim()) params.set("tag", $("tag").value.trim());
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/videos?" + params);
    xhr.setRequestHeader("Content-Type", file.type && file.type.startsWith("video/") ? file.type : "application/octet-stream");
    if (apiKey()) xhr.setRequestHeader("Authorization", "Bearer " + apiKey());
    xhr.upload.onprogress = e => {
      if (e.lengthComputable) {
        $("progress").value = Math.round(50 * e.loaded / e.total);
        setStatus(statusLine, `Uploading ${file.name}: ${Math.round(100 * e.loaded / e.total)}%`);
      }
    };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (_) {}
      if (xhr.status === 202) resolve(body);
      else reject(new Error(body.detail ? `${xhr.status}: ${body.detail}` : `${xhr.status} ${xhr.statusText}`));
    };
    xhr.onerror = () => reject(new Error("the upload failed (network)"));
    xhr.send(file);
  });
}

async function follow(job) {
  for (;;) {
    const current = await (await api(`/api/v1/jobs/${job.id}`)).json();
    $("progress").value = 50 + Math.round(current.progress / 2);
    if (current.state === "done") return current;
    if (current.state === "failed") throw new Error("The analysis failed: " + (current.error || "unknown error"));
    setStatus(statusLine, current.state === "queued" ? "Waiting for a worker…" : `Analysing: ${current.progress.toFixed(0)}%`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

async function analyseFile(file) {
  if (!file) return;
  localFile = file;
  $("progress").hidden = false;
  $("progress").value = 0;
  try {
    const job = await upload(file);
    await follow(job);
    $("progress").value = 100;
    setStatus(statusLine, `${file.name}: done.`);
    await show(job.video);
    await list();
  } catch (error) {
    setStatus(statusLine, error.message, true);
  }
}

// The timeline: mean probability of each emotion over all faces, per second; a vertical line
// marks the playing time; a click seeks there.
function drawTimeline(timeline) {
  const box = $("timeline");
  box.innerHTML = "";
  const seconds = timeline.seconds.filter(s => s.emotions);
  if (!seconds.length) { box.textContent = "No face was found in this video."; return; }
  const duration = Math.max(timeline.duration || 0, timeline.seconds[timeline.seconds.length - 1].second + 1);
  const W = 900, H = 240, left = 44, right = 10, top = 10, bottom = 28;
  const xs = t => left + (t / duration) * (W - left - right);
  const ys = v => top + (1 - v) * (H - top - bottom);
  const svg = svgElement("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Mean emotion probabilities per second over ${duration.toFixed(1)} seconds; click to seek` });
  for (const v of [0, 0.5, 1]) {
    svg.appendChild(svgElement("line", { x1: left, x2: W - right, y1: ys(v), y2: ys(v), stroke: "#ddd" }));
    svg.appendChild(svgElement("text", { x: left - 6, y: ys(v) + 4, "text-anchor": "end", "font-size": 12 }, Math.round(v * 100) + "%"));
  }
  const step = Math.max(1, Math.ceil(duration / 10));
  for (let t = 0; t <= duration; t += step) {
    svg.appendChild(svgElement("text", { x: xs(t), y: H - 8, "text-anchor": "middle", "font-size": 12 }, t + " s"));
  }
  for (const e of EMOTIONS) {
    const d = seconds.map((s, i) => `${i ? "L" : "M"}${xs(s.second + 0.5)},${ys(s.emotions[e])}`).join("");
    const path = svgElement("path", { d, fill: "none", stroke: COLORS[e], "stroke-width": 2 });
    path.appendChild(svgElement("title", {}, e));
    svg.appendChild(path);
  }
  const cursor = svgElement("line", { id: "cursor", x1: left, x2: left, y1: top, y2: H - bottom, stroke: "#000", "stroke-width": 1.5 });
  svg.appendChild(cursor);
  svg.style.cursor = "pointer";
  svg.addEventListener("click", event => {
    const r = svg.getBoundingClientRect();
    const x = (event.clientX - r.left) * W / r.width;
    const t = Math.min(duration, Math.max(0, (x - left) / (W - left - right) * duration));
    if (!$("player").hidden) $("player").currentTime = t;
  });
  box.appendChild(svg);
  box.dataset.duration = duration;
}

// The faces of the last analysed frame at or before `time` (binary search).
function facesAt(time) {
  let lo = 0, hi = frames.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid].time <= time + 1e-6) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found < 0 ? [] : frames[found].faces;
}

function drawOverlay() {
  const video = $("player"), canvas = $("overlay");
  if (!video.videoWidth) return;
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const c = canvas.getContext("2d");
  c.clearRect(0, 0, canvas.width, canvas.height);
  const line = Math.max(2, Math.round(canvas.width / 300));
  c.font = `${Math.max(14, Math.round(canvas.width / 40))}px system-ui, sans-serif`;
  for (const face of facesAt(video.currentTime)) {
    const { x, y, width, height } = face.box;
    c.lineWidth = line;
    c.strokeStyle = COLORS[face.dominant];
    c.strokeRect(x, y, width, height);
    const label = `#${face.track} ${face.dominant} ${(face.emotions[face.dominant] * 100).toFixed(0)}%`;
    const textHeight = parseInt(c.font, 10) + 6;
    c.fillStyle = COLORS[face.dominant];
    c.fillRect(x, Math.max(0, y - textHeight), c.measureText(label).width + 8, textHeight);
    c.fillStyle = "#fff";
    c.fillText(label, x + 4, Math.max(textHeight - 6, y - 6));
  }
  const svg = $("timeline").querySelector("svg"), cursor = svg && svg.querySelector("#cursor");
  if (cursor) {
    const duration = Number($("timeline").dataset.duration) || 1;
    const x = 44 + (video.currentTime / duration) * (900 - 44 - 10);
    cursor.setAttribute("x1", x); cursor.setAttribute("x2", x);
  }
}

// Every analysed frame of a video: the frames route answers a page at a time.
async function allFrames(id) {
  let all = [], after = null;
  do {
    const query = after === null ? "" : `&after=${after}`;
    const page = await (await api(`/api/v1/videos/${id}/frames?limit=10000${query}`)).json();
    all = all.concat(page.frames);
    after = page.next_after;
  } while (after !== null && after !== undefined);
  return all;
}

async function show(id) {
  shownId = id;
  const [video, timeline, frameList] = await Promise.all([
    api(`/api/v1/videos/${id}`).then(r => r.json()),
    api(`/api/v1/videos/${id}/timeline`).then(r => r.json()),
    allFrames(id),
  ]);
  frames = frameList;
  $("player-card").hidden = false;
  $("player-title").textContent = `${video.name} — ${video.summary.tracks} track(s), ${video.summary.frames} frames analysed`;
  const player = $("player");
  const playable = localFile && localFile.name.slice(0, 200) === video.name;
  player.hidden = !playable;
  $("overlay").hidden = !playable;
  $("no-local").hidden = playable;
  if (playable) {
    if (player.src) URL.revokeObjectURL(player.src);
    player.src = URL.createObjectURL(localFile);
  }
  $("timeline-csv").href = `/api/v1/videos/${id}/timeline?format=csv`;
  drawTimeline(timeline);
}

async function list() {
  try {
    const page = await (await api("/api/v1/videos?limit=50")).json();
    const box = $("videos");
    box.innerHTML = "";
    if (!page.videos.length) { box.textContent = "No videos yet."; return; }
    const t = document.createElement("table");
    t.innerHTML = `<thead><tr>${["id", "uploaded (UTC)", "name", "tag", "state", "length", "faces", "tracks", ""]
      .map(h => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody></tbody>`;
    for (const v of page.videos) {
      const row = document.createElement("tr");
      const s = v.summary;
      const cells = ["#" + v.id, v.created_at.replace("T", " ").replace(/(\.\d+)?Z$/, ""), v.name, v.tag || "–",
        v.state === "running" ? `running ${v.progress.toFixed(0)}%` : v.state + (v.error ? ": " + v.error : ""),
        s ? s.duration.toFixed(1) + " s" : "–", s ? String(s.faces) : "–", s ? String(s.tracks) : "–"];
      row.innerHTML = cells.map(() => "<td></td>").join("") + "<td></td>";
      cells.forEach((c, i) => { row.children[i].textContent = c; });
      if (v.state === "done") {
        const b = document.createElement("button");
        b.type = "button"; b.className = "secondary"; b.textContent = "Show";
        b.addEventListener("click", () => show(v.id).catch(e => setStatus(statusLine, e.message, true)));
        row.lastChild.appendChild(b);
      }
      t.tBodies[0].appendChild(row);
    }
    box.appendChild(t);
  } catch (error) {
    setStatus(statusLine, error.message, true);
  }
}

$("timeline-csv").addEventListener("click", async e => {
  e.preventDefault();
  try {
    const blob = await (await api(e.currentTarget.getAttribute("href"))).blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = `video-${shownId}-timeline.csv`; a.click();
    URL.revokeObjectURL(a.href);
  } catch (error) { setStatus(statusLine, error.message, true); }
});
$("player").addEventListener("timeupdate", drawOverlay);
$("player").addEventListener("seeked", drawOverlay);
$("player").addEventListener("loadedmetadata", drawOverlay);
$("file").addEventListener("change", e => analyseFile(e.target.files[0]));
const drop = $("drop");
drop.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file").click(); } });
drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", e => { e.preventDefault(); drop.classList.remove("over"); analyseFile(e.dataTransfer.files[0]); });
$("key").addEventListener("change", list);
// ?id=N shows that video's timeline (links from the dashboard).
const initial = Number(new URLSearchParams(location.search).get("id"));
list().then(() => { if (initial >= 1) show(initial).catch(e => setStatus(statusLine, e.message, true)); });
