'use strict';
// Compares each peer's answers with sladesk's, classifies every difference,
// and prints the summary table (Markdown) from the timing runs.
//
// Classification replays the query on a small independent model of the
// calendar (windows built from calendar.json with the process zone, run with
// TZ=Europe/Berlin) in variants, and names the first variant that reproduces
// the peer's answer:
//   closing-time  an add that uses up the time exactly at a window end gives
//                 the next opening (Tue 09:00) instead of the end (Mon 17:00)
//   minute        whole minutes only: the part-minute left before a closing
//                 (e.g. 16:59:30-17:00) is dropped
//   holidays      holidays ignored
//   dst           the answer is off by exactly one hour and the query spans
//                 a DST change
//   other         none of these (examples are printed)
// The model with no variant must reproduce sladesk exactly (an independent
// check of sladesk; its mismatches are printed too).
// Usage: TZ=Europe/Berlin node compare.js --work DIR --calendar F
const fs = require('fs');
const path = require('path');
const { loadCalendar, loadQueries } = require('./common');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const work = args.work;
const cal = loadCalendar(args.calendar);
const q = loadQueries(path.join(work, 'queries.csv'));
const N = q.starts.length;

// ---- the model ------------------------------------------------------------
function windowsFor(useHolidays) {
  const holidays = new Set(useHolidays ? cal.holidays : []);
  const out = [];
  // From a week before the first query to well after the last answer.
  const first = new Date(2025, 11, 20);
  const last = new Date(2028, 2, 31);
  for (let d = new Date(first); d <= last; d.setDate(d.getDate() + 1)) {
    const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    if (holidays.has(iso)) continue;
    for (const [s, e] of cal.weekly[d.getDay()]) {
      const ws = new Date(d.getFullYear(), d.getMonth(), d.getDate(), Math.floor(s / 60), s % 60).getTime() / 1000;
      const we = new Date(d.getFullYear(), d.getMonth(), d.getDate(), Math.floor(e / 60), e % 60).getTime() / 1000;
      out.push([ws, we]);
    }
  }
  return out;
}
const W_HOL = windowsFor(true);
const W_NOHOL = windowsFor(false);

function model(s, d, { closeNext = false, wholeMinutes = false, holidays = true } = {}) {
  const W = holidays ? W_HOL : W_NOHOL;
  if (d === 0) return s;
  let lo = 0;
  let hi = W.length;
  while (lo < hi) { // first window ending after s
    const mid = (lo + hi) >> 1;
    if (W[mid][1] > s) hi = mid; else lo = mid + 1;
  }
  let rem = d;
  for (let i = lo; i < W.length; i++) {
    const from = Math.max(s, W[i][0]);
    let avail = W[i][1] - from;
    if (wholeMinutes) avail = Math.floor(avail / 60) * 60;
    if (rem < avail) return from + rem;
    if (rem === avail) return closeNext && i + 1 < W.length ? W[i + 1][0] : from + rem;
    rem -= avail;
  }
  return NaN;
}

const VARIANTS = [
  ['closing-time', [{ closeNext: true }]],
  ['minute', [{ wholeMinutes: true }, { wholeMinutes: true, closeNext: true }]],
  ['holidays', [{ holidays: false }, { holidays: false, closeNext: true },
    { holidays: false, wholeMinutes: true }, { holidays: false, wholeMinutes: true, closeNext: true }]],
];
function offsetAt(t) { return -new Date(t * 1000).getTimezoneOffset(); }

function classify(i, peer, ref) {
  const s = q.starts[i];
  const d = q.durations[i];
  for (const [name, opts] of VARIANTS) {
    if (opts.some((o) => model(s, d, o) === peer)) return name;
  }
  if (Math.abs(peer - ref) === 3600 && offsetAt(s) !== offsetAt(Math.max(peer, ref))) return 'dst';
  return 'other';
}

// ---- answers --------------------------------------------------------------
function readAnswers(file) {
  if (!fs.existsSync(file)) return null;
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length).map(Number);
}
const iso = (t) => new Date(t * 1000).toISOString().replace('.000', '');
const DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n) => String(n).padStart(2, '0');
const local = (t) => {
  const d = new Date(t * 1000);
  return `${DOW[d.getDay()]} ${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
};

const sladesk = readAnswers(path.join(work, 'sladesk.out'));
if (!sladesk || sladesk.length !== N) throw new Error(`sladesk.out has ${sladesk && sladesk.length} answers for ${N} queries`);
let modelMismatch = 0;
for (let i = 0; i < N; i++) {
  const m = model(q.starts[i], q.durations[i]);
  if (m !== sladesk[i]) {
    if (++modelMismatch <= 5) {
      console.log(`model/sladesk mismatch #${i}: ${iso(q.starts[i])} + ${q.durations[i]} s: sladesk ${iso(sladesk[i])}, model ${iso(m)}`);
    }
  }
}

