// Why the ravine moved: beside the documents of a period, or of the periods in the chart's
// view, each voice's terms that lower and raise its mean (with their share of the pull that
// way), the words and phrases that set the days apart from the as many days before (with the
// z of their log-odds), and the documents that pull hardest each way, each a click from the
// drill-down. app.js calls showDrivers from openSpan and lends $, API, getJSON, status,
// current, drillSpan, openSpan, periodBounds and localTime; reaction.js lends
// periodDays, days, DAY_MS and number. Terms and titles are only ever set as text.
"use strict";

const DRIVER_VOICES = ["corporate", "public"];
const DRIVER_LIMIT = 5; // entries per list
let driversShown = ""; // the entity, zone and days whose drivers the panel holds

// The drivers of a span of whole local days ({ since, until }), or none (a reaction's side).
function showDrivers(range) {
  const key = range ? [current.entity.slug, current.tz, range.since, range.until].join(" ") : "";
  $("drivers").hidden = !range;
  if (key === driversShown) return;
  driversShown = key;
  if (range) {
    loadDrivers(range, key).catch((error) => {
      driversShown = "";
      $("drivers-note").textContent = "";
      status(`Could not load the drivers: ${error.message}`, "error");
    });
  }
}

async function loadDrivers(range, key) {
  $("drivers-title").textContent = `Why did it move? ${range.since} to ${range.until} (${current.tz})`;
  $("drivers-note").textContent = "Loading the drivers…";
  for (const voice of DRIVER_VOICES) $(`drivers-${voice}`).replaceChildren();
  const bodies = await Promise.all(DRIVER_VOICES.map((voice) => {
    const query = new URLSearchParams({ entity: current.entity.slug, voice, ...range, tz: current.tz,
      limit: String(DRIVER_LIMIT) });
    return getJSON(`${API}/ravine/drivers?${query}`);
  }));
  if (key !== driversShown) return; // another span was opened meanwhile
  const { since, until } = bodies[0].comparison;
  const before = days((Date.parse(until) - Date.parse(since)) / DAY_MS + 1); // reaction.js: days
  $("drivers-note").textContent = `Terms: their share of all that lowers or raises the voice's mean compound. Words and phrases: against the ${before} before (${since} to ${until}), by the z of their log-odds.`;
  for (const body of bodies) $(`drivers-${body.range.voice}`).replaceChildren(...voiceDrivers(body));
}

// A voice's heading and its six lists.
function voiceDrivers(body) {
  const { voice, documents_read: read, documents_total: total } = body.range;
  const heading = document.createElement("h4");
  const counted = read < total ? `${read.toLocaleString("en")} of ${total.toLocaleString("en")} documents read`
    : `${total.toLocaleString("en")} ${total === 1 ? "document" : "documents"}`;
  heading.append(`${voice[0].toUpperCase()}${voice.slice(1)} `, note(counted));
  const share = (term) => termEntry(term.term, `${Math.round(Math.abs(term.share) * 100)}%`);
  const z = (item) => termEntry(item.term, `z ${number(item.z, true)}`);
  const documentButton = (doc) => documentEntry(doc, voice);
  const lists = document.createElement("div");
  lists.className = "driver-lists";
  lists.append(
    driverList("Lower its mean", body.terms.negative.map(share)),
    driverList("Raise its mean", body.terms.positive.map(share)),
    driverList("More than before", body.distinctive.range.map(z)),
    driverList("Less than before", body.distinctive.comparison.map(z)),
    driverList("Pull down most", body.documents.negative.map(documentButton)),
    driverList("Pull up most", body.documents.positive.map(documentButton)),
  );
  return [heading, lists];
}

function note(text) {
  const span = document.createElement("span");
  span.className = "note";
  span.textContent = text;
  return span;
}

function driverList(title, items) {
  const block = document.createElement("div");
  const heading = document.createElement("h5");
  heading.textContent = title;
  const list = document.createElement("ol");
  list.className = "drivers";
  list.replaceChildren(...(items.length ? items : [note("none")]).map((item) => {
    const li = document.createElement("li");
    li.append(item);
    return li;
  }));
  block.append(heading, list);
  return block;
}

function termEntry(term, detail) {
  const entry = document.createDocumentFragment();
  const name = document.createElement("span");
  name.className = "term";
  name.textContent = term;
  entry.append(name, " ", note(detail));
  return entry;
}

// A document as a button: its stored compound and title; it opens the document in the
// drill-down, the drivers staying beside it and Close going back to what opened them.
function documentEntry(doc, voice) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "driver-document";
  button.textContent = `${number(doc.compound, true)} ${doc.title}`;
  button.addEventListener("click", () => openDocument(doc, voice));
  return button;
}

// The drill-down of the document's moment: from its published_at to the next millisecond
// (a Date keeps milliseconds, so the next one is after it whatever its microseconds).
async function openDocument(doc, voice) {
  const until = new Date(Date.parse(doc.published_at) + 1).toISOString();
  await openSpan({ ...drillSpan, title: `Documents of ${localTime(doc.published_at)} (${current.tz}): “${doc.title}”`,
    since: doc.published_at, until, counts: { [voice]: 1 }, name: `document-${doc.id}` });
  $(`docs-${voice}`).scrollIntoView({ block: "nearest" });
}

// The periods the chart's x axis shows now (its zoom), in the drill-down with their drivers.
function openRange() {
  const [from, to] = $("chart").layout.xaxis.range.map((x) => String(x).slice(0, 10));
  const shown = current.periods.map((_, i) => i)
    .filter((i) => periodDays(i).until >= from && periodDays(i).since <= to);
  if (!shown.length) return status("No period is in view: zoom out, then ask again.", "error");
  const [first, last] = [shown[0], shown[shown.length - 1]];
  const range = { since: periodDays(first).since, until: periodDays(last).until };
  const sum = (voice) => shown.reduce((total, i) => total + current.counts[voice][i], 0);
  return openSpan({ title: `Documents of ${range.since} to ${range.until} (${current.tz})`,
    since: periodBounds(first)[0], until: periodBounds(last)[1], days: range,
    counts: { corporate: sum("corporate"), public: sum("public") },
    name: `${current.periods[first]}-to-${current.periods[last]}`, opener: $("why-range") });
}

document.addEventListener("DOMContentLoaded", () => $("why-range").addEventListener("click", openRange));
