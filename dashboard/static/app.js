// Ravine dashboard: the whole view lives in the URL, so any view can be bookmarked and shared.
// Text from documents is only ever set with textContent: it is shown, never run.
"use strict";

const API = "/api/v1";
const FIELDS = ["entity", "since", "until", "freq", "metric", "smooth", "tz", "view", "mode", "compare"];
const DEFAULTS = { freq: "day", metric: "compound", smooth: "1", tz: "UTC", view: "raw", mode: "chart" };
const $ = (id) => document.getElementById(id);
let current = null; // the figure response now shown
let drillRows = { corporate: [], public: [] };

function readState() {
  const params = new URLSearchParams(location.search);
  const state = { ...DEFAULTS };
  for (const key of FIELDS) if (params.get(key)) state[key] = params.get(key);
  return state;
}

function writeState(state, push) {
  const params = new URLSearchParams();
  for (const key of FIELDS) if (state[key] && state[key] !== DEFAULTS[key]) params.set(key, state[key]);
  const url = `${location.pathname}?${params}`;
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](state, "", url);
}

function formState() {
  return {
    entity: $("entity").value.trim(), since: $("since").value, until: $("until").value,
    freq: $("freq").value, metric: $("metric").value, smooth: $("smooth").value || "1",
    tz: $("tz").value.trim() || "UTC", view: $("baseline").checked ? "baseline" : "raw",
    mode: $("show-compare").getAttribute("aria-pressed") === "true" ? "compare" : "chart",
    compare: $("compare-entities").value.trim(),
  };
}

function fillForm(state) {
  $("entity").value = state.entity || "";
  $("since").value = state.since || "";
  $("until").value = state.until || "";
  $("freq").value = state.freq;
  $("metric").value = state.metric;
  $("smooth").value = state.smooth;
  $("tz").value = state.tz;
  $("baseline").checked = state.view === "baseline";
  $("compare-entities").value = state.compare || "";
  const compare = state.mode === "compare";
  $("show-chart").setAttribute("aria-pressed", String(!compare));
  $("show-compare").setAttribute("aria-pressed", String(compare));
  $("chart-view").hidden = compare;
  $("compare-view").hidden = !compare;
  $("compare-label").hidden = !compare;
  $("entity").disabled = compare;
}

function seriesQuery(state, extra = {}) {
  const params = new URLSearchParams();
  for (const key of ["since", "until", "freq", "metric", "smooth", "tz", "view"]) {
    if (state[key]) params.set(key, state[key]);
  }
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params;
}