// ---- timings: median of the runs --------------------------------------------
const runs = fs.readFileSync(path.join(work, 'timings.jsonl'), 'utf8').split('\n').filter(Boolean).map(JSON.parse);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
function timing(peer) {
  const rs = runs.filter((r) => r.peer === peer);
  if (!rs.length) return null;
  const xs = rs.map((r) => r.seconds);
  return { queries: rs[0].queries, seconds: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: rs.length };
}
const secs = (t, digits) => `${t.seconds.toFixed(digits)} (${t.min.toFixed(digits)}–${t.max.toFixed(digits)})`;
const sladeskT = timing('sladesk');
const startupT = timing('sladesk-startup');
const loopT = timing('sladesk-loop');
// Like for like: the peers time their computation loop, sladesk its batch
// loop (`--stats`: reading and parsing the lines, computing, formatting and
// writing the answers, which the peers' loops leave out, so the ratio still
// favours the peers). The whole process (start-up and calendar load too) is
// shown beside it.
const sladeskRate = sladeskT.queries / sladeskT.seconds;
const loopRate = loopT ? loopT.queries / loopT.seconds : sladeskRate;
const sladeskNet = Math.max(sladeskT.seconds - (startupT ? startupT.seconds : 0), 1e-9);

const PEERS = [
  ['Business::Hours', 'business_hours.out', 'Business::Hours 0.13 (Perl; RT)'],
  ['moment-business-time', 'moment.out', 'moment-business-time 2.0.0 (Node)'],
  ['dayjs-business-time', 'dayjs.out', 'dayjs-business-time 1.0.4 (Node)'],
];
const CATS = ['closing-time', 'minute', 'holidays', 'dst', 'other'];
const rows = [];
rows.push(['implementation', 'queries', 'seconds, median (min–max)', 'queries/s',
  'sladesk loop is x faster', 'sladesk whole process is x faster', 'differ', ...CATS]);
if (loopT) {
  rows.push([`sladesk (calendar add --batch, its loop: --stats)`, loopT.queries.toLocaleString('en-US'), secs(loopT, 4),
    Math.round(loopRate).toLocaleString('en-US'), '1', '-', '-', ...CATS.map(() => '-')]);
}
rows.push([`sladesk (calendar add --batch, whole process)`, sladeskT.queries.toLocaleString('en-US'), secs(sladeskT, 3),
  Math.round(sladeskRate).toLocaleString('en-US'), '-', '1', '-', ...CATS.map(() => '-')]);
const details = {};
for (const [peer, file, label] of PEERS) {
  const t = timing(peer);
  const ans = readAnswers(path.join(work, file));
  if (!t || !ans) continue;
  const counts = Object.fromEntries(CATS.map((c) => [c, 0]));
  const examples = Object.fromEntries(CATS.map((c) => [c, []]));
  let differ = 0;
  for (let i = 0; i < ans.length; i++) {
    if (ans[i] === sladesk[i]) continue;
    differ++;
    const c = classify(i, ans[i], sladesk[i]);
    counts[c]++;
    if (examples[c].length < 3) {
      examples[c].push(`#${i} ${local(q.starts[i])} + ${q.durations[i] / 60} min: ` +
        `sladesk ${local(sladesk[i])}, peer ${local(ans[i])} (Berlin time)`);
    }
  }
  const rate = t.queries / t.seconds;
  const subset = t.queries < N
    ? ` (first ${t.queries.toLocaleString('en-US')} of ${N.toLocaleString('en-US')}; all would take ~${Math.round(N / rate / 60)} min)`
    : '';
  rows.push([label, t.queries.toLocaleString('en-US') + subset, secs(t, 1),
    Math.round(rate).toLocaleString('en-US'), (loopRate / rate).toFixed(0), (sladeskRate / rate).toFixed(0),
    `${differ} (${(100 * differ / ans.length).toFixed(2)}%)`, ...CATS.map((c) => String(counts[c]))]);
  details[label] = examples;
}

const table = rows.map((r, k) => `| ${r.join(' | ')} |` + (k === 0 ? `\n|${r.map(() => '---').join('|')}|` : '')).join('\n');
console.log(`\n${N.toLocaleString('en-US')} queries, calendar ${cal.raw.id} (${cal.raw.time_zone}), ` +
  `${Math.max(...runs.map((r) => r.run || 1))} timed run(s) each (sladesk: 5 per run); medians:\n`);
console.log(table);
console.log(`\nsladesk: whole process ${sladeskT.seconds.toFixed(3)} s (median of ${sladeskT.runs}) for ` +
  `${sladeskT.queries} queries, reading and printing the lines included; an empty batch (start-up, ` +
  `calendar load) takes ${startupT ? startupT.seconds.toFixed(3) : '?'} s, so the queries alone run at about ` +
  `${Math.round(sladeskT.queries / sladeskNet).toLocaleString('en-US')}/s.`);
console.log(`independent model vs sladesk: ${modelMismatch} of ${N} answers differ`);
for (const [label, ex] of Object.entries(details)) {
  for (const c of CATS) {
    if (ex[c].length) console.log(`\n${label}, ${c}:\n  ${ex[c].join('\n  ')}`);
  }
}
fs.writeFileSync(path.join(work, 'summary.md'), table + '\n');
