// Shared by the three pages: API calls (with the optional key), emotion names and colours.
"use strict";
const EMOTIONS = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"];
const COLORS = Object.fromEntries(EMOTIONS.map(e =>
  [e, getComputedStyle(document.documentElement).getPropertyValue("--" + e).trim()]));

function apiKey() { return localStorage.getItem("emocl.key") || ""; }

function setupKeyField(input) {
  input.value = apiKey();
  input.addEventListener("change", () => localStorage.setItem("emocl.key", input.value.trim()));
}

// fetch with the Bearer key; throws an Error whose message is the problem's detail.
async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  const key = apiKey();
  if (key) headers["Authorization"] = "Bearer " + key;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (!response.ok) {
    let detail = response.status + " " + response.statusText;
    try { const p = await response.json(); if (p.detail) detail = p.status + ": " + p.detail; } catch (_) {}
    throw new Error(detail);
  }
  return response;
}

function setStatus(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle("error", isError);
}

// A labelled horizontal bar per emotion.
function emotionBars(probabilities) {
  const wrap = document.createElement("div");
  for (const e of EMOTIONS) {
    const p = probabilities[e] || 0;
    const row = document.createElement("div");
    row.className = "bar";
    row.setAttribute("role", "img");
    row.setAttribute("aria-label", `${e} ${(p * 100).toFixed(1)} percent`);
    row.innerHTML = `<span>${e}</span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
    row.querySelector(".fill").style.width = (p * 100).toFixed(1) + "%";
    row.querySelector(".fill").style.background = COLORS[e];
    row.querySelector(".value").textContent = (p * 100).toFixed(1) + "%";
    wrap.appendChild(row);
  }
  return wrap;
}

function legend(element) {
  element.innerHTML = "";
  for (const e of EMOTIONS) {
    const s = document.createElement("span");
    s.style.setProperty("--c", COLORS[e]);
    s.textContent = e;
    element.appendChild(s);
  }
}

const SVG_NS = "http://www.w3.org/2000/svg";
function svgElement(name, attributes = {}, text) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}
