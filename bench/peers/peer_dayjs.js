'use strict';
// dayjs-business-time: dayjs.unix(start).addBusinessMinutes(minutes), the
// plugin's own call for a target in minutes. The zone is the process zone
// (run with TZ=Europe/Berlin); setBusinessTime/setHolidays as documented.
// Usage: TZ=Europe/Berlin node peer_dayjs.js --calendar F --queries F --out F [--limit N]
const dayjs = require('dayjs');
const businessTime = require('dayjs-business-time');
const { loadCalendar, loadQueries, parseArgs, timeAndWrite } = require('./common');

dayjs.extend(businessTime);
const args = parseArgs(process.argv);
const cal = loadCalendar(args.calendar);
const NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const pad = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
const hours = {};
cal.weekly.forEach((windows, dow) => {
  hours[NAMES[dow]] = windows.length ? windows.map(([s, e]) => ({ start: pad(s), end: pad(e) })) : null;
});
dayjs.setBusinessTime(hours);
dayjs.setHolidays(cal.holidays);

const q = loadQueries(args.queries, Number(args.limit || 0));
timeAndWrite('dayjs-business-time', q.starts.length, (i) => {
  if (q.durations[i] % 60 !== 0) throw new Error('durations must be whole minutes');
  return dayjs.unix(q.starts[i]).addBusinessMinutes(q.durations[i] / 60).unix();
}, args.out);
