// The analyse page: an image from a file, a drop or the webcam → POST /api/v1/analyze → boxes and bars.
"use strict";
const $ = id => document.getElementById(id);
const view = $("view"), ctx = view.getContext("2d"), statusLine = $("status");
let stream = null, timer = null, busy = false;

setupKeyField($("key"));

async function loadModels() {
  try {
    const { models, default: fallback } = await (await api("/api/v1/models")).json();
    const select = $("model");
    select.innerHTML = "";
    for (const m of models) {
      const option = new Option(`${m.name} — ${m.description}`, m.name, false, m.name === fallback);
      select.appendChild(option);
    }
    if (!models.length) setStatus(statusLine, "No models are loaded on this server.", true);
  } catch (error) {
    setStatus(statusLine, "Models: " + error.message, true);
  }
}

let lastRecorded = 0;
let session = null;  // {id, startedLocally}: the audience session the webcam records into

// Uploads are recorded when "Record uploaded results" is on; webcam frames only when
// "Record webcam results" is on, and then at most one a second.
function query(fromCamera) {
  const params = new URLSearchParams();
  if ($("model").value) params.set("model", $("model").value);
  if ($("tag").value.trim()) params.set("tag", $("tag").value.trim());
  params.set("detect", $("detect").value);
  const maxFaces = Math.round(Number($("max-faces").value));
  if (maxFaces >= 1 && maxFaces <= 1000) params.set("max_faces", String(maxFaces));
  let store = $("store").checked;
  if (fromCamera) {
    const now = Date.now();
    store = $("record").checked && now - lastRecorded >= 1000;
    if (store) lastRecorded = now;
  }
  params.set("store", store ? "true" : "false");
  // A recorded webcam frame of an audience session carries the session and its offset.
  if (fromCamera && store && session) {
    params.set("session", String(session.id));
    params.set("offset_ms", String(Math.max(0, Date.now() - session.startedLocally)));
  }
  return params.toString();
}

async function analyze(blob, type, drawSource, fromCamera = false) {
  const started = performance.now();
  const response = await api("/api/v1/analyze?" + query(fromCamera), {
    method: "POST", headers: { "Content-Type": type || "application/octet-stream" }, body: blob });
  const result = await response.json();
  draw(drawSource, result);
  const ms = Math.round(performance.now() - started);
  setStatus(statusLine, `${result.faces.length} face(s), model ${result.model}, ${Math.round(result.elapsed_ms)} ms on the server, ${ms} ms in all` +
    (result.id !== null ? `, recorded as #${result.id}` : ""));
  if (result.id !== null) {
    $("dashboard-link").href = "/dashboard" + (result.tag ? "?tag=" + encodeURIComponent(result.tag) : "") + "#analysis-" + result.id;
    $("recorded").hidden = false;
  }
}

function draw(source, result) {
  view.hidden = false;
  $("placeholder").hidden = true;
  view.width = result.width;
  view.height = result.height;
  ctx.drawImage(source, 0, 0, result.width, result.height);
  const faces = $("faces");
  faces.innerHTML = "";
  const line = Math.max(2, Math.round(result.width / 300));
  result.faces.forEach((face, i) => {
    const { x, y, width, height } = face.box;
    ctx.lineWidth = line;
    ctx.strokeStyle = COLORS[face.dominant];
    ctx.strokeRect(x, y, width, height);
    const label = `${i + 1}: ${face.dominant} ${(face.emotions[face.dominant] * 100).toFixed(0)}%`;
    ctx.font = `${Math.max(14, Math.round(result.width / 40))}px system-ui, sans-serif`;
    const textWidth = ctx.measureText(label).width;
    const textHeight = parseInt(ctx.font, 10) + 6;
    ctx.fillStyle = COLORS[face.dominant];
    ctx.fillRect(x, Math.max(0, y - textHeight), textWidth + 8, textHeight);
    ctx.fillStyle = "#fff";
    ctx.fillText(label, x + 4, Math.max(textHeight - 6, y - 6));
    const card = document.createElement("div");
    card.className = "face";
    card.dataset.box = [x, y, width, height].join(",");
    card.dataset.dominant = face.dominant;
    const title = document.createElement("h3");
    title.textContent = `Face ${i + 1}: ${face.dominant}`;
    card.appendChild(title);
    card.appendChild(emotionBars(face.emotions));
    faces.appendChild(card);
  });
  if (!result.faces.length) faces.textContent = "No face found.";
  view.setAttribute("aria-label", `The image with ${result.faces.length} face box(es)`);
}

