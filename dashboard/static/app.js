// Ravine dashboard: the whole view lives in the URL, so any view can be bookmarked and shared.
// Text from documents is only ever set with textContent: it is shown, never run.
"use strict";

const API = "/api/v1";
const FIELDS = ["entity", "since", "until", "freq", "corporate_window", "metric", "min_n", "smooth", "tz", "view", "mode", "compare"];
const DEFAULTS = { freq: "day", corporate_window: "0", metric: "compound", min_n: "5", smooth: "1", tz: "UTC", view: "raw", mode: "chart" };
const SERIES_KEYS = ["since", "until", "freq", "corporate_window", "metric", "min_n", "smooth", "tz", "view"];
const WINDOWS = [7, 14, 30, 60, 90, 180, 365]; // the corporate window's choices, in days
const PAGE = 500; // documents per voice and page in the drill-down
const $ = (id) => document.getElementById(id);
let current = null; // the figure response now shown
let drillRows = { corporate: [], public: [] };
let drillSpan = null; // what the drill-down shows (openSpan)

function readState() {
  const params = new URLSearchParams(location.search);
  const state = { ...DEFAULTS };
  for (const key of FIELDS) if (params.get(key)) state[key] = params.get(key);
  state.chosen = new Set(FIELDS.filter((key) => params.get(key))); // what the URL fixes
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
    freq: $("freq").value, corporate_window: $("corporate_window").value, metric: $("metric").value, min_n: $("min_n").value || "5",
    smooth: $("smooth").value || "1",
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
  $("corporate_window").value = state.corporate_window;
  $("corporate_window").disabled = state.view === "baseline"; // a window of z-scores means nothing
  $("metric").value = state.metric;
  $("min_n").value = state.min_n;
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
  for (const key of SERIES_KEYS) {
    if (state[key] && !(key === "corporate_window" && state.view === "baseline")) params.set(key, state[key]);
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
    option.label = [e.name, ...e.aliases].join(" · ");
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
    setChartActions(true);
    status(state.note || "");
  } catch (error) {
    setChartActions(false);
    if (state.mode !== "compare" && window.Plotly) Plotly.purge($("chart"));
    status(`Could not load the chart: ${plainWords(error.message)}`, "error");
  }
}

// The API's problems name its endpoints; a person at the dashboard is told what to do here.
function plainWords(message) {
  return message.replace(/; GET \/api\/v1\/entities lists them/, ": pick one from the entity list");
}

// Downloads and drill-downs are offered only while a chart is shown.
function setChartActions(enabled) {
  for (const id of ["download-png", "period", "statement", "why-range"]) $(id).disabled = !enabled;
  const csv = $("download-csv");
  if (enabled) csv.removeAttribute("aria-disabled");
  else { csv.removeAttribute("href"); csv.setAttribute("aria-disabled", "true"); }
}

// An entity typed as its slug, display name or any alias (case aside); null if none matches.
function findEntity(text) {
  const wanted = text.trim().toLowerCase();
  return entityCache.find((e) => [e.slug, e.name, ...e.aliases].some((n) => n.toLowerCase() === wanted)) || null;
}

