#!/usr/bin/env python3
"""Differential test: `sladesk calendar add|between` against reference.py.

    diff_calendar.py [--bin PATH] [--cases N] [--seed S] [--jobs J] [--out DIR]

Random calendars (zones with odd DST, touching windows, 24:00, night windows
over DST changes, holidays, short days, rules with substitutes) and random
queries near DST transitions, holidays and window edges, 1970-2100.
Every disagreement is shrunk (calendar pieces dropped while the answer still
differs) and printed with a command line that reproduces it; the calendar
files are kept in --out.  Exit 1 on any disagreement.
"""
import argparse
import copy
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402
from common import find_binary, run, shquote  # noqa: E402

ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata",
         "Australia/Lord_Howe", "Pacific/Chatham", "UTC",
         # transitions at local midnight / unusual offsets
         "America/Santiago", "America/Havana", "Asia/Beirut", "Europe/Dublin",
         "Africa/Casablanca", "Antarctica/Troll", "America/Sao_Paulo", "America/St_Johns"]
DAYS = R.WEEKDAYS


def hhmm(m):
    return "%02d:%02d" % (m // 60, m % 60)


# --------------------------------------------------------------- generation

def gen_day(rng):
    k = rng.random()
    g = rng.choice([60, 30, 15, 1])

    def t(lo, hi):
        return rng.randrange(lo // g, hi // g + 1) * g
    if k < 0.15:
        return []
    if k < 0.25:
        return [[0, 1440]]
    if k < 0.45:
        a = t(6 * 60, 11 * 60)
        b = t(a + g, 20 * 60)
        return [[a, b]]
    if k < 0.55:  # two windows, maybe touching
        a = t(0, 10 * 60)
        m = t(a + g, 14 * 60)
        m2 = m if rng.random() < 0.5 else t(m, 15 * 60)
        b = t(m2 + g, 1440)
        return [[a, m], [m2, b]]
    if k < 0.70:  # night: evening to 24:00 and/or early morning from 00:00
        w = []
        if rng.random() < 0.8:
            w.append([0, t(60, 6 * 60)])
        if rng.random() < 0.8:
            w.append([t(18 * 60, 23 * 60), 1440])
        return w
    if k < 0.85:  # windows in the usual DST hours
        a = t(0, 3 * 60)
        b = t(a + g, 4 * 60)
        w = [[a, b]]
        if rng.random() < 0.5:
            w.append([b, t(b + g, 1440)])
        return w
    # several random small windows
    pts = sorted(set(t(0, 1440) for _ in range(rng.choice([2, 4, 6]))))
    if len(pts) % 2:
        pts = pts[:-1]
    return [[pts[i], pts[i + 1]] for i in range(0, len(pts), 2)]


def transitions(zone, year):
    """UTC instants of offset changes of zone within year (cached)."""
    key = (zone, year)
    if key in _TR:
        return _TR[key]
    tz = R.ZoneInfo(zone)
    out = []
    t0 = R._pycal.timegm((year, 1, 1, 0, 0, 0))
    t1 = R._pycal.timegm((year + 1, 1, 1, 0, 0, 0))

    def off(t):
        return (R._EPOCH0 + dt.timedelta(seconds=t)).astimezone(tz).utcoffset()
    step = 86400
    t = t0
    prev = off(t)
    while t < t1:
        n = min(t + step, t1)
        o = off(n)
        if o != prev:
            lo, hi = t, n
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if off(mid) == prev:
                    lo = mid
                else:
                    hi = mid
            out.append(hi)
            prev = o
        t = n
    _TR[key] = out
    return out


_TR = {}


def rand_year(rng):
    r = rng.random()
    if r < 0.6:
        return rng.choice([2025, 2026, 2027])
    if r < 0.8:
        return rng.randrange(2020, 2040)
    if r < 0.9:
        return rng.choice([1970, 1971, 2037, 2038, 2099, 2100])
    return rng.randrange(1970, 2101)


def gen_calendar(rng, sparse_ok=True):
    zone = rng.choice(ZONES)
    cal = {"id": "rand", "time_zone": zone, "hours_per_business_day": 8}
    weekly = {}
    style = rng.random()
    for d in DAYS:
        if style < 0.2 and d in ("sat", "sun"):
            continue  # missing day = closed
        wins = gen_day(rng)
        if wins or rng.random() < 0.5:
            weekly[d] = [[hhmm(a), hhmm(b)] for a, b in wins]
    if style > 0.95 and sparse_ok:
        weekly = {}
    cal["weekly"] = weekly
    years = sorted(set(rand_year(rng) for _ in range(2)))
    cal["_years"] = years
    hol = []
    used = set()
    for _ in range(rng.choice([0, 0, 1, 3, 6])):
        y = rng.choice(years)
        trs = transitions(zone, y)
        if trs and rng.random() < 0.5:
            base = dt.date(1970, 1, 1) + dt.timedelta(days=rng.choice(trs) // 86400)
            d = base + dt.timedelta(days=rng.randrange(-1, 2))
        else:
            d = dt.date(y, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if d in used:
            continue
        used.add(d)
        if rng.random() < 0.5:
            hol.append(d.isoformat())
        else:
            wins = gen_day(rng)
            hol.append({"date": d.isoformat(), "open": [[hhmm(a), hhmm(b)] for a, b in wins]})
    if hol or rng.random() < 0.3:
        cal["holidays"] = hol
    rules = []
    for _ in range(rng.choice([0, 0, 1, 2, 4, 8])):
        k = rng.random()
        r = {}
        if k < 0.45:
            m = rng.randrange(1, 13)
            r = {"month": m, "day": rng.randrange(1, (29 if m == 2 else R._pycal.monthrange(2001, m)[1]) + 1)}
            if rng.random() < 0.5:
                r = {"month": rng.choice([12, 12, 12, 1, 2]), "day": rng.choice([24, 25, 26, 27, 31, 1, 29])}
                if r["month"] == 2:
                    r["day"] = 29
                if r["month"] == 1:
                    r["day"] = rng.choice([1, 2])
        elif k < 0.75:
            r = {"month": rng.randrange(1, 13), "weekday": rng.choice(DAYS),
                 "nth": rng.choice([1, 2, 3, 4, 5, -1])}
        else:
            r = {"easter_offset": rng.randrange(-48, 61)}
        if rng.random() < 0.5:
            r["substitute"] = "next_weekday"
        if rng.random() < 0.5:
            r["name"] = "rule %d" % len(rules)
        rules.append(r)
    if rng.random() < 0.25:  # a cluster of year-end / easter rules with substitutes
        rules = []
        for md in rng.sample([(12, 24), (12, 25), (12, 26), (12, 27), (12, 28), (12, 31), (1, 1), (1, 2), (1, 3)],
                             rng.randrange(2, 6)):
            r = {"month": md[0], "day": md[1]}
            if rng.random() < 0.6:
                r["substitute"] = "next_weekday"
            rules.append(r)
        for off in rng.sample([-3, -2, -1, 0, 1, 6, 7, 8, 49, 50], rng.randrange(0, 3)):
            r = {"easter_offset": off}
            if rng.random() < 0.6:
                r["substitute"] = "next_weekday"
            rules.append(r)
        rng.shuffle(rules)
        cal["_cluster"] = True
        if rng.random() < 0.5:
            cal["weekly"] = {d: [["09:00", "17:00"]] for d in DAYS[:5]}
    if rules:
        cal["holiday_rules"] = rules
    return cal


def clean(cal):
    if not isinstance(cal, dict):
        return cal
    return {k: v for k, v in cal.items() if not k.startswith("_")}


def fmt_instant(rng, epoch, zone):
    """RFC 3339 text for epoch: Z, the zone's offset, or a random offset."""
    k = rng.random()
    frac = ""
    if rng.random() < 0.1:
        frac = "." + str(rng.randrange(0, 1000)).zfill(3)
    if k < 0.4:
        t = R._EPOCH0 + dt.timedelta(seconds=epoch)
        return t.strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z"
    if k < 0.8 and zone:
        off = R._EPOCH0 + dt.timedelta(seconds=epoch)
        off = off.astimezone(R.ZoneInfo(zone)).utcoffset()
        offs = int(off.total_seconds())
        if offs % 60:
            offs = 0  # LMT-style second offsets: use Z
    else:
        offs = rng.choice([-12, -8, -5, 0, 1, 5, 9, 14]) * 3600 + rng.choice([0, 0, 30, 45]) * 60
        if abs(offs) >= 86400:
            offs = 0
    t = R._EPOCH0 + dt.timedelta(seconds=epoch + offs)
    sign = "+" if offs >= 0 else "-"
    a = abs(offs)
    if frac and epoch + offs < 0:
        frac = ""  # keep the 'dropped fraction' semantics unambiguous
    return t.strftime("%Y-%m-%dT%H:%M:%S") + frac + "%s%02d:%02d" % (sign, a // 3600, a % 3600 // 60)


def rand_instant(rng, cal, refcal):
    zone = cal["time_zone"]
    y = rng.choice(cal["_years"]) if rng.random() < 0.8 else rand_year(rng)
    trs = transitions(zone, y)
    k = rng.random()
    if (k < 0.15 or (cal.get("_cluster") and k < 0.6)) and (refcal.subst_dates or refcal.rule_dates):
        ds = [d for d in refcal.subst_dates | refcal.rule_dates if d.year in cal["_years"]] or \
            list(refcal.subst_dates | refcal.rule_dates)
        d = rng.choice(sorted(ds)) + dt.timedelta(days=rng.randrange(-3, 2))
        t0 = R._pycal.timegm((d.year, d.month, d.day, 0, 0, 0))
        return t0 + rng.randrange(-12 * 3600, 36 * 3600)
    if trs and k < 0.4:
        base = rng.choice(trs)
        delta = rng.choice([0, 0, 1, -1, 1800, -1800, 3600, -3600, 7200, -7200,
                            rng.randrange(-86400 * 2, 86400 * 2)])
        return base + delta
    if k < 0.7:  # a window edge near a random day
        d = dt.date(y, 1, 1) + dt.timedelta(days=rng.randrange(366 if R._is_leap(y) else 365))
        ivs = []
        for i in range(-1, 2):
            if not refcal.always_open:
                ivs += refcal.intervals_for(d + dt.timedelta(days=i))
        if ivs:
            a, b = rng.choice(ivs)
            return rng.choice([a, b]) + rng.choice([0, 0, -1, 1, -60, 60, 1800])
    t0 = R._pycal.timegm((y, 1, 1, 0, 0, 0))
    return t0 + rng.randrange(0, 365 * 86400)


def rand_duration(rng, cal):
    k = rng.random()
    if k < 0.08:
        return 0
    if k < 0.16:
        return 1
    if k < 0.5:
        return rng.choice([1800, 3600, 7200, 28800, 36000, 86400]) * rng.randrange(1, 4)
    if k < 0.8:
        return rng.randrange(1, 5 * 86400)
    if k < 0.97:
        return rng.randrange(1, 30 * 86400)
    return rng.randrange(1, 200 * 86400)


# --------------------------------------------------------------- checking

class Runner:
    def __init__(self, binary, outdir):
        self.bin = binary
        self.outdir = outdir
        import itertools
        self.counter = itertools.count(1)

    def write_cal(self, cal, tag):
        path = os.path.join(self.outdir, "cal-%s-%d.json" % (tag, next(self.counter)))
        with open(path, "w") as f:
            json.dump(clean(cal), f, indent=1)
        return path

    def bin_add(self, path, frm, dur):
        rc, out, err = run(self.bin, ["calendar", "add", "--calendar", path, "--from", frm,
                                      "--duration", str(dur)])
        return ("ok", out.strip()) if rc == 0 else ("error", "rc=%s %s" % (rc, err.strip()[:200]))

    def bin_between(self, path, a, b):
        rc, out, err = run(self.bin, ["calendar", "between", "--calendar", path, "--from", a, "--to", b])
        return ("ok", out.strip()) if rc == 0 else ("error", "rc=%s %s" % (rc, err.strip()[:200]))

    def bin_batch(self, path, lines):
        rc, out, err = run(self.bin, ["calendar", "add", "--calendar", path, "--batch"],
                           stdin="".join("%d,%d\n" % x for x in lines))
        return rc, out.split(), err


def ref_add(cal, frm, dur):
    try:
        c = R.Calendar.from_json(clean(cal))
        return ("ok", R.format_instant(c.add(R.parse_instant(frm), dur)))
    except (R.NeverOpen, R.CalendarError) as e:
        return ("error", str(e))


def ref_between(cal, a, b):
    try:
        c = R.Calendar.from_json(clean(cal))
        return ("ok", str(c.between(R.parse_instant(a), R.parse_instant(b))))
    except R.CalendarError as e:
        return ("error", str(e))


def agree(x, y):
    if x[0] == "error" and y[0] == "error":
        return True
    return x == y


def simplifications(cal):
    """Yield smaller variants of cal."""
    if cal.get("holiday_rules"):
        for i in range(len(cal["holiday_rules"])):
            c = copy.deepcopy(cal)
            del c["holiday_rules"][i]
            if not c["holiday_rules"]:
                del c["holiday_rules"]
            yield c
        for i, r in enumerate(cal["holiday_rules"]):
            if "name" in r:
                c = copy.deepcopy(cal)
                del c["holiday_rules"][i]["name"]
                yield c
    if cal.get("holidays") is not None:
        if not cal["holidays"]:
            c = copy.deepcopy(cal)
            del c["holidays"]
            yield c
        for i in range(len(cal["holidays"])):
            c = copy.deepcopy(cal)
            del c["holidays"][i]
            yield c
    for d in list(cal.get("weekly", {})):
        c = copy.deepcopy(cal)
        del c["weekly"][d]
        yield c
        for i in range(len(cal["weekly"][d])):
            if len(cal["weekly"][d]) > 1:
                c = copy.deepcopy(cal)
                del c["weekly"][d][i]
                yield c


def shrink(runner, cal, check, budget=60):
    """check(cal) -> True while the disagreement persists (uses the binary)."""
    changed = True
    while changed and budget > 0:
        changed = False
        for c in simplifications(cal):
            budget -= 1
            if budget <= 0:
                break
            try:
                if check(c):
                    cal = c
                    changed = True
                    break
            except Exception:
                continue
    return cal


def run_case(runner, seed, idx, nq):
    rng = random.Random("%s-%d" % (seed, idx))
    cal = gen_calendar(rng)
    try:
        refcal = R.Calendar.from_json(clean(cal))
    except R.CalendarError:
        return [], 0
    path = runner.write_cal(cal, "c%d" % idx)
    fails = []
    passed = 0
    sparse = not any(cal["weekly"].get(d) for d in DAYS)
    # batch add
    lines = [(rand_instant(rng, cal, refcal), rand_duration(rng, cal)) for _ in range(nq)]
    long_between = None
    if rng.random() < 0.15:
        # long queries: starts near multiples of 2^25 s (from 1970 or 1900), multi-year durations
        for _ in range(5):
            base = rng.choice([0, R.MIN_EPOCH]) + rng.randrange(0, 280 * 365 * 86400 >> 25) * (1 << 25)
            st = base + rng.choice([0, -1, 1, -3600, 3600, rng.randrange(-10 ** 6, 10 ** 6)])
            if R.MIN_EPOCH <= st < R.MAX_EPOCH - 10 * 365 * 86400:
                lines.append((st, rng.choice([rng.randrange(1, 3 * 365 * 86400), rng.randrange(1, 60 * 86400)])))
        a0 = rng.choice([0, R.MIN_EPOCH]) + rng.randrange(0, 280 * 365 * 86400 >> 25) * (1 << 25)
        if R.MIN_EPOCH <= a0 < R.MAX_EPOCH - 5 * 365 * 86400:
            long_between = (a0 + rng.randrange(-5, 5), a0 + rng.randrange(1, 4 * 365 * 86400))
    if not sparse:
        rc, outs, err = runner.bin_batch(path, lines)
        for i, (s, d) in enumerate(lines):
            try:
                exp = str(refcal.add(s, d))
            except R.NeverOpen:
                exp = "error"
            got = outs[i] if i < len(outs) else ("error rc=%s %s" % (rc, err.strip()[:200]))
            if got == exp or (exp == "error" and got.startswith("error")):
                passed += 1
            else:
                fails.append({"kind": "batch", "cal": cal, "start": s, "dur": d, "exp": exp, "got": got})
            if exp == "error" or got.startswith("error"):
                break  # the batch stops at a failing line
    if long_between:
        ta, tb = (R.format_instant(x) for x in long_between)
        exp, got = ref_between(cal, ta, tb), runner.bin_between(path, ta, tb)
        if agree(exp, got):
            passed += 1
        else:
            fails.append({"kind": "between", "cal": cal, "from": ta, "to": tb, "exp": exp, "got": got})
    # single add / between with text instants
    zone = cal["time_zone"]
    for _ in range(2):
        s = rand_instant(rng, cal, refcal)
        frm = fmt_instant(rng, s, zone)
        d = rand_duration(rng, cal)
        exp = ref_add(cal, frm, d)
        got = runner.bin_add(path, frm, d)
        if agree(exp, got):
            passed += 1
        else:
            fails.append({"kind": "add", "cal": cal, "from": frm, "dur": d, "exp": exp, "got": got})
        a = rand_instant(rng, cal, refcal)
        b = a + rng.choice([0, -5, 1, rand_duration(rng, cal), rand_duration(rng, cal) * 2])
        ta, tb = fmt_instant(rng, a, zone), fmt_instant(rng, b, zone)
        exp = ref_between(cal, ta, tb)
        got = runner.bin_between(path, ta, tb)
        if agree(exp, got):
            passed += 1
        else:
            fails.append({"kind": "between", "cal": cal, "from": ta, "to": tb, "exp": exp, "got": got})
    return fails, passed


INVALID = [
    ("overlap", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}),
    ("end<=start", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "09:00"]]}}),
    ("end<start", {"time_zone": "UTC", "weekly": {"mon": [["10:00", "09:00"]]}}),
    ("start 24:00", {"time_zone": "UTC", "weekly": {"mon": [["24:00", "24:00"]]}}),
    ("past 24:00", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "24:30"]]}}),
    ("25:00", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "25:00"]]}}),
    ("unknown zone", {"time_zone": "Europe/Berlinn", "weekly": {"mon": [["09:00", "17:00"]]}}),
    ("bad date", {"time_zone": "UTC", "weekly": {}, "holidays": ["2026-02-30"]}),
    ("bad date2", {"time_zone": "UTC", "weekly": {}, "holidays": ["2026-2-3"]}),
    ("bad open date", {"time_zone": "UTC", "weekly": {}, "holidays": [{"date": "2026-13-01", "open": []}]}),
    ("rule feb 30", {"time_zone": "UTC", "weekly": {}, "holiday_rules": [{"month": 2, "day": 30}]}),
    ("overlap in open", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]},
                         "holidays": [{"date": "2026-03-02", "open": [["09:00", "12:00"], ["10:00", "11:00"]]}]}),
    ("24:01", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "24:01"]]}}),
    ("minute 60", {"time_zone": "UTC", "weekly": {"mon": [["09:60", "10:00"]]}}),
    ("feb 29 non-leap date", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]}, "holidays": ["2027-02-29"]}),
    ("rule month 13", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]}, "holiday_rules": [{"month": 13, "day": 1}]}),
    ("rule nth 6", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]},
                    "holiday_rules": [{"month": 1, "weekday": "mon", "nth": 6}]}),
    ("rule nth 0", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]},
                    "holiday_rules": [{"month": 1, "weekday": "mon", "nth": 0}]}),
    ("rule nth -2", {"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]},
                     "holiday_rules": [{"month": 1, "weekday": "mon", "nth": -2}]}),
    ("never open add", {"time_zone": "UTC", "weekly": {}}),
    ("never open add 2", {"time_zone": "Europe/Berlin", "weekly": {"sun": []}}),
]