async function analyzeFile(file) {
  if (!file) return;
  stopCamera();
  setStatus(statusLine, "Analysing " + file.name + "…");
  try {
    const image = await createImageBitmap(file);
    await analyze(file, file.type, image);
  } catch (error) {
    setStatus(statusLine, error.message, true);
  }
}

$("file").addEventListener("change", event => analyzeFile(event.target.files[0]));
const drop = $("drop");
drop.addEventListener("keydown", event => {
  if (event.key === "Enter" || event.key === " ") { event.preventDefault(); $("file").click(); }
});
drop.addEventListener("dragover", event => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", event => {
  event.preventDefault();
  drop.classList.remove("over");
  analyzeFile(event.dataTransfer.files[0]);
});

async function frame() {
  if (busy || !stream) return;
  busy = true;
  const video = $("video");
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  try {
    const blob = await new Promise(resolve => canvas.toBlob(resolve, "image/jpeg", 0.85));
    await analyze(blob, "image/jpeg", canvas, true);
  } catch (error) {
    setStatus(statusLine, error.message, true);
  } finally {
    busy = false;
  }
}

// Consent first: the dialog says what is recorded, and the webcam starts only on "I agree".
function askConsent() {
  return new Promise(resolve => {
    const dialog = $("consent");
    const stimulus = $("stimulus").value.trim();
    $("consent-record").textContent = $("record").checked
      ? (stimulus ? `Recording is on, in an audience session for "${stimulus}".` : "Recording is on.")
      : "Recording is off: nothing is stored.";
    const done = answer => {
      $("consent-yes").onclick = $("consent-no").onclick = null;
      dialog.close();
      resolve(answer);
    };
    $("consent-yes").onclick = () => done(true);
    $("consent-no").onclick = () => done(false);
    dialog.oncancel = () => resolve(false);
    dialog.showModal();
  });
}

async function startSession() {
  session = null;
  const stimulus = $("stimulus").value.trim();
  if (!stimulus || !$("record").checked) return;
  const response = await api("/api/v1/sessions", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ stimulus }) });
  const created = await response.json();
  session = { id: created.id, startedLocally: Date.now() };
}

async function startCamera() {
  if (!(await askConsent())) {
    setStatus(statusLine, "The webcam was not started.");
    return;
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    setStatus(statusLine, "This browser has no webcam access here (it needs HTTPS or localhost).", true);
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  } catch (error) {
    setStatus(statusLine, "Webcam: " + error.message, true);
    return;
  }
  const video = $("video");
  video.srcObject = stream;
  await video.play();
  try {
    await startSession();
  } catch (error) {
    stopCamera();
    setStatus(statusLine, "Session: " + error.message, true);
    return;
  }
  const interval = Math.min(10000, Math.max(200, Number($("interval").value) || 1000));
  timer = setInterval(frame, interval);
  $("camera").textContent = "Stop webcam";
  setStatus(statusLine, `Webcam on: one frame every ${interval} ms` +
    (session ? `, recording session #${session.id} for "${$("stimulus").value.trim()}".` : "."));
}

function stopCamera() {
  if (timer) clearInterval(timer);
  timer = null;
  if (stream) stream.getTracks().forEach(t => t.stop());
  stream = null;
  session = null;
  $("camera").textContent = "Start webcam";
}

$("camera").addEventListener("click", () => (stream ? stopCamera() : startCamera()));
$("key").addEventListener("change", loadModels);
loadModels();
