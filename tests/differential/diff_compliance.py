#!/usr/bin/env python3
"""Differential test: `sladesk report availability|downtime` (CONTRACT §7, §8)
against reference_compliance.py.

    diff_compliance.py [--bin PATH] [--cases N] [--seed S] [--jobs J] [--out DIR]

Random months of incidents (zones with DST at 01:00/02:00/midnight, southern
hemisphere, half-hour DST, 30/45-minute offsets; months around DST changes
and leap days; incidents across the month's local edges, overlapping,
nested, of every cause, absent/null causes, offsets in input; outage lengths
placed exactly on the target and one second either side, for whole and
decimal targets) and random downtime notices (generated policies with other
zones, margins, shares, minimums and lookbacks; notices next to local month
starts, DST changes and day 29-31; tickets opened on the window's edges, with
replies exactly at target x (1 + margin) business seconds and one second
after, waits, severity changes, reopens, events after the notice), plus bad
input that must exit 2.  Disagreements are shrunk (incidents / tickets
dropped while a difference stays) and printed with a command that
reproduces them.  Exit 1 on any disagreement.
"""
import argparse
import datetime as dt
import itertools
import json
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402
import reference_compliance as RC  # noqa: E402
from common import find_binary, run, shquote  # noqa: E402
from diff_calendar import transitions  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
ZONES = ["Europe/London", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata",
         "America/St_Johns", "Australia/Lord_Howe", "America/Santiago", "Asia/Tehran", "Europe/Dublin",
         "Pacific/Chatham", "America/Havana", "UTC"]
CAUSES = ["outage", "subcontractor", "allowed_maintenance", "excluded_cause", "customer", "third_party",
          "force_majeure"]
TARGETS = ["98", "97.5", "99.95", "99.9", "95", "100", "0", "99.999", "98.25"]
TYPES = ["agent_reply", "customer_reply", "waiting_on_customer", "severity_changed", "resolved", "reopened",
         "closed"]


