'use strict';
// Writes the benchmark queries, reproducibly: "start_epoch,duration_seconds"
// lines. Starts: uniform over every second of 2026-01-01T00:00:00Z ..
// 2027-12-31T23:59:59Z (tickets arrive at any time, also nights and
// weekends). Durations: whole minutes (SLA targets are set in minutes or
// hours): half the queries draw uniformly from 1 minute .. 5 business days
// (2,400 min), half from the targets help desks typically set (15 min .. 5
// business days), which land on window ends more often.
// Usage: node gen_queries.js [count] [seed] > queries.csv
const count = Number(process.argv[2] || 100000);
let seed = Number(process.argv[3] || 20260101) >>> 0;

// mulberry32: tiny, seedable, good enough for test data.
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1)); // inclusive

const FROM = Date.UTC(2026, 0, 1) / 1000;
const TO = Date.UTC(2028, 0, 1) / 1000 - 1;
const TYPICAL_MIN = [15, 30, 60, 120, 240, 480, 960, 1440, 2400];
const out = [];
for (let i = 0; i < count; i++) {
  const start = randInt(FROM, TO);
  const minutes = random() < 0.5 ? randInt(1, 2400) : TYPICAL_MIN[randInt(0, TYPICAL_MIN.length - 1)];
  out.push(`${start},${minutes * 60}`);
}
process.stdout.write(out.join('\n') + '\n');
