// The public's reaction to a corporate statement: its mean in the days before and after the
// statement, each with its 95% CI, as a small chart and one plain sentence, over a window the
// analyst picks, with the posts of either side a click away in the drill-down.
// app.js calls listStatements, openStatements, chooseStatement and closeReaction, and lends its
// helpers ($, API, getJSON, seriesQuery, readState, status, localTime, periodDates, utcDay,
// periodTitle, openSpan) and `current`, the figure shown. Titles are only ever set as text.
"use strict";

const DAY_MS = 86400000;
const SIDES = ["before", "after"];
const reaction = {
  listed: [], // the statements the Statement list offers, with their reactions at `days`
  days: 3, // the window they were asked for
  total: 0, // the statements of `span`, of which `listed` may be only the first page
  span: null, // the local days they come from: { since, until }
  shown: null, // the statement in the panel
  asked: 0, // the latest listing asked for: an older answer arriving late is dropped
};

const days = (n) => `${n} ${n === 1 ? "day" : "days"}`;

// Diamonds no wider than their periods, and their counts beneath them only where a period has
// room for the digits: a year of days on a phone stays a row of marks, not a blur.
function fitDiamonds(data, plotWidth) {
  const diamonds = data.find((t) => t.meta && t.meta.role === "statements");
  if (!diamonds) return;
  const room = plotWidth / current.periods.length; // px per period
  const widest = Math.max(6, Math.floor(room));
  diamonds.marker = { ...diamonds.marker, size: diamonds.marker.size.map((size) => Math.min(size, widest)) };
  if (room < 16) diamonds.mode = "markers";
}

// The local days a period covers, as the reactions API takes them.
function periodDays(index) {
  const [label, next] = periodDates(current.periods[index], 2, current.freq);
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  return { since: iso(utcDay(label)), until: iso(utcDay(next, 0, -1)) };
}

// Every statement in `span` with its reaction at the chosen window, kept as the listed ones.
// Null when a later listing was asked for meanwhile.
async function loadReactions(span) {
  const asked = ++reaction.asked;
  const windowDays = $("reaction-window").value;
  const query = seriesQuery(readState(), { entity: current.entity.slug, ...span, window_days: windowDays });
  const body = await getJSON(`${API}/ravine/reactions?${query}`);
  if (asked !== reaction.asked) return null;
  Object.assign(reaction, { listed: body.reactions, days: body.window_days, span, total: body.total });
  return body.reactions;
}

// A statement after which the public changed, at a 5% false discovery rate over those listed,
// is marked ✱ (the hint beside the list says so).
function fillChoices(items, prompt, extra = []) {
  const options = items.map((r) => new Option(`${localTime(r.published_at)} · ${r.title}${r.discovery ? " ✱" : ""}`, String(r.id)));
  $("statement").replaceChildren(new Option(prompt, ""), ...options, ...extra);
}

// The Statement list: every statement in the chart's periods, at its local time, by name. The
// API's first page holds 500, and says how many there are; a diamond lists its own period's.
async function listStatements(body) {
  const diamonds = body.figure.data.find((t) => t.meta && t.meta.role === "statements");
  const total = diamonds ? diamonds.customdata.reduce((sum, n) => sum + n, 0) : 0;
  const span = { since: periodDays(0).since, until: periodDays(body.periods.length - 1).until };
  fillChoices([], total ? "loading statements…" : "none in range");
  if (!total) {
    ++reaction.asked;
    return closeReaction(false);
  }
  try {
    const items = await loadReactions(span);
    if (!items) return;
    const prompt = items.length < reaction.total
      ? `choose… (the first ${items.length} of ${reaction.total}; a diamond lists its period's)`
      : `choose one of ${items.length}…`;
    fillChoices(items, prompt);
    const still = items.find((r) => r.id === reaction.shown);
    if (still) drawReaction(still);
    else closeReaction(false);
  } catch (error) {
    fillChoices([], "could not list the statements");
    status(`Could not list the statements: ${error.message}`, "error");
  }
}

// A diamond: the Statement list offers its period's statements (and a way back to all of
// them); with one, its reaction opens, with several, the list takes the focus.
async function openStatements(index) {
  status("Loading statements…", "loading");
  try {
    const items = await loadReactions(periodDays(index));
    if (!items) return;
    status("");
    const title = periodTitle(index);
    fillChoices(items, `choose one of ${items.length} (${title})…`, [new Option("all statements of the chart", "all")]);
    if (items.length === 1) return showReaction(items[0].id);
    $("statement").focus();
    status(`${items.length} statements in ${title}: choose one from the Statement list.`);
  } catch (error) {
    status(`Could not load the statements: ${error.message}`, "error");
  }
}

function chooseStatement(value) {
  if (value === "all") listStatements(current).then(() => $("statement").focus());
  else if (value) showReaction(Number(value));
}

function showReaction(id) {
  const item = reaction.listed.find((r) => r.id === id);
  if (!item) return;
  drawReaction(item);
  const panel = $("reaction");
  $("reaction-title").focus();
  panel.scrollIntoView({ block: "start" });
}

function closeReaction(focus = true) {
  $("reaction").hidden = true;
  reaction.shown = null;
  $("statement").value = "";
  if (focus) $("statement").focus();
}

// A number as the page writes them: 3 decimals, a true minus sign, "+" when asked.
function number(value, plus = false) {
  const digits = Math.abs(value).toFixed(3);
  if (Number(digits) === 0) return digits;
  return (value < 0 ? "−" : plus ? "+" : "") + digits;
}

