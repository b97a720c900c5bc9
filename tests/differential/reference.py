#!/usr/bin/env python3
"""Independent reference implementation of CONTRACT.md §2 (calendar), §3
(business time) and §4 (SLA metrics), written from the contract text only
(Python 3 standard library; zoneinfo for time zones).

Where the contract is silent this file follows the readings recorded in the
project's docs (docs/CALENDAR.md, docs/SLA.md); each such place is marked
"READING:".

Usage as a library:
    cal = Calendar.from_json(obj)        # or Calendar.builtin_24x7()
    cal.between(a_epoch, b_epoch) -> int seconds
    cal.add(s_epoch, d_seconds)   -> int epoch   (raises NeverOpen)
    pol = Policy.from_toml_file(path)
    evaluate(pol, request_obj) -> {"metrics": [...]}

CLI (handy for reproductions):
    reference.py add FILE TIME SECONDS
    reference.py between FILE TIME TIME
    reference.py sla POLICY.toml REQUEST.json
"""
from __future__ import annotations

import calendar as _pycal
import datetime as _dt
import json
import re
import sys
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = _dt.timezone.utc
_EPOCH0 = _dt.datetime(1970, 1, 1, tzinfo=UTC)
MIN_EPOCH = _pycal.timegm((1900, 1, 1, 0, 0, 0))
MAX_EPOCH = _pycal.timegm((2200, 1, 1, 0, 0, 0))
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class CalendarError(ValueError):
    pass


class NeverOpen(RuntimeError):
    pass


# ---------------------------------------------------------------- instants

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def parse_instant(text: str) -> int:
    """RFC 3339 with Z or an offset -> epoch seconds (fraction dropped)."""
    m = _RFC3339.match(text)
    if not m:
        raise ValueError("malformed instant %r" % text)
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    if not (1 <= mo <= 12 and 1 <= d <= _pycal.monthrange(y, mo)[1] and h <= 23 and mi <= 59 and s <= 60):
        raise ValueError("malformed instant %r" % text)
    if s == 60:
        s = 59  # leap second: not expected in tests
    epoch = _pycal.timegm((y, mo, d, h, mi, s))
    z = m.group(8)
    if z not in ("Z", "z"):
        sign = 1 if z[0] == "+" else -1
        oh, om = int(z[1:3]), int(z[4:6])
        epoch -= sign * (oh * 3600 + om * 60)
    return epoch


def format_instant(epoch: int) -> str:
    t = _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=epoch)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- helpers