// The view that fits an entity's data, for the first screen and "all". Statements are sparse
// and posts dense, so the range is where the public speaks (or the statements, without one),
// the period the finest at which the public has comfortably more than min_n documents on
// average (and no more periods than the chart can draw three pixels apart: weeks, not days, for
// a year on a phone), and when the statements are too few for that period, the corporate voice
// pools its trailing days: the shortest window that holds comfortably more than min_n of them,
// so the ravine is defined wherever the public is.
function fitView(state, entity) {
  const dense = entity.public.scored > 0 ? entity.public : entity.corporate;
  if (!dense.first) return state;
  const fitted = { ...state, since: dense.first.slice(0, 10), until: dense.last.slice(0, 10) };
  const chosen = state.chosen || new Set();
  const minN = Number(fitted.min_n) || 5;
  const comfortable = 1.5 * minN;
  const span = (first, last) => (Date.parse(last.slice(0, 10)) - Date.parse(first.slice(0, 10))) / 86400000 + 1;
  const days = span(fitted.since, fitted.until);
  const lengths = { day: 1, week: 7, month: 30 };
  const notes = [];
  if (!chosen.has("freq")) { // a period the URL names is kept
    const most = Math.max(30, Math.floor(($("chart").clientWidth || 1200) / 3));
    const filled = (freq) => dense.scored / (days / lengths[freq]) >= comfortable;
    const drawable = (freq) => days / lengths[freq] <= most;
    fitted.freq = ["day", "week"].find((freq) => filled(freq) && drawable(freq)) || "month";
    if (fitted.freq !== "day") {
      const finer = fitted.freq === "week" ? "days" : "weeks";
      const why = filled(finer.slice(0, -1)) ? `${finer} would be too many to draw apart on this screen`
        : `${finer} would mostly hold fewer than ${minN} posts`;
      notes.push(`Showing every ${fitted.freq}: ${why}.`);
    }
  }
  const statements = entity.corporate;
  if (!chosen.has("corporate_window") && statements.scored > 0 && dense !== statements) {
    const perDay = statements.scored / span(statements.first, statements.last);
    const length = lengths[fitted.freq];
    const window = perDay * length >= comfortable ? 0
      : WINDOWS.find((w) => w >= length && perDay * w >= comfortable) || WINDOWS[WINDOWS.length - 1];
    fitted.corporate_window = String(window);
    if (window) notes.push(`The corporate line pools each ${fitted.freq}'s trailing ${window} days of statements: there are too few a ${fitted.freq} to stand alone.`);
  }
  if (notes.length) fitted.note = notes.join(" ");
  return fitted;
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
  if (state.mode === "compare" || !state.entity || !(state.since || state.until)) return null;
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
  body.tz = body.tz || state.tz;
  current = body;
  titlePeriods(body.figure.data);
  const chart = $("chart");
  const layout = { ...body.figure.layout };
  if (chart.clientWidth < 600) { // a phone: the legend wraps to three rows above the plot
    layout.margin = { ...layout.margin, t: 110, l: 56, r: 44 };
    layout.legend = { ...layout.legend, yanchor: "bottom", y: 1.01 };
  }
  fitDiamonds(body.figure.data, chart.clientWidth - layout.margin.l - layout.margin.r); // reaction.js
  await Plotly.react(chart, body.figure.data, layout, {
    responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"],
  });
  chart.dataset.entity = body.entity.slug;
  chart.dataset.points = String(body.periods.length);
  if (!chart.dataset.bound) {
    chart.on("plotly_click", onChartClick);
    chart.dataset.bound = "1";
  }
  $("legend-note").textContent = body.caption;
  listEvents(body.annotations);
  listAlerts(body.alerts);
  $("since").value = body.since;
  $("until").value = body.until;
  fillDataTable(body);
  $("download-csv").href = `${API}/ravine?${seriesQuery(state, { entity: body.entity.slug, format: "csv" })}`;
  body.counts = periodCounts(body);
  const counts = body.counts;
  const open = body.periods.map((p, i) => i).filter((i) => counts.corporate[i] + counts.public[i] > 0);
  $("period").replaceChildren(new Option(open.length ? "choose…" : "none has documents", ""),
    ...open.map((i) => new Option(`${periodTitle(i)} (${counts.corporate[i] + counts.public[i]})`, String(i))));
  listStatements(body); // reaction.js: fills the Statement list once the chart is drawn
}

// The annotations the chart marks (dashboard/events.py), listed with their days and links.
function listEvents(annotations) {
  const items = annotations.map((annotation) => {
    const item = document.createElement("li");
    item.append(`${annotation.date}${annotation.end_date ? ` – ${annotation.end_date}` : ""} `);
    if (annotation.url) {
      const link = document.createElement("a");
      link.href = annotation.url; // http or https only: the API refuses any other
      link.rel = "noopener noreferrer";
      link.textContent = annotation.label;
      item.append(link);
    } else item.append(annotation.label);
    return item;
  });
  showList("events", "event-list", items);
}

// The alert events the chart marks (dashboard/alert_marks.py): day, what happened, the rule.
// Their texts come from the data: appended as text, never parsed as HTML.
function listAlerts(alerts) {
  const items = alerts.map((alert) => {
    const item = document.createElement("li");
    const rule = document.createElement("span");
    rule.className = "note";
    rule.textContent = `(rule ${alert.rule})`;
    item.append(`${alert.day}: ${alert.detail} `, rule);
    return item;
  });
  showList("alerts", "alert-list", items);
}

// A list under the chart, shown only when it has items.
function showList(sectionId, listId, items) {
  $(listId).replaceChildren(...items);
  $(sectionId).hidden = items.length === 0;
}