WD = {d: [["09:00", "17:00"]] for d in DAYS[:5]}
# Directed cases: (name, calendar, from, to-or-None, duration-or-None); the
# reference answers them (hand-checked); the binary must agree.
DIRECTED = [
    # 2027: Christmas Sat, Boxing Sun -> Mon 27, Tue 28; a plain holiday on Mon 27 does not block
    ("subst vs plain holiday", {"time_zone": "Europe/London", "weekly": WD, "holidays": ["2027-12-27"],
      "holiday_rules": [{"month": 12, "day": 25, "substitute": "next_weekday"},
                        {"month": 12, "day": 26, "substitute": "next_weekday"}]},
     "2027-12-24T00:00:00Z", "2028-01-01T00:00:00Z", None),
    # a weekday rule blocks a substitute: 2022 Christmas Sun, Boxing Mon -> Christmas on Tue 27
    ("weekday rule placed first", {"time_zone": "Europe/London", "weekly": WD,
      "holiday_rules": [{"month": 12, "day": 25, "substitute": "next_weekday"}, {"month": 12, "day": 26}]},
     "2022-12-23T00:00:00Z", "2022-12-31T00:00:00Z", None),
    # an open entry beats a rule and a substitute on the same date
    ("open entry beats rule", {"time_zone": "UTC", "weekly": WD,
      "holidays": [{"date": "2026-12-25", "open": [["10:00", "11:00"]]}, {"date": "2027-12-27", "open": [["10:00", "12:00"]]}],
      "holiday_rules": [{"month": 12, "day": 25, "substitute": "next_weekday"}]},
     "2026-12-20T00:00:00Z", "2027-12-31T00:00:00Z", None),
    # Dec 31 Sat substitute moves to January, blocked by next year's Jan 2 rule (2022-12-31 is Sat)
    ("subst into next year", {"time_zone": "UTC", "weekly": WD,
      "holiday_rules": [{"month": 12, "day": 31, "substitute": "next_weekday"}, {"month": 1, "day": 2},
                        {"month": 1, "day": 1, "substitute": "next_weekday"}]},
     "2022-12-29T00:00:00Z", "2023-01-09T00:00:00Z", None),
    # Feb 29 rule with substitute: 2032-02-29 Sun -> Mon Mar 1; non-leap 2031 nothing
    ("feb 29 subst", {"time_zone": "UTC", "weekly": WD,
      "holiday_rules": [{"month": 2, "day": 29, "substitute": "next_weekday"}]},
     "2031-02-25T00:00:00Z", "2032-03-05T00:00:00Z", None),
    # fifth Monday: Aug 2027 has 5 Mondays (30th), Sep 2027 does not
    ("nth 5", {"time_zone": "UTC", "weekly": WD,
      "holiday_rules": [{"month": 8, "weekday": "mon", "nth": 5}, {"month": 9, "weekday": "mon", "nth": 5}]},
     "2027-08-01T00:00:00Z", "2027-10-01T00:00:00Z", None),
    # rules at the ends of 1970..2100
    ("rule years 1970/2100", {"time_zone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in DAYS},
      "holiday_rules": [{"month": 1, "day": 1}, {"month": 12, "day": 31}, {"easter_offset": 0}]},
     "1969-12-30T00:00:00Z", "1970-01-03T00:00:00Z", None),
    ("rule year 2101", {"time_zone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in DAYS},
      "holiday_rules": [{"month": 1, "day": 1}, {"month": 12, "day": 31}]},
     "2100-12-30T00:00:00Z", "2101-01-03T00:00:00Z", None),
    # substitute of 2100-12-31 (Fri) none; 2100-01-01 is Fri.  2099-12-31 Thu.  Sat 2101-01-01 would sub
    ("subst 2100 end", {"time_zone": "UTC", "weekly": WD,
      "holiday_rules": [{"month": 12, "day": 25, "substitute": "next_weekday"}]},
     "2100-12-20T00:00:00Z", "2101-01-10T00:00:00Z", None),
    # touching windows across midnight and 24:00 with DST in New York
    ("ny touching over DST", {"time_zone": "America/New_York",
      "weekly": {"sat": [["04:00", "24:00"]], "sun": [["00:00", "24:00"]], "mon": [["00:00", "23:00"]]}},
     "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z", None),
    ("ny touching over DST add", {"time_zone": "America/New_York",
      "weekly": {"sat": [["04:00", "24:00"]], "sun": [["00:00", "24:00"]], "mon": [["00:00", "23:00"]]}},
     "2026-03-07T12:00:00Z", None, 40 * 3600),
    # night window over the autumn change (25 h night)
    ("berlin night autumn", {"time_zone": "Europe/Berlin",
      "weekly": {"sat": [["22:00", "24:00"]], "sun": [["00:00", "06:00"]]}},
     "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", None),
    # window inside the spring gap: empty
    ("berlin gap window", {"time_zone": "Europe/Berlin", "weekly": {"sun": [["02:00", "02:30"], ["02:30", "03:30"]]}},
     "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", None),
    # fall-back ambiguous window: first occurrence
    ("berlin fold window", {"time_zone": "Europe/Berlin", "weekly": {"sun": [["02:15", "02:45"]]}},
     "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", None),
    ("berlin fold add", {"time_zone": "Europe/Berlin", "weekly": {"sun": [["02:15", "02:45"], ["02:45", "03:00"]]}},
     "2026-10-25T00:20:00Z", None, 1800),
    # Lord Howe: 30 min DST, 02:00 -> 02:30 in October; 02:00 -> 01:30 in April
    ("lord howe gap", {"time_zone": "Australia/Lord_Howe", "weekly": {"sun": [["01:45", "02:45"]]}},
     "2026-10-03T00:00:00Z", "2026-10-05T00:00:00Z", None),
    ("lord howe fold", {"time_zone": "Australia/Lord_Howe", "weekly": {"sun": [["01:40", "02:10"]]}},
     "2026-04-04T00:00:00Z", "2026-04-06T00:00:00Z", None),
    # Chatham 02:45 -> 03:45
    ("chatham gap", {"time_zone": "Pacific/Chatham", "weekly": {"sun": [["02:00", "03:00"], ["03:00", "04:00"]]}},
     "2026-09-26T00:00:00Z", "2026-09-28T00:00:00Z", None),
    # midnight transitions (Havana: 00:00 -> 01:00 in March; 01:00 -> 00:00 in November)
    ("havana midnight gap", {"time_zone": "America/Havana",
      "weekly": {"sat": [["23:00", "24:00"]], "sun": [["00:00", "01:30"]]}},
     "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z", None),
    ("havana midnight fold", {"time_zone": "America/Havana",
      "weekly": {"sat": [["23:00", "24:00"]], "sun": [["00:00", "00:30"]]}},
     "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z", None),
    # DST after 2037 (POSIX footer)
    ("berlin 2040", {"time_zone": "Europe/Berlin", "weekly": {"sun": [["01:00", "04:00"]]}},
     "2040-03-24T00:00:00Z", "2040-03-27T00:00:00Z", None),
    ("ny 2099 fall", {"time_zone": "America/New_York", "weekly": {"sun": [["00:00", "24:00"]]}},
     "2099-10-31T00:00:00Z", "2099-11-03T00:00:00Z", None),
    # add exactly to a window end, add 0, between reversed
    ("add to window end", {"time_zone": "Europe/Berlin", "weekly": WD}, "2026-11-23T08:00:00Z", None, 8 * 3600),
    ("add 0 closed", {"time_zone": "Europe/Berlin", "weekly": WD}, "2026-11-22T08:00:00Z", None, 0),
    ("between reversed", {"time_zone": "Europe/Berlin", "weekly": WD}, "2026-11-24T08:00:00Z",
     "2026-11-23T08:00:00Z", None),
    ("fraction dropped", {"time_zone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in DAYS}},
     "2026-11-24T08:00:00.999Z", "2026-11-24T08:00:10.5+00:00", None),
    # easter offsets that leave the year
    ("easter far", {"time_zone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in DAYS},
      "holiday_rules": [{"easter_offset": -100}, {"easter_offset": 200}]},
     "2025-12-01T00:00:00Z", "2027-02-01T00:00:00Z", None),
    # two rules on the same weekend date, both with substitutes (READING: one substitute each)
    ("duplicate rule dates", {"time_zone": "UTC", "weekly": WD,
      "holiday_rules": [{"month": 12, "day": 25, "substitute": "next_weekday"},
                        {"month": 12, "day": 25, "substitute": "next_weekday"}]},
     "2027-12-20T00:00:00Z", "2028-01-01T00:00:00Z", None),
    # READING (docs/CALENDAR.md): an add that would run past 2200-01-01 fails (24x7 does)
    ("add past 2200", {"time_zone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in DAYS[:5]}},
     "2199-12-31T00:00:00Z", None, 172800),
    ("add past 2200 on 24x7", "24x7", "2199-12-31T00:00:00Z", None, 172800),
    # sparse calendar: only open entries
    ("only entries add", {"time_zone": "Europe/London", "weekly": {},
      "holidays": [{"date": "2026-06-01", "open": [["09:00", "10:00"]]}]}, "2026-05-01T00:00:00Z", None, 3600),
    ("only entries add past", {"time_zone": "Europe/London", "weekly": {},
      "holidays": [{"date": "2026-06-01", "open": [["09:00", "10:00"]]}]}, "2026-05-01T00:00:00Z", None, 3601),
    ("missing weekly", {"time_zone": "Europe/London",
      "holidays": [{"date": "2026-06-01", "open": [["09:00", "10:00"]]}]}, "2026-05-01T00:00:00Z", None, 1800),
]


def run_directed(runner):
    fails, passed = [], 0
    for name, cal, frm, to, dur in DIRECTED:
        path = runner.write_cal(cal, "directed")
        if to is not None:
            exp, got = ref_between(cal, frm, to), runner.bin_between(path, frm, to)
            f = {"kind": "between", "cal": cal, "from": frm, "to": to, "exp": exp, "got": got}
        else:
            exp, got = ref_add(cal, frm, dur), runner.bin_add(path, frm, dur)
            f = {"kind": "add", "cal": cal, "from": frm, "dur": dur, "exp": exp, "got": got}
        if agree(exp, got):
            passed += 1
        else:
            f["kind"] = "directed " + name + " / " + f["kind"]
            fails.append(f)
    return fails, passed


def run_invalid(runner):
    fails, passed = [], 0
    for name, cal in INVALID:
        path = runner.write_cal(cal, "invalid")
        got = runner.bin_add(path, "2026-03-02T08:00:00Z", 3600)
        if got[0] == "error":
            passed += 1
        else:
            fails.append({"kind": "invalid:" + name, "cal": cal, "from": "2026-03-02T08:00:00Z", "dur": 3600,
                          "exp": ("error", "invalid calendar"), "got": got})
    # valid edge cases that must be accepted
    okcals = [
        ("24:00 end", {"time_zone": "UTC", "weekly": {"mon": [["04:00", "24:00"]], "tue": [["00:00", "24:00"]]}},
         "2026-03-02T23:00:00Z", 7200, "2026-03-03T01:00:00Z"),
        ("feb29 rule non-leap", {"time_zone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in DAYS},
                                 "holiday_rules": [{"month": 2, "day": 29}]},
         "2027-02-28T23:00:00Z", 7200, "2027-03-01T01:00:00Z"),
        # READING (docs/CALENDAR.md): add may not run past 2200-01-01T00:00:00Z
    ("add past 2200 on a weekday calendar", {"time_zone": "UTC", "weekly": {d: [["00:00", "24:00"]] for d in DAYS[:5]}},
     "2199-12-31T00:00:00Z", 86400, "2200-01-01T00:00:00Z"),
    ("add 0 on closed cal", {"time_zone": "UTC", "weekly": {}}, "2026-03-02T08:00:00Z", 0,
         "2026-03-02T08:00:00Z"),
    ]
    for name, cal, frm, d, exp in okcals:
        path = runner.write_cal(cal, "edge")
        got = runner.bin_add(path, frm, d)
        refv = ref_add(cal, frm, d)
        if got == ("ok", exp) and refv == ("ok", exp):
            passed += 1
        else:
            fails.append({"kind": "edge:" + name, "cal": cal, "from": frm, "dur": d,
                          "exp": ("ok", exp) if refv == ("ok", exp) else refv, "got": got})
    return fails, passed


def report_fail(runner, f, do_shrink):
    cal = f["cal"]
    if f["kind"] == "batch":
        s, d = f["start"], f["dur"]
        frm = R.format_instant(s)

        def check(c):
            p = runner.write_cal(c, "shrink")
            return not agree(ref_add(c, frm, d), runner.bin_add(p, frm, d))
        if do_shrink and check(cal):
            cal = shrink(runner, cal, check)
        path = runner.write_cal(cal, "repro")
        cmd = "sladesk calendar add --calendar %s --from %s --duration %d   # batch line %d,%d" % (
            shquote(path), frm, d, s, d)
        exp = ref_add(cal, frm, d)
        got = runner.bin_add(path, frm, d)
        if agree(exp, got):  # only the batch path differs
            exp, got = f["exp"], f["got"]
            cmd = "echo %d,%d | sladesk calendar add --calendar %s --batch" % (s, d, shquote(path))
    elif f["kind"] == "between":
        a, b = f["from"], f["to"]

        def check(c):
            p = runner.write_cal(c, "shrink")
            return not agree(ref_between(c, a, b), runner.bin_between(p, a, b))
        if do_shrink:
            cal = shrink(runner, cal, check)
        path = runner.write_cal(cal, "repro")
        cmd = "sladesk calendar between --calendar %s --from %s --to %s" % (shquote(path), a, b)
        exp, got = ref_between(cal, a, b), runner.bin_between(path, a, b)
    elif f["kind"].startswith("directed"):
        path = runner.write_cal(cal, "repro")
        if "to" in f:
            cmd = "sladesk calendar between --calendar %s --from %s --to %s" % (shquote(path), f["from"], f["to"])
        else:
            cmd = "sladesk calendar add --calendar %s --from %s --duration %d" % (shquote(path), f["from"], f["dur"])
        exp, got = f["exp"], f["got"]
    else:
        frm, d = f["from"], f["dur"]

        def check(c):
            p = runner.write_cal(c, "shrink")
            return not agree(ref_add(c, frm, d), runner.bin_add(p, frm, d))
        if do_shrink and not f["kind"].startswith(("invalid", "edge")):
            cal = shrink(runner, cal, check)
        path = runner.write_cal(cal, "repro")
        cmd = "sladesk calendar add --calendar %s --from %s --duration %d" % (shquote(path), frm, d)
        exp, got = f["exp"], runner.bin_add(path, frm, d)
        if not f["kind"].startswith(("invalid", "edge")):
            exp = ref_add(cal, frm, d)
    print("DISAGREEMENT [%s]" % f["kind"])
    print("  calendar: %s" % json.dumps(clean(cal)))
    print("  command:  %s" % cmd)
    print("  expected: %s" % (exp,))
    print("  actual:   %s" % (got,))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--cases", type=int, default=120)
    ap.add_argument("--queries", type=int, default=25, help="batch add queries per calendar")
    ap.add_argument("--seed", default=str(int(time.time())))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=None)
    ap.add_argument("--max-report", type=int, default=8, help="disagreements shrunk and printed")
    ap.add_argument("binary", nargs="?")
    a = ap.parse_args()
    binary = find_binary(a.bin or a.binary)
    outdir = a.out or tempfile.mkdtemp(prefix="diff_calendar-")
    os.makedirs(outdir, exist_ok=True)
    runner = Runner(binary, outdir)
    print("seed %s, calendars in %s" % (a.seed, outdir))
    fails, passed = run_invalid(runner)
    f2, p2 = run_directed(runner)
    fails += f2
    passed += p2
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for f, p in ex.map(lambda i: run_case(runner, a.seed, i, a.queries), range(a.cases)):
            fails += f
            passed += p
    seen = set()
    shown = 0
    for f in fails:
        key = (f["kind"], json.dumps(clean(f["cal"]), sort_keys=True))
        if shown >= a.max_report:
            break
        if key in seen:
            continue  # one report per calendar and kind
        seen.add(key)
        shown += 1
        report_fail(runner, f, do_shrink=True)
    if len(fails) > shown:
        print("(%d more disagreements not shown; rerun with --seed %s --max-report N)" % (len(fails) - shown, a.seed))
    print("%d passed, %d failed" % (passed, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