def _easter(year: int) -> _dt.date:
    """Western (Gregorian) Easter Sunday, anonymous Gregorian algorithm."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return _dt.date(year, month, day)


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def _parse_hhmm(s) -> int:
    if not isinstance(s, str):
        raise CalendarError("time of day must be a string")
    m = _TIME.match(s)
    if not m:
        raise CalendarError("%r is not HH:MM" % s)
    h, mi = int(m.group(1)), int(m.group(2))
    if mi > 59 or h > 24 or (h == 24 and mi != 0):
        raise CalendarError("%r is not a time of day" % s)
    return h * 60 + mi


def _parse_windows(lst):
    if not isinstance(lst, list):
        raise CalendarError("windows must be a list")
    out = []
    for w in lst:
        if not isinstance(w, list) or len(w) != 2:
            raise CalendarError("window must be [start, end]")
        a, b = _parse_hhmm(w[0]), _parse_hhmm(w[1])
        if a == 1440:
            raise CalendarError("window may not start at 24:00")
        if b <= a:
            raise CalendarError("end must be after start")
        out.append((a, b))
    out.sort()
    for i in range(1, len(out)):
        if out[i][0] < out[i - 1][1]:
            raise CalendarError("windows overlap")
    return out


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _parse_date(s) -> _dt.date:
    if not isinstance(s, str):
        raise CalendarError("date must be a string")
    m = _DATE.match(s)
    if not m:
        raise CalendarError("%r is not YYYY-MM-DD" % s)
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CalendarError("%r is not a date" % s)


# ---------------------------------------------------------------- calendar

class Calendar:
    def __init__(self):
        self.id = "24x7"
        self.always_open = True
        self.tz = None
        self.hours_per_business_day = 24
        self.weekly = {i: [] for i in range(7)}
        self.closed = set()       # plain holiday dates
        self.open_entries = {}    # date -> windows
        self.rule_dates = set()
        self.subst_dates = set()
        self._cache = {}

    @staticmethod
    def builtin_24x7() -> "Calendar":
        return Calendar()

    @staticmethod
    def from_json(obj) -> "Calendar":
        if obj == "24x7":
            return Calendar()
        if not isinstance(obj, dict):
            raise CalendarError("calendar must be an object")
        c = Calendar()
        c.always_open = False
        c.id = obj.get("id", "")
        tzname = obj.get("time_zone")
        if not isinstance(tzname, str) or not tzname:
            raise CalendarError("time_zone required")
        try:
            c.tz = ZoneInfo(tzname)
        except Exception:
            raise CalendarError("unknown time zone %r" % tzname)
        c.hours_per_business_day = obj.get("hours_per_business_day")
        weekly = obj.get("weekly", {}) or {}
        for k, v in weekly.items():
            if k not in WEEKDAYS:
                raise CalendarError("unknown weekday %r" % k)
            c.weekly[WEEKDAYS.index(k)] = _parse_windows(v)
        for h in obj.get("holidays", []) or []:
            if isinstance(h, str):
                c.closed.add(_parse_date(h))
            elif isinstance(h, dict):
                c.open_entries[_parse_date(h.get("date"))] = _parse_windows(h.get("open", []))
            else:
                raise CalendarError("bad holiday")
        c._compile_rules(obj.get("holiday_rules", []) or [])
        return c

    # -- holiday rules (§2) --
    def _compile_rules(self, rules):
        occ = []  # (date, order, substitute?)
        for idx, r in enumerate(rules):
            if not isinstance(r, dict):
                raise CalendarError("bad rule")
            sub = r.get("substitute", "none")
            if sub not in ("none", "next_weekday", None):
                raise CalendarError("bad substitute")
            sub = sub == "next_weekday"
            kind = None
            if "easter_offset" in r:
                kind = "easter"
                off = int(r["easter_offset"])
            elif "weekday" in r or "nth" in r:
                kind = "nth"
                month = int(r["month"])
                wd = WEEKDAYS.index(r["weekday"])
                nth = int(r["nth"])
                if not (1 <= month <= 12) or not (1 <= nth <= 5 or nth == -1):
                    raise CalendarError("bad nth rule")
            else:
                kind = "fixed"
                month, day = int(r["month"]), int(r["day"])
                if not (1 <= month <= 12):
                    raise CalendarError("bad month")
                maxd = 29 if month == 2 else _pycal.monthrange(2001, month)[1]
                if not (1 <= day <= maxd):
                    raise CalendarError("month %d has no day %d" % (month, day))
            for y in range(1970, 2101):
                d = None
                if kind == "easter":
                    d = _easter(y) + _dt.timedelta(days=off)
                elif kind == "fixed":
                    if month == 2 and day == 29 and not _is_leap(y):
                        d = None
                    else:
                        d = _dt.date(y, month, day)
                else:
                    ndays = _pycal.monthrange(y, month)[1]
                    if nth == -1:
                        last = _dt.date(y, month, ndays)
                        d = last - _dt.timedelta(days=(last.weekday() - wd) % 7)
                    else:
                        first = _dt.date(y, month, 1)
                        dd = 1 + (wd - first.weekday()) % 7 + 7 * (nth - 1)
                        d = _dt.date(y, month, dd) if dd <= ndays else None
                if d is not None:
                    occ.append((d, idx, sub))
        self.rule_dates = {d for d, _, _ in occ}
        # Rules on weekdays are placed first (they are all rule dates and all
        # block); then substitutes in date order (ties: rule order).
        blocked = set(self.rule_dates)
        subs = sorted([(d, idx) for d, idx, s in occ if s and d.weekday() >= 5])
        for d, _ in subs:
            x = d + _dt.timedelta(days=1)
            while x.weekday() >= 5 or x in blocked:
                x += _dt.timedelta(days=1)
            blocked.add(x)
            self.subst_dates.add(x)

    def windows_for(self, d: _dt.date):
        if d in self.open_entries:
            return self.open_entries[d]
        if d in self.closed or d in self.rule_dates or d in self.subst_dates:
            return []
        return self.weekly[d.weekday()]

    # -- DST-aware local -> UTC --
    def _local_to_utc(self, d: _dt.date, minute: int) -> int:
        if minute == 1440:
            d = d + _dt.timedelta(days=1)
            minute = 0
        naive = _dt.datetime(d.year, d.month, d.day, minute // 60, minute % 60)
        wall = _pycal.timegm(naive.timetuple())
        off0 = int(naive.replace(tzinfo=self.tz, fold=0).utcoffset().total_seconds())
        u0 = wall - off0
        # round trip: does this wall time exist?
        if self._offset_at(u0) == off0:
            off1 = int(naive.replace(tzinfo=self.tz, fold=1).utcoffset().total_seconds())
            u1 = wall - off1
            # ambiguous -> first occurrence (the smaller instant that round-trips)
            if u1 < u0 and self._offset_at(u1) == off1:
                return u1
            return u0
        # Nonexistent: find the instant the clock jumps (the transition).
        off1 = int(naive.replace(tzinfo=self.tz, fold=1).utcoffset().total_seconds())
        lo, hi = min(wall - off0, wall - off1), max(wall - off0, wall - off1)
        # search the transition in [lo - 1 day, hi + 1 day] where wall clock jumps past `wall`
        lo -= 86400
        hi += 86400
        # smallest t with local(t) > wall  (local(t) = t + offset(t))
        while lo < hi:
            mid = (lo + hi) // 2
            if mid + self._offset_at(mid) > wall:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def _offset_at(self, epoch: int) -> int:
        t = (_EPOCH0 + _dt.timedelta(seconds=epoch)).astimezone(self.tz)
        return int(t.utcoffset().total_seconds())

    def _local_date(self, epoch: int) -> _dt.date:
        return (epoch + self._offset_at(epoch)) // 86400

    def intervals_for(self, d: _dt.date):
        r = self._cache.get(d)
        if r is None:
            r = []
            for a, b in self.windows_for(d):
                ua, ub = self._local_to_utc(d, a), self._local_to_utc(d, b)
                if ub > ua:
                    r.append((ua, ub))
            self._cache[d] = r
        return r

    def _ordinal_date(self, dayno: int) -> _dt.date:
        return _dt.date(1970, 1, 1) + _dt.timedelta(days=dayno)

    # -- §3 --
    def between(self, a: int, b: int) -> int:
        if b <= a:
            return 0
        if self.always_open:
            return b - a
        total = 0
        d = self._ordinal_date(self._local_date(a) - 1)
        end = self._ordinal_date(self._local_date(b) + 1)
        one = _dt.timedelta(days=1)
        while d <= end:
            for ua, ub in self.intervals_for(d):
                lo, hi = max(ua, a), min(ub, b)
                if hi > lo:
                    total += hi - lo
            d += one
        return total

    def _may_open_after(self, d: _dt.date) -> bool:
        if any(self.weekly[i] for i in range(7)):
            return True
        return any(k > d and v for k, v in self.open_entries.items())

    def add(self, s: int, dur: int) -> int:
        r = self._add(s, dur)
        if r > MAX_EPOCH:
            # READING (docs/CALENDAR.md): instants are supported up to
            # 2200-01-01T00:00:00Z; an add that would run past it fails.
            raise NeverOpen("fewer business seconds than that before 2200-01-01")
        return r

    def _add(self, s: int, dur: int) -> int:
        if dur <= 0:
            return s
        if self.always_open:
            return s + dur
        left = dur
        d = self._ordinal_date(self._local_date(s) - 1)
        one = _dt.timedelta(days=1)
        while True:
            for ua, ub in self.intervals_for(d):
                if ub <= s:
                    continue
                lo = max(ua, s)
                avail = ub - lo
                if avail >= left:
                    return lo + left
                left -= avail
            if not self._may_open_after(d) or d.year >= 2200:  # checked in add()
                raise NeverOpen("calendar never open (enough) after start")
            d += one


# ---------------------------------------------------------------- policy

NO_TARGET_PHRASES = {"best effort", "best-effort", "by mutual agreement", "mutual agreement",
                     "none", "no target", "not stated", "n/a", "-", "–", "—"}

_UNITS = {}
for _w in ("minute", "minutes", "min", "mins", "m"):
    _UNITS[_w] = ("s", 60)
for _w in ("hour", "hours", "hr", "hrs", "h"):
    _UNITS[_w] = ("s", 3600)
for _w in ("day", "days", "d"):
    _UNITS[_w] = ("day", None)


def parse_duration(text: str, cal: Calendar):
    """-> None (no target) or (limit_seconds, goal_seconds_or_None)."""
    t = text.strip().lower()
    if t in NO_TARGET_PHRASES:
        return None
    t = t.replace("–", "-").replace("—", "-")
    toks = re.findall(r"\d+(?:\.\d+)?|[a-z/]+|-", t)
    i = 0
    if toks[i:i + 2] == ["up", "to"]:
        i += 2
    elif toks[i] in ("within", "under"):
        i += 1
    lo = float(toks[i]); i += 1
    hi = None
    if i < len(toks) and toks[i] in ("-", "to"):
        hi = float(toks[i + 1]); i += 2
    if i < len(toks) and toks[i] in ("business", "support", "working"):
        i += 1
    unit = toks[i]; i += 1
    if i != len(toks) or unit not in _UNITS:
        raise ValueError("bad duration %r" % text)
    kind, mult = _UNITS[unit]
    if kind == "day":
        mult = float(cal.hours_per_business_day) * 3600
    if hi is None:
        return (int(round(lo * mult)), None)
    return (int(round(hi * mult)), int(round(lo * mult)))


class Target:
    def __init__(self, seconds, goal, cal):
        self.seconds, self.goal, self.cal = seconds, goal, cal


class Policy:
    def __init__(self):
        self.calendars = {"24x7": Calendar.builtin_24x7()}
        self.severities = []
        self.default_severity = None
        self.plans = {}

    @staticmethod
    def from_toml_file(path) -> "Policy":
        import tomllib
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        p = Policy()
        for c in doc.get("calendars", []):
            p.calendars[c["id"]] = Calendar.from_json(c)
        p.severities = [s["id"] for s in doc["severities"]]
        p.default_severity = doc["tickets"]["default_severity"]
        for plan in doc["plans"]:
            p.plans[plan["id"]] = plan
        return p

    def target(self, plan_id, sev, metric):
        plan = self.plans[plan_id]
        spec = plan.get("targets", {}).get(sev, {}).get(metric)
        if spec is None:
            return None
        cal_id = None
        goal_text = None
        if isinstance(spec, dict):
            within = spec["within"]
            goal_text = spec.get("goal")
            cal_id = spec.get("calendar")
        else:
            within = spec
        if cal_id is None:
            cal_id = plan.get("severity_calendars", {}).get(sev)
        if cal_id is None:
            cal_id = plan.get("calendar", "24x7")
        cal = self.calendars[cal_id]
        d = parse_duration(within, cal)
        if d is None:
            return None
        secs, goal = d
        if goal_text is not None and goal is None:
            g = parse_duration(goal_text, cal)
            goal = g[0] if g else None
        return Target(secs, goal, cal)


# ---------------------------------------------------------------- SLA (§4)

class Instance:
    """One clock: spans [start, end) where it ran; stop info."""

    def __init__(self, start):
        self.start = start
        self.spans = []          # closed spans (a, b)
        self.running_since = start   # None when paused or stopped
        self.paused = False
        self.stopped_at = None   # stop event time
        self.stop_sev = None

    def pause(self, t):
        if self.running_since is not None:
            self.spans.append((self.running_since, t))
            self.running_since = None
            self.paused = True

    def resume(self, t):
        if self.running_since is None and self.stopped_at is None:
            self.running_since = t
            self.paused = False

    def stop(self, t, sev):
        if self.running_since is not None:
            self.spans.append((self.running_since, t))
            self.running_since = None
        self.paused = False
        self.stopped_at = t
        self.stop_sev = sev

    def reopen(self, t):
        self.stopped_at = None
        self.stop_sev = None
        self.running_since = t
        self.paused = False


def judge(inst: Instance, seconds: int, cal: Calendar, now: int):
    """-> (breached, elapsed, due_at).  Contract §4 'Elapsed'/'due_at'."""
    spans = list(inst.spans)
    running = inst.running_since is not None
    if running:
        spans.append((inst.running_since, now))
    elapsed = 0
    breached_due = None
    last_due = None
    for i, (a, b) in enumerate(spans):
        due = cal.add(a, seconds - elapsed)
        last_due = due
        elapsed += cal.between(a, b)
        if breached_due is None and b > due:
            breached_due = due
    if not spans:
        # READING: an instance that never ran (started paused): the deadline
        # that would stand at its start.
        last_due = cal.add(inst.start, seconds)
    # §4: due_at = add(last resume or start, target − elapsed before it),
    # also after a breach in an earlier span (add(s, d <= 0) = s, §3).
    return breached_due is not None, elapsed, last_due


def _metric_obj(name, state, target=None, elapsed=None, due=None, goal_due=None,
                stopped=None, breaches=0):
    return {"metric": name, "state": state, "target_seconds": target,
            "elapsed_seconds": elapsed,
            "due_at": format_instant(due) if due is not None else None,
            "goal_due_at": format_instant(goal_due) if goal_due is not None else None,
            "stopped_at": format_instant(stopped) if stopped is not None else None,
            "breaches": breaches}


def evaluate(policy: Policy, req) -> dict:
    plan = req["plan"]
    if plan not in policy.plans:
        raise ValueError("unknown plan")
    sev = req.get("severity") or policy.default_severity
    now = parse_instant(req["now"])
    evs = []
    for i, e in enumerate(req.get("events", [])):
        evs.append((parse_instant(e["at"]), i, e))
    evs.sort(key=lambda x: (x[0], x[1]))
    # READING: events after `now` have not happened yet.
    evs = [x for x in evs if x[0] <= now]
    starts_at_fr = bool(policy.plans[plan].get("resolution_starts_at_first_response", False))

    opened = False
    resolved = False
    waiting = False
    fr = None
    res = None
    nu_cycles = []   # list of Instance
    had_agent_reply = False

    def cur_cycle():
        return nu_cycles[-1] if nu_cycles else None

    def stop_cycle(t):
        c = cur_cycle()
        if c is not None and c.stopped_at is None:
            c.stop(t, sev)

    for t, _, e in evs:
        typ = e.get("type")
        if typ == "severity_changed":
            sev = e["severity"]
            continue
        if typ == "opened":
            if opened:
                continue  # READING: second opened ignored
            opened = True
            fr = Instance(t)
            if not starts_at_fr:
                res = Instance(t)
            continue
        if not opened:
            continue  # READING: before opened only severity_changed counts
        if resolved:
            if typ == "reopened":
                resolved = False
                waiting = False
                if res is not None:
                    res.reopen(t)
                nu_cycles.append(Instance(t))
            continue  # READING: other events on a resolved ticket change nothing
        if typ == "agent_reply":
            if fr.stopped_at is None:
                fr.stop(t, sev)
            if starts_at_fr and res is None:
                res = Instance(t)
                if waiting:  # READING: starts paused
                    res.running_since = None
                    res.paused = True
            stop_cycle(t)
            c = Instance(t)
            if waiting:
                # READING: an agent_reply during a wait starts a cycle paused from its start
                c.running_since = None
                c.paused = True
            nu_cycles.append(c)
            had_agent_reply = True
        elif typ == "waiting_on_customer":
            if waiting:
                continue
            waiting = True
            if res is not None:
                res.pause(t)
            c = cur_cycle()
            if c is not None and c.stopped_at is None:
                c.pause(t)
        elif typ in ("customer_reply", "reopened"):
            if not waiting:
                if typ == "reopened":
                    # §4: a cycle starts at every reopened; the running one is left behind
                    stop_cycle(t)
                    nu_cycles.append(Instance(t))
                continue  # a customer_reply outside a wait changes no clock
            waiting = False
            if res is not None:
                res.resume(t)
            stop_cycle(t)     # the paused cycle is left behind
            nu_cycles.append(Instance(t))
        elif typ in ("resolved", "closed"):
            resolved = True
            waiting = False
            if fr.stopped_at is None:
                fr.stop(t, sev)
            if res is not None:
                res.stop(t, sev)
            stop_cycle(t)
        else:
            raise ValueError("unknown event type %r" % typ)

    def report(name, inst, breaches_extra=None):
        if inst is None:
            tg = policy.target(plan, sev, name)
            if tg is None:
                return _metric_obj(name, "no_target", breaches=breaches_extra or 0)
            o = _metric_obj(name, "not_started", target=tg.seconds, breaches=breaches_extra or 0)
            return o
        use_sev = inst.stop_sev if inst.stopped_at is not None else sev
        tg = policy.target(plan, use_sev, name)
        if tg is None:
            return _metric_obj(name, "no_target", breaches=breaches_extra or 0)
        breached, elapsed, due = judge(inst, tg.seconds, tg.cal, now)
        goal_due = None
        if tg.goal is not None:
            _, _, goal_due = judge(inst, tg.goal, tg.cal, now)
        if breached:
            state = "breached"
        elif inst.stopped_at is not None:
            state = "met"
        elif inst.running_since is None:
            state = "paused"
        else:
            state = "running"
        b = breaches_extra if breaches_extra is not None else (1 if breached else 0)
        return _metric_obj(name, state, tg.seconds, elapsed, due, goal_due, inst.stopped_at, b)

    nu_breaches = 0
    for c in nu_cycles:
        use_sev = c.stop_sev if c.stopped_at is not None else sev
        tg = policy.target(plan, use_sev, "next_update")
        if tg is not None and judge(c, tg.seconds, tg.cal, now)[0]:
            nu_breaches += 1
    return {"metrics": [report("first_response", fr),
                        report("next_update", cur_cycle(), nu_breaches),
                        report("resolution", res)]}


# ---------------------------------------------------------------- CLI

def _load_cal(path):
    if path == "24x7":
        try:
            with open(path) as f:
                return Calendar.from_json(json.load(f))
        except FileNotFoundError:
            return Calendar.builtin_24x7()
    with open(path) as f:
        return Calendar.from_json(json.load(f))


def main(argv):
    if len(argv) >= 4 and argv[0] == "add":
        print(format_instant(_load_cal(argv[1]).add(parse_instant(argv[2]), int(argv[3]))))
    elif len(argv) >= 4 and argv[0] == "between":
        print(_load_cal(argv[1]).between(parse_instant(argv[2]), parse_instant(argv[3])))
    elif len(argv) >= 3 and argv[0] == "sla":
        pol = Policy.from_toml_file(argv[1])
        src = sys.stdin if argv[2] == "-" else open(argv[2])
        print(json.dumps(evaluate(pol, json.load(src)), indent=1))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
