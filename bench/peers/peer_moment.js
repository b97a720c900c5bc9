'use strict';
// moment-business-time: moment(start).addWorkingTime(minutes, 'minutes'),
// the way help-desk code calls it for an SLA target in minutes. The zone is
// the process zone (run with TZ=Europe/Berlin); holidays and hours go into
// the locale as the library documents.
// Usage: TZ=Europe/Berlin node peer_moment.js --calendar F --queries F --out F [--limit N]
const moment = require('moment');
require('moment-business-time');
const { loadCalendar, loadQueries, parseArgs, timeAndWrite } = require('./common');

const args = parseArgs(process.argv);
const cal = loadCalendar(args.calendar);
const pad = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
const workinghours = {};
cal.weekly.forEach((windows, dow) => {
  workinghours[dow] = windows.length ? windows.flatMap(([s, e]) => [pad(s), pad(e)]) : null;
});
moment.updateLocale(moment.locale(), { workinghours, holidays: cal.holidays });

const q = loadQueries(args.queries, Number(args.limit || 0));
timeAndWrite('moment-business-time', q.starts.length, (i) => {
  if (q.durations[i] % 60 !== 0) throw new Error('durations must be whole minutes');
  return moment(q.starts[i] * 1000).addWorkingTime(q.durations[i] / 60, 'minutes').unix();
}, args.out);