function onChartClick(event) {
  const point = event.points && event.points[0];
  if (!point) return;
  const index = current.periods.indexOf(String(point.x).slice(0, current.periods[0].length));
  if (index < 0) return;
  if ((point.data.meta || {}).role === "statements") openStatements(index); // reaction.js
  else openPeriod(index);
}

// Documents per voice and period, from the figure's volume bars.
function periodCounts(body) {
  const counts = {};
  for (const voice of ["corporate", "public"]) {
    const bars = body.figure.data.find((t) => t.meta && t.meta.role === "volume" && t.meta.voice === voice);
    counts[voice] = body.periods.map((_, i) => (bars && bars.y[i]) || 0);
  }
  return counts;
}

// A period as a person reads it: a day, a week's first and last day, or a month, in the
// chart's time zone.
function periodTitle(index) {
  const label = current.periods[index];
  if (current.freq === "week") {
    const last = new Date(utcDay(label, 0, 6)).toISOString().slice(0, 10);
    return `${label} to ${last}`;
  }
  if (current.freq === "month") {
    return new Date(utcDay(label)).toLocaleDateString("en", { month: "long", year: "numeric", timeZone: "UTC" });
  }
  return label;
}

// A week or month hovers as a reader names it ("2025-03-10 to 2025-03-16", "March 2025"),
// not as its first day: each trace drawn per period gets the titles as its hovertext, which
// none of them uses (gap markers keep their reason in text; the diamonds keep their own
// hovertext, the titles of their statements).
function titlePeriods(data) {
  if (current.freq === "day") return;
  const titles = current.periods.map((_, i) => periodTitle(i));
  for (const trace of data) {
    if (!trace.meta || !["voice", "gap", "volume", "ravine"].includes(trace.meta.role)) continue;
    trace.hovertext = titles;
    trace.hovertemplate = trace.hovertemplate.replace("%{x}", "%{hovertext}");
  }
}