// The reaction in one plain sentence, in the words of the metric's direction.
function reactionSentence(item) {
  const side = days(reaction.days);
  if (item.change === null) return `No comparison of the ${side} before and after: ${item.null_reason}.`;
  const moved = `the ${current.metric_label} went from ${number(item.before_value)} to ${number(item.after_value)}`;
  if (item.change_ci_low === null) {
    return `Over the ${side} either side ${moved} (${number(item.change, true)}), with no CI: ${item.null_reason}.`;
  }
  const change = `${number(item.change, true)} (95% CI ${number(item.change_ci_low, true)} to ${number(item.change_ci_high, true)})`;
  if (item.change_ci_low <= 0 && item.change_ci_high >= 0) {
    return `In the ${side} after the statement the public sounded much as in the ${side} before: ${moved}, a change of ${change}, which includes no change.`;
  }
  const sign = current.direction === "higher_is_rosier" ? 1 : -1;
  const mood = sign * item.change > 0 ? "rosier" : "gloomier";
  return `In the ${side} after the statement the public sounded ${mood} than in the ${side} before: ${moved}, a change of ${change}.`;
}

// Whether the change is a discovery among the statements listed: the API adjusts over the
// reactions of its answer (Benjamini–Hochberg), so the family is what the list holds.
function discoveryNote(item) {
  if (item.q_value === null) return "";
  const family = reaction.listed.filter((r) => r.q_value !== null).length;
  const verdict = item.discovery ? "✱ a discovery" : "not a discovery";
  return ` Among the ${family} ${family === 1 ? "statement" : "statements"} listed with a comparison, this change is ${verdict} at a 5% false discovery rate (Benjamini–Hochberg q = ${item.q_value.toFixed(3)}).`;
}

// A side of the window as the reactions API pooled it, [t − w, t) before and [t, t + w) after
// to the microsecond (a Date keeps milliseconds: the digits below them are carried over), so
// the documents listed are those counted.
function sideBounds(item, side) {
  const at = Date.parse(item.published_at);
  const micros = (item.published_at.match(/\.\d{3}(\d{3})Z$/) || [null, "000"])[1];
  const [from, to] = side === "before" ? [at - reaction.days * DAY_MS, at] : [at, at + reaction.days * DAY_MS];
  const exact = (ms) => new Date(ms).toISOString()
    .replace(/\.(\d{3})Z$/, (_, milli) => (milli + micros === "000000" ? "Z" : `.${milli}${micros}Z`));
  return [exact(from), exact(to)];
}

function openSide(item, side) {
  const [since, until] = sideBounds(item, side);
  openSpan({
    title: `Documents of ${localTime(since)} to ${localTime(until)} (${current.tz}): the ${days(reaction.days)} ${side} “${item.title}”`,
    since, until, counts: { public: item[`${side}_n`] }, name: `${side}-statement-${item.id}`, opener: $(`reaction-${side}`),
  });
}

function drawReaction(item) {
  reaction.shown = item.id;
  $("statement").value = String(item.id);
  $("reaction").hidden = false;
  $("reaction-title").textContent = `Public reaction to: ${item.title}`;
  $("reaction-when").textContent = `Published ${localTime(item.published_at)} (${current.tz}). The public's ${current.metric_label} in the ${days(reaction.days)} before and after it, with 95% CIs.`;
  $("reaction-body").textContent = reactionSentence(item) + discoveryNote(item);
  for (const side of SIDES) {
    $(`reaction-${side}`).textContent = `Read the posts of the ${days(reaction.days)} ${side} (${item[`${side}_n`].toLocaleString("en")})`;
    $(`reaction-${side}`).onclick = () => openSide(item, side);
  }
  const value = (side) => item[`${side}_value`];
  const reach = (side, bound, sign) => (item[`${side}_${bound}`] === null ? null : sign * (item[`${side}_${bound}`] - value(side)));
  const publicLine = current.figure.data.find((t) => t.meta && t.meta.role === "voice" && t.meta.voice === "public");
  const colour = publicLine.line.color;
  const higher = current.direction === "higher_is_rosier" ? "rosier" : "gloomier";
  const trace = {
    type: "scatter", mode: "markers", x: SIDES, y: SIDES.map(value),
    marker: { size: 11, symbol: "square", color: colour },
    error_y: { type: "data", symmetric: false, array: SIDES.map((s) => reach(s, "ci_high", 1)),
      arrayminus: SIDES.map((s) => reach(s, "ci_low", -1)), color: colour, thickness: 2, width: 10 },
    customdata: SIDES.map((s) => [item[`${s}_n`], item[`${s}_ci_low`], item[`${s}_ci_high`]]),
    hovertemplate: "%{x}: %{y:.3f}<br>95% CI %{customdata[1]:.3f} to %{customdata[2]:.3f}<br>n = %{customdata[0]}<extra></extra>",
  };
  const ticks = SIDES.map((s) => `${days(reaction.days)} ${s}<br>n = ${item[`${s}_n`].toLocaleString("en")}`);
  Plotly.react($("reaction-chart"), [trace], {
    margin: { l: 64, r: 16, t: 12, b: 52 }, showlegend: false,
    xaxis: { type: "category", tickvals: SIDES, ticktext: ticks, range: [-0.6, 1.6], fixedrange: true },
    yaxis: { title: { text: `${current.metric_label}<br>higher = ${higher}` }, zeroline: true, fixedrange: true },
  }, { responsive: true, displayModeBar: false });
}

document.addEventListener("DOMContentLoaded", () => {
  // A new window asks again for the statements listed, and redraws the one shown.
  $("reaction-window").addEventListener("change", async () => {
    if (!reaction.span) return;
    try {
      const items = await loadReactions(reaction.span);
      const item = items && items.find((r) => r.id === reaction.shown);
      if (item) drawReaction(item);
    } catch (error) {
      status(`Could not load the reactions: ${error.message}`, "error");
    }
  });
});