def iso(epoch, rng=None):
    t = R._EPOCH0 + dt.timedelta(seconds=epoch)
    if rng is not None and rng.random() < 0.15:
        offs = int(rng.choice([-5, -3.5, 1, 2, 5.75, 9, -10]) * 3600)
        t = t + dt.timedelta(seconds=offs)
        a = abs(offs)
        return t.strftime("%Y-%m-%dT%H:%M:%S") + "%s%02d:%02d" % ("+" if offs >= 0 else "-", a // 3600,
                                                                   a % 3600 // 60)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------ policies

AVAIL_POLICY = """[policy]
id = "diff-availability"
name = "diff"
[tickets]
default_severity = "normal"
[[calendars]]
id = "office"
time_zone = "{zone}"
weekly = {{ mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]] }}
[[severities]]
id = "normal"
name = "Normal"
[[plans]]
id = "hosted"
name = "Hosted"
calendar = "office"
[plans.targets]
normal = {{ first_response = "8 hours" }}
[contract.availability]
monthly_target_percent = {target}
"""

DOWNTIME_POLICY = """[policy]
id = "diff-downtime"
name = "diff"
[tickets]
default_severity = "{default}"
[[calendars]]
id = "desk"
time_zone = "{zone}"
hours_per_business_day = 8
weekly = {{ {weekly} }}
holiday_rules = [{{ name = "New Year", month = 1, day = 1 }}]
[[severities]]
id = "s1"
name = "S1"
[[severities]]
id = "s2"
name = "S2"
[[severities]]
id = "s3"
name = "S3"
[[severities]]
id = "s4"
name = "S4"
[[plans]]
id = "basic"
name = "Basic"
calendar = "desk"
severity_calendars = {{ s1 = "24x7" }}
[plans.targets]
s1 = {{ first_response = "1 hour", next_update = "2 hours" }}
s2 = {{ first_response = "{fr2}", next_update = "8 hours" }}
s3 = {{ first_response = "8 hours", next_update = "none" }}
s4 = {{ first_response = "none", next_update = "24 hours" }}
[contract.downtime]
share_percent = {share}
over_target_by_percent = {margin}
severities = {sevs}
lookback_months = {lookback}
minimum_tickets = {minimum}
remedy_within_calendar_months = {remedy}
"""

WEEKLIES = [
    'mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]], wed = [["09:00", "17:00"]], '
    'thu = [["09:00", "17:00"]], fri = [["09:00", "17:00"]]',
    'mon = [["04:00", "24:00"]], tue = [["00:00", "24:00"]], wed = [["00:00", "24:00"]], '
    'thu = [["00:00", "24:00"]], fri = [["00:00", "23:00"]]',
    'mon = [["00:30", "03:30"], ["08:00", "20:00"]], wed = [["01:00", "02:30"]], sat = [["10:00", "14:00"]]',
]


class Ctx:
    def __init__(self, binary, outdir):
        self.bin = binary
        self.outdir = outdir
        self.counter = itertools.count()
        self.generated = {}

    def write_policy(self, text):
        if text not in self.generated:
            path = os.path.join(self.outdir, "policy-%d.toml" % next(self.counter))
            with open(path, "w") as f:
                f.write(text)
            self.generated[text] = path
        return self.generated[text]

    def diff(self, kind, policy, req):
        rc, out, err = run(self.bin, ["report", kind, "--policy", policy, "--input", "-"], stdin=json.dumps(req))
        st, exp = RC.answer(kind, policy, req)
        if "Sanitizer" in err or "runtime error" in err:
            return ["sanitizer: " + err.strip()[:400]]
        if st:
            if rc != 2 or not err.strip():
                return ["reference refuses (%s); binary rc=%s out=%s" % (exp, rc, out.strip()[:200])]
            return []
        if rc != 0:
            return ["binary rc=%s (%s); reference: %s" % (rc, err.strip()[:300], json.dumps(exp))]
        got = json.loads(out)
        d = []
        if list(got.keys()) != list(exp.keys()):
            d.append("keys %s != %s" % (list(got.keys()), list(exp.keys())))
        for k, v in exp.items():
            g = got.get(k)
            if k == "availability_percent":
                if not isinstance(g, (int, float)) or abs(g - v) > 1e-6:
                    d.append("%s: sladesk %r, reference %r" % (k, g, v))
            elif g != v:
                d.append("%s: sladesk %r, reference %r" % (k, g, v))
        return d


# ------------------------------------------------------------ availability

def gen_availability(rng, ctx):
    r = rng.random()
    if r < 0.25:
        policy = os.path.join(ROOT, "policies", "agency-support.toml")
        zone, target = "Europe/London", Fraction(98)
    else:
        zone, target_text = rng.choice(ZONES), rng.choice(TARGETS)
        policy = ctx.write_policy(AVAIL_POLICY.format(zone=zone, target=target_text))
        target = Fraction(target_text)
    tz = R.ZoneInfo(zone)
    year = rng.choice([1999, 2024, 2026, 2027, 2028, 2037, 2038, 2050, 2099, 2100])
    trs = transitions(zone, year)
    if trs and rng.random() < 0.6:
        t = rng.choice(trs)
        loc = RC.to_local(tz, t)
        month = (loc.year, loc.month)
    else:
        month = (year, rng.choice([1, 2, 2, 3, 4, 6, 10, 11, 12]))
    a = RC.month_start(tz, *month)
    b = RC.month_start(tz, month[0], month[1] + 1)
    req = {"month": "%04d-%02d" % month, "incidents": []}

    def cause():
        k = rng.random()
        if k < 0.1:
            return {}
        if k < 0.15:
            return {"cause": None}
        return {"cause": rng.choice(CAUSES)}

    if rng.random() < 0.35:
        # the boundary: excluded windows in the first third, then one outage of
        # exactly the length that meets the target, or one second either side
        excl = 0
        for _ in range(rng.randrange(0, 3)):
            s = a + rng.randrange(0, (b - a) // 3 - 7200)
            ln = rng.randrange(1, 7200)
            s = a + excl * 0 + s - a
            req["incidents"].append(dict({"start": iso(s, rng), "end": iso(s + ln, rng)},
                                         cause=rng.choice(CAUSES[2:])))
        exp = RC.availability(policy, req)
        measured = exp["measured_seconds"]
        need = Fraction(measured) * (100 - target) / 100
        if need.denominator == 1 or rng.random() < 0.5:
            d = int(need) + rng.choice([0, 0, 1, -1])
            d = max(1, min(d, (b - a) // 2))
            s = a + (b - a) // 2 + rng.randrange(0, 3600)
            req["incidents"].append(dict({"start": iso(s, rng), "end": iso(s + d, rng)},
                                         **rng.choice([{}, {"cause": "outage"}, {"cause": "subcontractor"}])))
        return policy, req
    for _ in range(rng.randrange(0, 9)):
        k = rng.random()
        if k < 0.3:   # across the start
            s = a - rng.randrange(1, 3 * 86400)
            e = a + rng.choice([0, 1, rng.randrange(1, 3 * 86400)])
        elif k < 0.6:  # across the end
            s = b - rng.choice([0, 1, rng.randrange(1, 3 * 86400)])
            e = b + rng.randrange(1, 3 * 86400)
        elif k < 0.7:  # around the whole month
            s, e = a - rng.randrange(0, 86400), b + rng.randrange(0, 86400)
        else:
            s = rng.randrange(a, b)
            e = s + rng.choice([1, 59, 3600, rng.randrange(1, 86400), rng.randrange(1, 10 * 86400)])
        if e <= s:
            e = s + 1
        req["incidents"].append(dict({"start": iso(s, rng), "end": iso(e, rng)}, **cause()))
    if req["incidents"] and rng.random() < 0.3:  # overlaps: copy one with another cause, nested
        x = rng.choice(req["incidents"])
        s, e = R.parse_instant(x["start"]), R.parse_instant(x["end"])
        mid = (s + e) // 2
        req["incidents"].append({"start": iso(s if rng.random() < 0.5 else mid), "end": iso(max(mid, s) + 1 if
                                 rng.random() < 0.5 else e), "cause": rng.choice(CAUSES)})
    return policy, req


# ------------------------------------------------------------ downtime

def gen_downtime_policy(rng, ctx):
    if rng.random() < 0.3:
        return os.path.join(ROOT, "policies", "supermetrics.toml")
    if rng.random() < 0.1:
        return os.path.join(ROOT, "tests", "compliance", "data", "policies", "downtime-london.toml")
    sevs = rng.choice([["s1", "s2", "s3"], ["s2"], ["s1", "s2"], ["s1"], ["s3", "s4"], ["s1", "s2", "s3", "s4"]])
    text = DOWNTIME_POLICY.format(
        zone=rng.choice(ZONES), weekly=rng.choice(WEEKLIES), default=rng.choice(["s2", "s3", "s4"]),
        fr2=rng.choice(["4 hours", "1 business day", "90 minutes"]),
        share=rng.choice(["50", "33.3", "66.67", "100", "10", "0"]),
        margin=rng.choice(["20", "0", "12.5", "50", "33.33"]),
        sevs=json.dumps(sevs), lookback=rng.choice([1, 2, 3, 3, 4, 12]), minimum=rng.choice([0, 1, 3, 10]),
        remedy=rng.choice([0, 1, 1, 2]))
    return ctx.write_policy(text)


def gap(rng):
    k = rng.random()
    if k < 0.1:
        return 0
    if k < 0.4:
        return rng.randrange(1, 3600)
    if k < 0.75:
        return rng.randrange(3600, 12 * 3600)
    return rng.randrange(12 * 3600, 4 * 86400)


def gen_downtime(rng, ctx):
    policy = gen_downtime_policy(rng, ctx)
    doc, pol = RC.load_policy(policy)
    rule = doc["contract"]["downtime"]
    least = max(rule["severities"], key=pol.severities.index)
    tz = None
    for p in doc["plans"]:
        for m in ("first_response", "next_update"):
            tg = pol.target(p["id"], least, m)
            if tg is not None:
                tz = tg.cal.tz
                break
        if tz is not None:
            break
    tz = tz or R.ZoneInfo("UTC")
    year = rng.choice([2025, 2026, 2027, 2028])
    k = rng.random()
    if k < 0.3:   # next to a local month start
        m = rng.randrange(1, 13)
        now = RC.month_start(tz, year, m) + rng.choice([-1, 0, 1, -3600, 3600, rng.randrange(-7200, 7200)])
    elif k < 0.5:  # days 29-31 (remedy clamping)
        m = rng.randrange(1, 13)
        last = RC._pycal.monthrange(year, m)[1]
        d = rng.randrange(min(29, last), last + 1)
        now = RC.from_local(tz, dt.datetime(year, m, d, rng.randrange(0, 24), rng.choice([0, 30, 59])))
    else:
        trs = transitions(str(tz.key), year)
        if trs and rng.random() < 0.6:   # a notice whose remedy lands on a DST change
            t = rng.choice(trs)
            now = RC.months_later(tz, t, -1) + rng.choice([-3600, -1800, 0, 1800, 3600])
        else:
            now = R.parse_instant("%d-01-01T00:00:00Z" % year) + rng.randrange(0, 365 * 86400)
    loc = RC.to_local(tz, now)
    w_from = RC.month_start(tz, loc.year, loc.month - int(rule["lookback_months"]))
    w_to = RC.month_start(tz, loc.year, loc.month)
    req = {"notified_at": iso(now, rng), "tickets": []}
    margin = Fraction(str(rule["over_target_by_percent"])) / 100
    n = rng.choice([0, 1, 3, 9, 10, 11, rng.randrange(0, 25)])
    for i in range(n):
        k = rng.random()
        if k < 0.15:
            opened = rng.choice([w_from, w_from - 1, w_to, w_to - 1, w_from + 1])
        elif k < 0.25:
            opened = w_from - rng.randrange(1, 40 * 86400)
        else:
            opened = rng.randrange(w_from, max(w_from + 1, min(w_to, now)))
        t = {"id": "T-%d" % i, "plan": rng.choice(sorted(pol.plans))}
        if rng.random() < 0.8:
            t["severity"] = rng.choice(pol.severities)
        elif rng.random() < 0.5:
            t["severity"] = None
        evs = [{"at": iso(opened, rng), "type": "opened"}]
        cur = opened
        if rng.random() < 0.4:
            # a reply on the margin: exactly target x (1 + margin) business seconds, or one more
            sev = t.get("severity") or pol.default_severity
            tg = pol.target(t["plan"], sev, "first_response")
            if tg is not None:
                lim = tg.seconds * (1 + margin)
                secs = int(lim) + (rng.choice([0, 1]) if lim.denominator == 1 else 1)
                cur = tg.cal.add(opened, secs)
                evs.append({"at": iso(cur), "type": "agent_reply"})
        for _ in range(rng.randrange(0, 8)):
            cur += gap(rng)
            typ = rng.choice(TYPES)
            e = {"at": iso(cur, rng), "type": typ}
            if typ == "severity_changed":
                e["severity"] = rng.choice(pol.severities)
            evs.append(e)
        if rng.random() < 0.15:
            evs.append({"at": iso(now + rng.choice([0, 1, 3600])), "type": rng.choice(TYPES[:3])})
        if rng.random() < 0.1:
            rng.shuffle(evs)
        t["events"] = evs
        req["tickets"].append(t)
    return policy, req


# ------------------------------------------------------------ bad input

BAD_AVAILABILITY = [
    {"incidents": []}, {"month": "2027-13", "incidents": []}, {"month": "2027-3", "incidents": []},
    {"month": 202703, "incidents": []}, {"month": "2027-03"}, {"month": "2027-03", "incidents": {}},
    {"month": "2027-03", "incidents": [{"start": "2027-03-02T00:00:00Z", "end": "2027-03-02T00:00:00Z"}]},
    {"month": "2027-03", "incidents": [{"start": "2027-03-02T00:00:00Z", "end": "2027-03-01T00:00:00Z"}]},
    {"month": "2027-03", "incidents": [{"start": "2027-03-02T00:00:00Z", "end": "2027-03-03T00:00:00Z",
                                        "cause": "power"}]},
    {"month": "2027-03", "incidents": [{"start": "2027-03-02T00:00:00Z"}]},
    {"month": "2027-03", "incidents": [{"end": "2027-03-02T00:00:00Z"}]},
    {"month": "2027-03", "incidents": [{"start": "2027-03-02", "end": "2027-03-03T00:00:00Z"}]},
    {"month": "2027-03", "incidents": ["x"]}, [],
]
BAD_DOWNTIME = [
    {"tickets": []}, {"notified_at": "2027-04-17T15:00:00Z"}, {"notified_at": "2027-04-17", "tickets": []},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"plan": "premium", "events": []}]},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": 1, "plan": "premium", "events": []}]},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": "a", "plan": "premium", "events": []},
                                                        {"id": "a", "plan": "premium", "events": []}]},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": "a", "plan": "gold", "events": []}]},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": "a", "plan": "premium"}]},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": "a", "plan": "premium",
                                                         "events": [{"at": "2027-01-01T00:00:00Z", "type": "x"}]}]},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": [{"id": "a", "plan": "premium", "severity": "p1",
                                                         "events": []}]},
    {"notified_at": "2027-04-17T15:00:00Z", "tickets": "none"},
]