function status(message, kind = "") {
  $("status").textContent = message;
  $("status").className = kind;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

async function loadEntities() {
  const { items } = await getJSON(`${API}/entities`);
  const list = $("entity-list");
  list.replaceChildren(...items.map((e) => {
    const option = document.createElement("option");
    option.value = e.slug;
    option.label = e.name;
    return option;
  }));
  return items;
}

async function render(state) {
  fillForm(state);
  status("Loading…", "loading");
  try {
    if (state.mode === "compare") await renderCompare(state);
    else await renderChart(state);
    status("");
  } catch (error) {
    status(`Could not load the chart: ${error.message}`, "error");
  }
}

// The server sends each column once and small ops that rebuild the figure's arrays from them:
// dashboard/packing.py and dashboard/columns.py document the format and mirror this function.
function unpack(packed) {
  const round = (v) => Math.round(v * 1000) / 1000 + 0; // 3 decimals, never -0
  const done = [];
  const column = (i) => {
    if (done[i]) return done[i];
    const spec = packed.columns[i];
    if (Array.isArray(spec)) done[i] = spec;
    else if (spec.$dates) done[i] = periodDates(...spec.$dates);
    else {
      const [left, right] = (spec.$add || spec.$sub).map(column);
      const sign = spec.$add ? 1 : -1;
      done[i] = left.map((x, k) => (x === null || right[k] === null ? null : round(x + sign * right[k])));
    }
    return done[i];
  };
  const columns = packed.columns.map((_, i) => column(i));
  const expand = (value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    if (value.$c !== undefined) return columns[value.$c].slice();
    if (value.$zip) return columns[value.$zip[0]].map((_, k) => value.$zip.map((i) => columns[i][k]));
    const [top, bottom] = value.$band.map((i) => columns[i]);
    return value.runs.flatMap(([a, b]) => [...top.slice(a, b + 1), ...bottom.slice(a, b + 1).reverse(), null]);
  };
  const data = packed.data.map((trace) => {
    const full = { ...trace };
    for (const key of ["x", "y", "customdata", "text"]) if (key in trace) full[key] = expand(trace[key]);
    return full;
  });
  return { data, layout: packed.layout, labels: columns[0] };
}

// The UTC midnight `months` and `days` after a period label's first day ("2025-03-10", or
// "2025-03" for a month).
function utcDay(label, months = 0, days = 0) {
  const [year, month, day = 1] = label.split("-").map(Number);
  return Date.UTC(year, month - 1 + months, day + days);
}

// `count` period labels from `first`, a `step` apart (dashboard/timeline.py: dates).
function periodDates(first, count, step) {
  return Array.from({ length: count }, (_, i) => {
    const days = step === "week" ? 7 * i : step === "day" ? i : 0;
    const date = new Date(utcDay(first, step === "month" ? i : 0, days));
    return date.toISOString().slice(0, step === "month" ? 7 : 10);
  });
}

// A period's [since, until) in UTC: the local midnights that start it and the next period,
// less the zone's UTC offset at each (dashboard/timeline.py: utc_bounds).
function periodBounds(index) {
  return periodDates(current.periods[index], 2, current.freq).map((label, k) => {
    const [, seconds] = current.offsets.findLast(([edge]) => edge <= index + k);
    return new Date(utcDay(label) - seconds * 1000).toISOString().replace(".000Z", "Z");
  });
}

function figureURL(state) {
  return `/dashboard/figure?${seriesQuery(state, { entity: state.entity })}`;
}

// Started as soon as this script runs, while Plotly.js is still being parsed.
let prefetched = (() => {
  const state = readState();
  if (state.mode === "compare" || !state.entity) return null;
  const url = figureURL(state);
  const response = getJSON(url);
  response.catch(() => {}); // reported when renderChart awaits it
  return { url, response };
})();

async function renderChart(state) {
  const url = figureURL(state);
  const early = prefetched && prefetched.url === url ? prefetched.response : null;
  prefetched = null;
  const body = await (early || getJSON(url));
  body.figure = unpack(body.figure);
  body.periods = body.figure.labels;
  current = body;
  const chart = $("chart");
  await Plotly.react(chart, body.figure.data, body.figure.layout, {
    responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"],
  });
  chart.dataset.entity = body.entity.slug;
  chart.dataset.points = String(body.periods.length);
  if (!chart.dataset.bound) {
    chart.on("plotly_click", onChartClick);
    chart.dataset.bound = "1";
  }
  $("legend-note").textContent = `${body.entity.name}: ${body.since} to ${body.until}, ` +
    `every ${body.freq}. Orange shading: the company sounds rosier; blue: the public does.`;
  $("download-csv").href = `${API}/ravine?${seriesQuery(state, { entity: body.entity.slug, format: "csv" })}`;
  const periods = $("period");
  periods.replaceChildren(new Option("choose…", ""), ...body.periods.map((p, i) => new Option(p, String(i))));
  const marks = body.figure.data.find((t) => t.meta && t.meta.role === "statements");
  const choices = marks ? marks.customdata.map((id, i) => new Option(`${marks.x[i].slice(0, 10)} ${marks.text[i]}`, String(id))) : [];
  $("statement").replaceChildren(new Option(choices.length ? "choose…" : "none in range", ""), ...choices);
}

function onChartClick(event) {
  const point = event.points && event.points[0];
  if (!point) return;
  const meta = point.data.meta || {};
  if (meta.role === "statements") return openReaction(point.customdata, point.text);
  const index = current.periods.indexOf(String(point.x).slice(0, current.periods[0].length));
  if (index >= 0) openPeriod(index);
}

async function openPeriod(index) {
  const [since, until] = periodBounds(index);
  $("drill").hidden = false;
  $("drill-title").textContent = `Documents of ${current.periods[index]}`;
  $("drill").dataset.index = String(index);
  const sort = $("doc-sort").value;
  const order = sort === "compound" ? "asc" : "desc";
  status("Loading documents…", "loading");
  try {
    for (const voice of ["corporate", "public"]) {
      const query = new URLSearchParams({ entity: current.entity.slug, voice, since, until, sort, order, limit: "500" });
      const { items } = await getJSON(`${API}/documents?${query}`);
      drillRows[voice] = items;
      fillTable($(`docs-${voice}`), items);
    }
    status("");
  } catch (error) {
    status(`Could not load documents: ${error.message}`, "error");
  }
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function fillTable(table, items) {
  const head = document.createElement("tr");
  for (const name of ["time", "score", "author", "source", "text"]) {
    const th = document.createElement("th");
    th.textContent = name;
    th.scope = "col";
    head.append(th);
  }
  const rows = items.map((doc) => {
    const tr = document.createElement("tr");
    cell(tr, doc.published_at.replace("T", " ").slice(0, 16));
    const score = doc.scores ? doc.scores.compound : null;
    cell(tr, score === null ? "—" : score.toFixed(3), `num ${score > 0.05 ? "pos" : score < -0.05 ? "neg" : ""}`)
      .title = doc.scores ? `neg ${doc.scores.neg}, neu ${doc.scores.neu}, pos ${doc.scores.pos}` : doc.unscored_reason || "";
    cell(tr, doc.author || "");
    cell(tr, doc.source);
    const text = cell(tr, doc.title ? `${doc.title}\n${doc.text}` : doc.text, "text");
    if (doc.url && /^https?:\/\//i.test(doc.url)) {
      const link = document.createElement("a");
      link.href = doc.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      link.textContent = " link";
      text.append(link);
    }
    return tr;
  });
  if (!rows.length) {
    const tr = document.createElement("tr");
    cell(tr, "no documents").colSpan = 5;
    rows.push(tr);
  }
  table.replaceChildren(head, ...rows);
}

async function openReaction(id, title) {
  $("reaction").hidden = false;
  $("reaction-title").textContent = `Public reaction to: ${title}`;
  $("reaction-body").textContent = "Loading…";
  const state = readState();
  try {
    const query = seriesQuery(state, { entity: current.entity.slug, since: current.since, until: current.until });
    const { reactions, window_days: days } = await getJSON(`${API}/ravine/reactions?${query}`);
    const found = reactions.find((r) => r.id === id);
    const fmt = (v) => (v === null ? "—" : v.toFixed(3));
    $("reaction-body").textContent = !found ? "No reaction window for this statement." :
      `${days} days before: ${fmt(found.before_value)} (n = ${found.before_n}); ` +
      `${days} days after: ${fmt(found.after_value)} (n = ${found.after_n}); change ${fmt(found.change)}, ` +
      `95% CI ${fmt(found.change_ci_low)} to ${fmt(found.change_ci_high)}` +
      (found.null_reason ? ` (${found.null_reason})` : "");
  } catch (error) {
    $("reaction-body").textContent = `Could not load the reaction window: ${error.message}`;
  }
}

async function renderCompare(state) {
  const body = await getJSON(`${API}/compare?${seriesQuery(state, { entities: state.compare })}`);
  const styles = ["solid", "dash", "dot", "dashdot", "longdash"];
  const colours = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
  const traces = body.entities.map((entry, i) => ({
    type: "scatter", mode: "lines+markers", name: entry.entity, x: body.labels,
    y: entry.periods.map((p) => p.value),
    line: { color: colours[i % colours.length], dash: styles[i % styles.length] },
  }));
  await Plotly.react($("compare-chart"), traces, {
    margin: { t: 30 }, yaxis: { title: { text: "ravine (corporate − public)" }, zeroline: true },
    xaxis: { type: "date" }, legend: { orientation: "h" },
  }, { responsive: true, displaylogo: false });
  const head = document.createElement("tr");
  for (const name of ["entity", "mean ravine", "95% CI", "periods"]) {
    const th = document.createElement("th");
    th.textContent = name;
    head.append(th);
  }
  const fmt = (v) => (v === null ? "—" : v.toFixed(3));
  const rows = body.leaderboard.map((row) => {
    const tr = document.createElement("tr");
    cell(tr, row.entity);
    cell(tr, fmt(row.mean_ravine.value), "num");
    cell(tr, `${fmt(row.mean_ravine.ci_low)} to ${fmt(row.mean_ravine.ci_high)}`, "num");
    cell(tr, String(row.periods), "num");
    return tr;
  });
  $("leaderboard").replaceChildren(head, ...rows);
}

function preset(days) {
  const state = formState();
  if (days === "all") {
    state.since = "";
    state.until = "";
    state.freq = state.freq === "day" ? "week" : state.freq;
    const entity = entityCache.find((e) => e.slug === state.entity);
    if (entity) {
      const firsts = [entity.corporate.first, entity.public.first].filter(Boolean).sort();
      if (firsts.length) state.since = firsts[0].slice(0, 10);
    }
  } else {
    const end = state.until || (current && current.until) || new Date().toISOString().slice(0, 10);
    const start = new Date(`${end}T00:00:00Z`);
    start.setUTCDate(start.getUTCDate() - Number(days) + 1);
    state.until = end;
    state.since = start.toISOString().slice(0, 10);
  }
  update(state, true);
}

function update(state, push) {
  writeState(state, push);
  render(state);
}

// A text cell that starts like a formula (=, +, -, @, tab, return) is written with a leading
// apostrophe, so a spreadsheet shows it instead of running it (OWASP, CSV injection).
function textCell(value) {
  const text = String(value ?? "");
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function downloadDocs() {
  const header = ["voice", "published_at", "compound", "author", "source", "url", "title", "text"];
  const quote = (v) => `"${String(v ?? "").replaceAll('"', '""')}"`;
  const lines = [header.join(",")];
  for (const voice of ["corporate", "public"]) {
    for (const d of drillRows[voice]) {
      const texts = [d.author, d.source, d.url, d.title, d.text].map(textCell);
      lines.push([voice, d.published_at, d.scores ? d.scores.compound : "", ...texts].map(quote).join(","));
    }
  }
  const blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `documents-${current.entity.slug}-${$("drill-title").textContent.split(" ").pop()}.csv`;
  link.click();
}

let entityCache = [];

async function start() {
  const state = readState();
  // With an entity in the URL the chart comes first: the entity list (for the search box and
  // the "all" range) is asked for once the chart is drawn, so it never competes with it.
  const early = state.entity ? render(state) : null;
  await early;
  try {
    entityCache = await loadEntities();
  } catch (error) {
    status(`Could not reach the API: ${error.message}`, "error");
    return;
  }
  if (!entityCache.length || entityCache.every((e) => !e.corporate.documents && !e.public.documents)) {
    $("guide").hidden = false;
    $("chart-view").hidden = true;
    status("The database has no documents yet.");
    return;
  }
  if (!early) {
    state.entity = entityCache[0].slug;
    writeState(state, false);
    render(state);
  }
  $("controls").addEventListener("change", (event) => {
    if (event.target.id === "entity" && !entityCache.some((e) => e.slug === event.target.value)) return;
    update(formState(), true);
  });
  $("controls").addEventListener("submit", (event) => { event.preventDefault(); update(formState(), true); });
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.addEventListener("click", () => preset(button.dataset.preset));
  }
  $("show-chart").addEventListener("click", () => update({ ...formState(), mode: "chart" }, true));
  $("show-compare").addEventListener("click", () => update({ ...formState(), mode: "compare" }, true));
  $("period").addEventListener("change", (event) => { if (event.target.value) openPeriod(Number(event.target.value)); });
  $("statement").addEventListener("change", (event) => {
    const option = event.target.selectedOptions[0];
    if (event.target.value) openReaction(Number(event.target.value), option.text.slice(11));
  });
  $("doc-sort").addEventListener("change", () => openPeriod(Number($("drill").dataset.index)));
  $("close-drill").addEventListener("click", () => { $("drill").hidden = true; });
  $("close-reaction").addEventListener("click", () => { $("reaction").hidden = true; });
  $("download-png").addEventListener("click", () =>
    Plotly.downloadImage($("chart"), { format: "png", filename: `ravine-${current.entity.slug}`, width: 1400, height: 700 }));
  $("download-docs").addEventListener("click", downloadDocs);
  window.addEventListener("popstate", () => render(readState()));
}

document.addEventListener("DOMContentLoaded", start);
