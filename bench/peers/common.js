'use strict';
// Shared by the Node drivers: reading the bench calendar and the queries,
// writing answers, and timing only the computation (process.hrtime).
const fs = require('fs');

const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function loadCalendar(file) {
  const cal = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (cal.time_zone !== process.env.TZ) {
    throw new Error(`run with TZ=${cal.time_zone} (the peers use the process zone), got TZ=${process.env.TZ}`);
  }
  // weekly[d] = [[startMinutes, endMinutes], ...] indexed 0=Sunday like Date#getDay.
  const weekly = DAY_KEYS.map((k) => (cal.weekly[k] || []).map(([s, e]) => [toMin(s), toMin(e)]));
  const holidays = cal.holidays.map((h) => (typeof h === 'string' ? h : h.date));
  return { raw: cal, weekly, holidays };
}

function toMin(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

// queries.csv: "start_epoch,duration_seconds" per line.
function loadQueries(file, limit) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const n = Math.min(lines.length, limit || Infinity);
  const starts = new Array(n);
  const durations = new Array(n);
  for (let i = 0; i < n; i++) {
    const [s, d] = lines[i].split(',');
    starts[i] = Number(s);
    durations[i] = Number(d);
  }
  return { starts, durations };
}

function parseArgs(argv) {
  const args = {};
  for (let i = 2; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['calendar', 'queries', 'out']) {
    if (!args[k]) throw new Error(`missing --${k}`);
  }
  return args;
}

// Runs fn(i) for every query, timing only the loop; writes one epoch a line.
function timeAndWrite(name, n, fn, outFile) {
  const answers = new Array(n);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) answers[i] = fn(i);
  const t1 = process.hrtime.bigint();
  fs.writeFileSync(outFile, answers.join('\n') + '\n');
  const seconds = Number(t1 - t0) / 1e9;
  process.stdout.write(JSON.stringify({ peer: name, queries: n, seconds }) + '\n');
}

module.exports = { loadCalendar, loadQueries, parseArgs, timeAndWrite, DAY_KEYS };