function localTime(iso) {
  const format = new Intl.DateTimeFormat("sv-SE", {
    timeZone: current.tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
  return format.format(new Date(iso));
}

function openPeriod(index) {
  const [since, until] = periodBounds(index);
  const counts = { corporate: current.counts.corporate[index], public: current.counts.public[index] };
  return openSpan({ title: `Documents of ${periodTitle(index)} (${current.tz})`, since, until, counts,
    name: current.periods[index], opener: $("period"), days: periodDays(index) }); // reaction.js: periodDays
}

// The documents of both voices in the UTC span [since, until) in the drill-down: a period's,
// or a side of a statement's reaction window. `counts` are the scored documents per voice
// (as far as known), `name` names its CSV and `opener` takes the focus back on Close; a span
// of whole local `days` ({ since, until }) shows why it moved beside its documents.
async function openSpan(span) {
  showDrivers(span.days); // drivers.js
  drillSpan = span;
  const drill = $("drill");
  drill.hidden = false;
  $("drill-title").textContent = span.title;
  $("drill-title").focus();
  drill.scrollIntoView({ block: "start" });
  const [sort, order] = $("doc-sort").value.split(":");
  status("Loading documents…", "loading");
  try {
    for (const voice of ["corporate", "public"]) {
      drillRows[voice] = [];
      const query = new URLSearchParams({ entity: current.entity.slug, voice, since: span.since, until: span.until,
        sort, order, limit: String(PAGE) });
      await loadPage(voice, query, span.counts[voice] || 0);
    }
    status("");
  } catch (error) {
    status(`Could not load documents: ${error.message}`, "error");
  }
}

// One page of a voice's documents, appended; "More" asks for the next from its cursor.
async function loadPage(voice, query, scored) {
  const { items, next_cursor: next } = await getJSON(`${API}/documents?${query}`);
  drillRows[voice].push(...items);
  fillTable($(`docs-${voice}`), drillRows[voice]);
  const shown = drillRows[voice].length;
  const more = $(`more-${voice}`);
  more.hidden = !next;
  $(`count-${voice}`).textContent = next
    ? `${shown.toLocaleString("en")} of ${Math.max(scored, shown).toLocaleString("en")}${scored > shown ? " scored" : "+"}`
    : `${shown.toLocaleString("en")} ${shown === 1 ? "document" : "documents"}`;
  more.onclick = () => {
    query.set("cursor", next);
    loadPage(voice, query, scored).catch((error) => status(`Could not load documents: ${error.message}`, "error"));
  };
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
  for (const name of [`time (${current.tz})`, "score", "author", "source", "text"]) {
    const th = document.createElement("th");
    th.textContent = name;
    th.scope = "col";
    head.append(th);
  }
  const rows = items.map((doc) => {
    const tr = document.createElement("tr");
    cell(tr, localTime(doc.published_at));
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

async function renderCompare(state) {
  const body = await getJSON(`${API}/compare?${seriesQuery(state, { entities: state.compare })}`);
  const styles = ["solid", "dash", "dot", "dashdot", "longdash"];
  // Not the voices' orange and blue: here a colour is a company.
  const colours = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#1b1b1b", "#8c6d31"];
  const nameOf = (slug) => (entityCache.find((e) => e.slug === slug) || { name: slug }).name;
  const lines = body.entities.map((entry, i) => ({
    type: "scatter", mode: "lines+markers", name: nameOf(entry.entity), x: body.labels,
    y: entry.periods.map((p) => p.value),
    line: { color: colours[i % colours.length], dash: styles[i % styles.length] },
  }));
  // Each entity's 95% CI, beneath the lines, in its colour but faint: one closed polygon per
  // run [a, b] of periods with a CI, so a null period breaks the band instead of being
  // bridged. Only the lines hover; one legend entry toggles every band.
  const around = (top, bottom, runs) =>
    runs.flatMap(([a, b]) => [...top.slice(a, b + 1), ...bottom.slice(a, b + 1).reverse(), null]);
  const bands = body.entities.map((entry, i) => {
    const runs = [];
    entry.periods.forEach((p, k) => {
      if (p.ci_low === null || p.ci_high === null) return;
      const last = runs[runs.length - 1];
      if (last && last[1] === k - 1) last[1] = k;
      else runs.push([k, k]);
    });
    return {
      type: "scatter", mode: "lines", fill: "toself", line: { width: 0 }, hoverinfo: "skip",
      x: around(body.labels, body.labels, runs),
      y: around(entry.periods.map((p) => p.ci_high), entry.periods.map((p) => p.ci_low), runs),
      fillcolor: colours[i % colours.length], opacity: 0.15, name: "95% CI (shaded)",
      legendgroup: "ci", showlegend: i === 0,
    };
  });
  await Plotly.react($("compare-chart"), [...bands, ...lines], {
    margin: { t: 30 }, yaxis: { title: { text: `ravine of ${$("metric").selectedOptions[0].text} (+ = company rosier)` }, zeroline: true },
    xaxis: { type: "date" }, legend: { orientation: "h" },
  }, { responsive: true, displaylogo: false });
  const head = document.createElement("tr");
  for (const name of ["entity", "company rosier by (mean ravine)", "95% CI", "periods", "≠ 0 (FDR 5%)"]) {
    const th = document.createElement("th");
    th.textContent = name;
    head.append(th);
  }
  head.lastChild.title = "✱: the mean ravine differs from 0 at a 5% false discovery rate over the entities compared (Benjamini–Hochberg)";
  const fmt = (v) => (v === null ? "—" : v.toFixed(3));
  const tested = body.leaderboard.filter((row) => row.q_value !== null).length;
  const rows = body.leaderboard.map((row) => {
    const tr = document.createElement("tr");
    cell(tr, nameOf(row.entity));
    cell(tr, fmt(row.mean_ravine.value), "num");
    cell(tr, `${fmt(row.mean_ravine.ci_low)} to ${fmt(row.mean_ravine.ci_high)}`, "num");
    cell(tr, String(row.periods), "num");
    cell(tr, row.discovery === null ? "—" : row.discovery ? "✱ yes" : "no").title = row.q_value === null
      ? "no CI, so no test"
      : `q = ${row.q_value.toFixed(3)} (Benjamini–Hochberg over ${tested} entities): ${row.discovery ? "a discovery" : "not a discovery"} at a 5% false discovery rate`;
    return tr;
  });
  $("leaderboard").replaceChildren(head, ...rows);
}

function preset(days) {
  const state = formState();
  if (days === "all") {
    const entity = findEntity(state.entity);
    update(entity ? fitView(state, entity) : { ...state, since: "", until: "" }, true);
    return;
  }
  const end = state.until || (current && current.until) || new Date().toISOString().slice(0, 10);
  const start = new Date(`${end}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - Number(days) + 1);
  state.until = end;
  state.since = start.toISOString().slice(0, 10);
  update(state, true);
}

// The chart's numbers as a table, for screen readers and for copying into a slide.
function fillDataTable(body) {
  const rows = body.periods.map((label, i) => [label]);
  const traces = body.figure.data.filter((t) => t.meta && (t.meta.role === "voice" || t.meta.role === "ravine"));
  const head = ["period", ...traces.map((t) => t.name)];
  for (const trace of traces) trace.y.forEach((v, i) => rows[i] && rows[i].push(v === null ? "—" : v.toFixed(3)));
  const table = $("data-table");
  const header = document.createElement("tr");
  for (const name of head) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    header.append(th);
  }
  table.replaceChildren(header, ...rows.map((values) => {
    const tr = document.createElement("tr");
    for (const value of values) cell(tr, value);
    return tr;
  }));
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
  link.download = `documents-${current.entity.slug}-${drillSpan.name}.csv`;
  link.click();
}

let entityCache = [];
// Settled once the entity list has arrived (or failed): a name typed before then waits for it.
let entitiesSettled;
const entitiesArrived = new Promise((resolve) => { entitiesSettled = resolve; });

// Every control answers from the first moment, before the chart or the entity list arrive.
function listen() {
  $("controls").addEventListener("change", async (event) => {
    if (event.target.id === "entity") {
      await entitiesArrived; // with a chart in the URL, the list comes after the chart
      const entity = findEntity(event.target.value);
      if (!entity) return status(`No entity called "${event.target.value}": pick one from the list.`, "error");
      event.target.value = entity.slug;
    }
    update(formState(), true);
  });
  $("controls").addEventListener("submit", (event) => { event.preventDefault(); update(formState(), true); });
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.addEventListener("click", () => preset(button.dataset.preset));
  }
  $("settings-toggle").addEventListener("click", (event) => { // phones show the entity alone
    const open = $("controls").classList.toggle("open");
    event.target.setAttribute("aria-expanded", String(open));
    event.target.textContent = open ? "Fewer settings" : "More settings";
  });
  $("show-chart").addEventListener("click", () => update({ ...formState(), mode: "chart" }, true));
  $("show-compare").addEventListener("click", () => update({ ...formState(), mode: "compare" }, true));
  $("period").addEventListener("change", (event) => { if (event.target.value) openPeriod(Number(event.target.value)); });
  $("statement").addEventListener("change", (event) => chooseStatement(event.target.value)); // reaction.js
  $("doc-sort").addEventListener("change", () => openSpan(drillSpan));
  $("close-drill").addEventListener("click", () => { $("drill").hidden = true; $("period").value = ""; drillSpan.opener.focus(); });
  $("close-reaction").addEventListener("click", closeReaction); // reaction.js
  $("download-png").addEventListener("click", () =>
    Plotly.downloadImage($("chart"), { format: "png", filename: `ravine-${current.entity.slug}`, width: 1400, height: 700 }));
  $("download-docs").addEventListener("click", downloadDocs);
  window.addEventListener("popstate", () => render(readState()));
}

async function start() {
  listen();
  const state = readState();
  // With an entity and a range in the URL the chart comes first: the entity list (for the
  // search box and fitting a view) is asked for once the chart is drawn, so it never competes.
  const early = state.entity && (state.since || state.until) ? render(state) : null;
  await early;
  try {
    entityCache = await loadEntities();
  } catch (error) {
    status(`Could not reach the API: ${error.message}`, "error");
    return;
  } finally {
    entitiesSettled();
  }
  if (!entityCache.length || entityCache.every((e) => !e.corporate.documents && !e.public.documents)) {
    $("guide").hidden = false;
    $("chart-view").hidden = true;
    status("The database has no documents yet.");
    return;
  }
  if (!early) {
    // Without one in the URL, the entity with the most to show.
    const busiest = entityCache.reduce((a, b) =>
      (b.corporate.documents + b.public.documents > a.corporate.documents + a.public.documents ? b : a));
    const entity = state.entity ? findEntity(state.entity) : busiest;
    const fitted = entity ? fitView({ ...state, entity: entity.slug }, entity) : state;
    writeState(fitted, false);
    render(fitted);
  }
}

document.addEventListener("DOMContentLoaded", start);
