// derive serve: the page. The editor's text is rendered with the vendored KaTeX (no CDN) and sent to
// POST /api/check 600 ms after the last keystroke; a newer request aborts the one in flight, and an
// answer that is not the latest one is dropped; a 503 (the server's checks are all taken) is asked again
// 1 s later while it is still the latest.
"use strict";
const editor = document.getElementById("editor");
const preview = document.getElementById("preview");
const verdicts = document.getElementById("verdicts");
const statusEl = document.getElementById("status");
const DEBOUNCE_MS = 600, RETRY_MS = 1000;
let timer = null, inFlight = null, serial = 0;

function esc(s) {
  return String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

function tex(src, display) {
  return katex.renderToString(src, {displayMode: display, throwOnError: false, strict: "ignore", trust: false});
}

// Markdown text between formulas: headings, paragraphs, **bold**, *italic*, `code` (escaped first).
function prose(s) {
  return esc(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<i>$2</i>");
}

const MATH = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|(\\begin\{(equation|align|gather|multline)\*?\}[\s\S]+?\\end\{\4\*?\})|\\\(([\s\S]+?)\\\)|\$([^$\n]+?)\$/g;

// Text with its formulas rendered by KaTeX and the rest as escaped Markdown prose.
function withMath(text) {
  let html = "", last = 0, m;
  MATH.lastIndex = 0;
  while ((m = MATH.exec(text)) !== null) {
    html += prose(text.slice(last, m.index));
    if (m[1] !== undefined) html += tex(m[1], true);
    else if (m[2] !== undefined) html += tex(m[2], true);
    else if (m[3] !== undefined) html += tex(m[3], true);
    else if (m[5] !== undefined) html += tex(m[5], false);
    else html += tex(m[6], false);
    last = MATH.lastIndex;
  }
  return html + prose(text.slice(last));
}

function renderMarkdown(text) {
  let front = "";
  const fm = text.match(/^---\n([\s\S]*?)\n---\n?/);
  if (fm) { front = '<pre class="front">' + esc(fm[1]) + "</pre>"; text = text.slice(fm[0].length); }
  const html = withMath(text);
  const blocks = html.split(/\n\s*\n/).map(b => {
    const h = b.trim().match(/^(#{1,6})\s+([\s\S]*)$/);
    return h ? `<h${h[1].length + 2}>${h[2]}</h${h[1].length + 2}>` : `<p>${b}</p>`;
  });
  return front + blocks.join("");
}

function counterexampleLines(ce) {
  const out = [];
  const mdp = ce && ce.mdp;
  if (!mdp) return out;
  for (const k of ["rho0", "P[s][a][s']", "R[s][a][s']"]) if (k in mdp) out.push(`${k} = ${JSON.stringify(mdp[k]).replace(/"/g, "")}`);
  if (mdp.policies && mdp.policies.theta) out.push(`pi_theta[s][a] = ${JSON.stringify(mdp.policies.theta).replace(/"/g, "")}`);
  for (const [k, v] of Object.entries(mdp["free functions"] || {})) out.push(`${k} = ${JSON.stringify(v).replace(/"/g, "")}`);
  return out;
}

function renderStep(s) {
  let h = `<div class="step ${esc(s.verdict)}" data-step="${s.step}"><div><span class="verdict">step ${s.step}: ${esc(s.verdict)}</span> <span class="muted">(line ${s.line})</span></div>`;
  if (s.justification) h += `<div class="detail">because: ${withMath(s.justification)}</div>`;
  if (s.read_as) h += `<div class="detail readas">read as: ${tex(s.read_as, false)}</div>`;
  if (s.verdict === "fails" && s.counterexample) {
    h += `<div class="detail">counterexample: ${esc(s.reason)}</div>`;
    const lines = counterexampleLines(s.counterexample);
    if (lines.length) h += `<pre class="detail">${esc(lines.join("\n"))}</pre>`;
  } else if (s.reason) h += `<div class="detail">${esc(s.reason)}</div>`;
  if (s.mistake) h += `<div class="detail"><b>mistake</b>: ${esc(s.mistake)}</div>`;
  for (const hint of s.hints || []) h += `<div class="detail">hint: ${withMath(hint)}</div>`;
  return h + "</div>";
}

function renderReport(data) {
  const r = data.results[0];
  let h = `<div class="summary">${esc(r.verdict)}${r.note ? " — " + esc(r.note) : ""}</div>`;
  for (const c of r.conventions || []) h += `<div class="detail muted">convention: ${esc(typeof c === "string" ? c : JSON.stringify(c))}</div>`;
  for (const d of r.definitions || []) h += `<div class="detail muted">definition: ${esc(typeof d === "string" ? d : JSON.stringify(d))}</div>`;
  return h + r.steps.map(renderStep).join("");
}

async function check() {
  const mine = ++serial;
  if (inFlight) inFlight.abort();
  const ctrl = new AbortController();
  inFlight = ctrl;
  statusEl.textContent = "checking…";
  try {
    const resp = await fetch("/api/check", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({text: editor.value, options: {}}), signal: ctrl.signal});
    const data = await resp.json();
    if (mine !== serial) return;  // a newer check was asked for
    if (resp.status === 503) {  // busy with earlier (possibly abandoned) checks: ask again while still the latest
      statusEl.textContent = "server busy, retrying…";
      clearTimeout(timer);
      timer = setTimeout(check, RETRY_MS);
      return;
    }
    verdicts.innerHTML = resp.ok ? renderReport(data) : `<div class="error">${esc(data.error || resp.statusText)}</div>`;
    statusEl.textContent = resp.ok ? (data.ok ? "file ok" : "file not ok") : `error ${resp.status}`;
  } catch (err) {
    if (err.name !== "AbortError" && mine === serial) {
      verdicts.innerHTML = `<div class="error">${esc(String(err))}</div>`;
      statusEl.textContent = "no answer";
    }
  } finally {
    if (inFlight === ctrl) inFlight = null;
  }
}

function changed() {
  preview.innerHTML = renderMarkdown(editor.value);
  clearTimeout(timer);
  timer = setTimeout(check, DEBOUNCE_MS);
}

async function loadList() {
  const select = document.getElementById("open");
  const data = await (await fetch("/api/files")).json();
  for (const [folder, label] of [["proofs", "proofs/"], ["catalog", "catalog"]]) {
    if (!data[folder] || !data[folder].length) continue;
    const group = document.createElement("optgroup");
    group.label = label;
    for (const f of data[folder]) {
      const o = document.createElement("option");
      o.value = JSON.stringify([folder, f.name]);
      o.textContent = `${f.name} — ${f.title}`;
      group.appendChild(o);
    }
    select.appendChild(group);
  }
  select.addEventListener("change", async () => {
    if (!select.value) return;
    const [folder, name] = JSON.parse(select.value);
    const resp = await fetch(`/api/file?folder=${encodeURIComponent(folder)}&name=${encodeURIComponent(name)}`);
    const data = await resp.json();
    if (resp.ok) { editor.value = data.text; changed(); }
  });
}

editor.addEventListener("input", changed);
loadList();
if (editor.value) changed();