def run_bad(ctx):
    passed, failed = 0, []
    agency = os.path.join(ROOT, "policies", "agency-support.toml")
    sm = os.path.join(ROOT, "policies", "supermetrics.toml")
    calls = [("availability", agency, r) for r in BAD_AVAILABILITY] + \
            [("downtime", sm, r) for r in BAD_DOWNTIME] + \
            [("availability", sm, {"month": "2027-03", "incidents": []}),
             ("downtime", agency, {"notified_at": "2027-04-17T15:00:00Z", "tickets": []})]
    for kind, policy, req in calls:
        d = ctx.diff(kind, policy, req)
        if d or RC.answer(kind, policy, req)[0] != 2:
            failed.append((kind, policy, req, d or ["the reference accepts a bad input"]))
        else:
            passed += 1
    return passed, failed


def shrink(ctx, kind, policy, req, budget=60):
    key = "incidents" if kind == "availability" else "tickets"
    changed = True
    while changed and budget > 0:
        changed = False
        for i in range(len(req.get(key, []))):
            budget -= 1
            if budget <= 0:
                break
            r = dict(req, **{key: req[key][:i] + req[key][i + 1:]})
            if ctx.diff(kind, policy, r):
                req, changed = r, True
                break
    return req


def run_case(ctx, seed, idx):
    rng = random.Random("%s-%d" % (seed, idx))
    kind = "availability" if idx % 2 == 0 else "downtime"
    policy, req = (gen_availability if kind == "availability" else gen_downtime)(rng, ctx)
    return kind, policy, req, ctx.diff(kind, policy, req)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--cases", type=int, default=400)
    ap.add_argument("--seed", default=str(int(time.time())))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out")
    ap.add_argument("--max-report", type=int, default=10)
    a = ap.parse_args()
    binary = find_binary(a.bin)
    outdir = a.out or tempfile.mkdtemp(prefix="diff_compliance-")
    os.makedirs(outdir, exist_ok=True)
    ctx = Ctx(binary, outdir)
    print("seed %s, requests in %s" % (a.seed, outdir))
    # Policies are generated up front (one thread writes them).
    for i in range(a.cases):
        rng = random.Random("%s-%d" % (a.seed, i))
        (gen_availability if i % 2 == 0 else gen_downtime)(rng, ctx)
    passed, failed = run_bad(ctx)
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for kind, policy, req, d in ex.map(lambda i: run_case(ctx, a.seed, i), range(a.cases)):
            if d:
                failed.append((kind, policy, req, d))
            else:
                passed += 1
    for kind, policy, req, d in failed[:a.max_report]:
        small = shrink(ctx, kind, policy, req) if isinstance(req, dict) else req
        d2 = ctx.diff(kind, policy, small) or d
        f = os.path.join(outdir, "req-%d.json" % next(ctx.counter))
        with open(f, "w") as fh:
            json.dump(small, fh, indent=1)
        print("DISAGREEMENT (%s, %s)" % (kind, os.path.basename(policy)))
        print("  command: sladesk report %s --policy %s --input %s" % (kind, shquote(policy), shquote(f)))
        print("  reference: python3 %s %s %s %s" % (shquote(os.path.join(HERE, "reference_compliance.py")), kind,
                                                     shquote(policy), shquote(f)))
        for line in d2:
            print("    " + line)
    if len(failed) > a.max_report:
        print("(%d more disagreements not shown; rerun with --seed %s --max-report N)" % (
            len(failed) - a.max_report, a.seed))
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
