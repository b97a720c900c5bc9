#!/usr/bin/env python3
"""Independent reference for CONTRACT §7 (availability level) and §8 (downtime
rule), written from the contract text alone (Python 3 standard library,
zoneinfo, tomllib).  Business time and targets come from reference.py (the
independent implementation of §2-§4); everything about months, zones,
unions, margins and remedies is here.

    reference_compliance.py availability POLICY.toml REQUEST.json
    reference_compliance.py downtime     POLICY.toml REQUEST.json

Prints the answer JSON, or "error: <field>: <message>" and exits 2.

READING (the contract leaves these to the project; docs/COMPLIANCE.md):
* §7 zone: contract.availability.time_zone when the policy sets it, else the
  one zone of the plans' support-hours calendars (24x7 ignored), else of the
  named calendars, else UTC; several zones without time_zone is an error.
* §8 zone: the least severe of the rule's severities (lowest in the policy's
  list); the first plan (file order) with a first_response, else
  next_update, target for it; that target's calendar (24x7 -> UTC).
* §8 remedy length: remedy_within_calendar_months when set, else 1.
"""
import calendar as _pycal
import datetime as _dt
import json
import os
import sys
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402  (calendar, targets, instants)

UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
COUNTED = {"outage", "subcontractor"}
EXCLUDED = {"allowed_maintenance", "excluded_cause", "customer", "third_party", "force_majeure"}


class Bad(ValueError):
    pass


# ------------------------------------------------------------ zones, months

def offset(tz, t):
    return int((EPOCH + _dt.timedelta(seconds=t)).astimezone(tz).utcoffset().total_seconds())


def to_local(tz, t):
    """epoch -> naive local datetime"""
    return (EPOCH + _dt.timedelta(seconds=t)).astimezone(tz).replace(tzinfo=None)


def from_local(tz, naive):
    """naive local datetime -> epoch. §2: a time that does not exist maps to
    the instant the clock jumps to; an ambiguous one to its first occurrence."""
    wall = _pycal.timegm(naive.timetuple())
    hits = []
    for fold in (0, 1):
        off = int(naive.replace(tzinfo=tz, fold=fold).utcoffset().total_seconds())
        t = wall - off
        if t + offset(tz, t) == wall:
            hits.append(t)
    if hits:
        return min(hits)
    lo, hi = wall - 2 * 86400, wall + 2 * 86400  # smallest t with local(t) > wall
    while lo < hi:
        mid = (lo + hi) // 2
        if mid + offset(tz, mid) > wall:
            hi = mid
        else:
            lo = mid + 1
    return lo


def month_start(tz, y, m):
    while m > 12:
        y, m = y + 1, m - 12
    while m < 1:
        y, m = y - 1, m + 12
    return from_local(tz, _dt.datetime(y, m, 1))


def months_later(tz, t, n):
    loc = to_local(tz, t)
    idx = loc.year * 12 + loc.month - 1 + n
    y, m = idx // 12, idx % 12 + 1
    d = min(loc.day, _pycal.monthrange(y, m)[1])
    return from_local(tz, loc.replace(year=y, month=m, day=d))


def fmt(t):
    return R.format_instant(t)


# ------------------------------------------------------------ policy

def load_policy(path):
    import tomllib
    with open(path, "rb") as f:
        doc = tomllib.load(f, parse_float=Decimal)
    return doc, R.Policy.from_toml_file(path)


def cal_zone(doc, cal_id):
    if cal_id in (None, "24x7"):
        return None
    for c in doc.get("calendars", []):
        if c["id"] == cal_id:
            return c["time_zone"]
    raise Bad("calendar: unknown %r" % cal_id)


# ------------------------------------------------------------ §7

def availability(policy_path, req):
    doc, _ = load_policy(policy_path)
    av = doc.get("contract", {}).get("availability")
    if av is None:
        raise Bad("contract.availability: no availability level")
    target = Fraction(Decimal(str(av["monthly_target_percent"])))
    zname = av.get("time_zone")
    if zname is None:
        zones = []
        for p in doc["plans"]:
            z = cal_zone(doc, p.get("calendar"))
            if z is not None and z not in zones:
                zones.append(z)
        if not zones:
            for c in doc.get("calendars", []):
                if c["time_zone"] not in zones:
                    zones.append(c["time_zone"])
        if len(zones) > 1:
            raise Bad("contract.availability.time_zone: several zones")
        zname = zones[0] if zones else "UTC"
    tz = ZoneInfo(zname)

    if not isinstance(req, dict):
        raise Bad("input: not an object")
    month = req.get("month")
    if not isinstance(month, str) or len(month) != 7 or month[4] != "-" \
            or not (month[:4] + month[5:]).isdigit() or not 1 <= int(month[5:]) <= 12:
        raise Bad("month: malformed")
    y, m = int(month[:4]), int(month[5:])
    if "incidents" not in req or not isinstance(req["incidents"], list):
        raise Bad("incidents: missing or not an array")
    a, b = month_start(tz, y, m), month_start(tz, y, m + 1)
    counted, excluded = [], []
    for i, inc in enumerate(req["incidents"]):
        if not isinstance(inc, dict):
            raise Bad("incidents[%d]: not an object" % i)
        for k in ("start", "end"):
            if not isinstance(inc.get(k), str):
                raise Bad("incidents[%d].%s: missing" % (i, k))
        s, e = R.parse_instant(inc["start"]), R.parse_instant(inc["end"])
        if e <= s:
            raise Bad("incidents[%d].end: not after start" % i)
        cause = inc.get("cause")
        if cause is None:
            cause = "outage"
        if cause not in COUNTED and cause not in EXCLUDED:
            raise Bad("incidents[%d].cause: unknown" % i)
        s, e = max(s, a), min(e, b)
        if s < e:
            (counted if cause in COUNTED else excluded).append((s, e))

    # union by a per-second-free sweep: count seconds covered by excluded, and
    # counted seconds not covered by excluded.
    points = sorted({a, b} | {x for s in counted + excluded for x in s})
    exc_s = down_s = 0
    for lo, hi in zip(points, points[1:]):
        in_exc = any(s <= lo and hi <= e for s, e in excluded)
        in_cnt = any(s <= lo and hi <= e for s, e in counted)
        if in_exc:
            exc_s += hi - lo
        elif in_cnt:
            down_s += hi - lo
    month_s = b - a
    measured = month_s - exc_s
    if measured == 0:
        ratio = Fraction(100)
    else:
        ratio = Fraction(100 * (measured - down_s), measured)
    t = target if target.denominator != 1 else int(target)
    return {"month": month, "month_seconds": month_s, "excluded_seconds": exc_s,
            "measured_seconds": measured, "downtime_seconds": down_s,
            "availability_percent": round(float(ratio), 6),
            "target_percent": float(t) if isinstance(t, Fraction) else t,
            "met": ratio >= target}


# ------------------------------------------------------------ §4 instances

class Clock:
    def __init__(self, start, paused=False):
        self.start = start
        self.spans = []
        self.since = None if paused else start
        self.stopped = False
        self.stop_sev = None

    def pause(self, t):
        if self.since is not None:
            self.spans.append((self.since, t))
            self.since = None

    def resume(self, t):
        if self.since is None and not self.stopped:
            self.since = t

    def stop(self, t, sev):
        if self.stopped:
            return
        self.pause(t)
        self.stopped = True
        self.stop_sev = sev

    def reopen(self, t):
        self.stopped = False
        self.stop_sev = None
        self.since = t

    def elapsed(self, cal, now):
        spans = self.spans + ([(self.since, now)] if self.since is not None else [])
        return sum(cal.between(x, y) for x, y in spans)


def replay(pol, plan_id, sev, events, now):
    """§4 at `now`: (severity at now, [(metric, Clock)]) for every instance."""
    evs = sorted(((R.parse_instant(e["at"]), i, e) for i, e in enumerate(events)), key=lambda x: (x[0], x[1]))
    evs = [x for x in evs if x[0] <= now]
    afr = bool(pol.plans[plan_id].get("resolution_starts_at_first_response", False))
    opened = resolved = waiting = False
    fr = res = None
    cycles = []

    def new_cycle(t, paused=False):
        if cycles:
            cycles[-1].stop(t, sev)
        cycles.append(Clock(t, paused))

    for t, _, e in evs:
        typ = e["type"]
        if typ == "severity_changed":
            sev = e["severity"]
            continue
        if typ == "opened":
            if not opened:
                opened = True
                fr = Clock(t)
                if not afr:
                    res = Clock(t)
            continue
        if not opened:
            continue
        if resolved:
            if typ == "reopened":
                resolved = False
                if res is not None:
                    res.reopen(t)
                new_cycle(t)
            continue
        if typ == "agent_reply":
            fr.stop(t, sev)
            if afr and res is None:
                res = Clock(t, paused=waiting)
            new_cycle(t, paused=waiting)
        elif typ == "waiting_on_customer":
            if not waiting:
                waiting = True
                if res is not None:
                    res.pause(t)
                if cycles:
                    cycles[-1].pause(t)
        elif typ in ("customer_reply", "reopened"):
            if waiting:
                waiting = False
                if res is not None:
                    res.resume(t)
                new_cycle(t)
            elif typ == "reopened":
                new_cycle(t)
        elif typ in ("resolved", "closed"):
            resolved = True
            waiting = False
            fr.stop(t, sev)
            if res is not None:
                res.stop(t, sev)
            if cycles:
                cycles[-1].stop(t, sev)
    out = []
    if fr is not None:
        out.append(("first_response", fr))
    out += [("next_update", c) for c in cycles]
    if res is not None:
        out.append(("resolution", res))
    return sev, out


# ------------------------------------------------------------ §8

def downtime(policy_path, req):
    doc, pol = load_policy(policy_path)
    rule = doc.get("contract", {}).get("downtime")
    if rule is None:
        raise Bad("contract.downtime: no downtime rule")
    share = Fraction(Decimal(str(rule["share_percent"]))) / 100
    margin = Fraction(Decimal(str(rule["over_target_by_percent"]))) / 100
    rule_sevs = rule["severities"]
    least = max(rule_sevs, key=pol.severities.index)
    zone = None
    for p in doc["plans"]:
        tg = None
        for metric in ("first_response", "next_update"):
            tg = pol.target(p["id"], least, metric)
            if tg is not None:
                break
        if tg is not None:
            zone = tg.cal.tz
            break
    tz = zone or ZoneInfo("UTC")

    if not isinstance(req, dict):
        raise Bad("input: not an object")
    if not isinstance(req.get("notified_at"), str):
        raise Bad("notified_at: missing")
    now = R.parse_instant(req["notified_at"])
    if not isinstance(req.get("tickets"), list):
        raise Bad("tickets: missing")
    loc = to_local(tz, now)
    w_from = month_start(tz, loc.year, loc.month - int(rule["lookback_months"]))
    w_to = month_start(tz, loc.year, loc.month)
    ids = set()
    submitted = considered = 0
    over_ids = []
    for i, tk in enumerate(req["tickets"]):
        if not isinstance(tk, dict):
            raise Bad("tickets[%d]: not an object" % i)
        if not isinstance(tk.get("id"), str):
            raise Bad("tickets[%d].id: missing" % i)
        if tk["id"] in ids:
            raise Bad("tickets[%d].id: duplicate" % i)
        ids.add(tk["id"])
        if tk.get("plan") not in pol.plans:
            raise Bad("tickets[%d].plan: unknown" % i)
        sev0 = tk.get("severity") or pol.default_severity
        if sev0 not in pol.severities:
            raise Bad("tickets[%d].severity: unknown" % i)
        evs = tk.get("events")
        if not isinstance(evs, list):
            raise Bad("tickets[%d].events: missing" % i)
        for j, e in enumerate(evs):
            if not isinstance(e, dict) or e.get("type") not in R_TYPES or not isinstance(e.get("at"), str):
                raise Bad("tickets[%d].events[%d]: out of shape" % (i, j))
            R.parse_instant(e["at"])
            if e["type"] == "severity_changed" and e.get("severity") not in pol.severities:
                raise Bad("tickets[%d].events[%d].severity: unknown" % (i, j))
        ordered = sorted(((R.parse_instant(e["at"]), j) for j, e in enumerate(evs) if e["type"] == "opened"))
        first_open = ordered[0][0] if ordered else None
        if first_open is None or not (w_from <= first_open < w_to):
            continue
        submitted += 1
        sev_now, insts = replay(pol, tk["plan"], sev0, evs, now)
        if sev_now not in rule_sevs:
            continue
        considered += 1
        over = False
        for metric, c in insts:
            if metric == "resolution":
                continue
            tg = pol.target(tk["plan"], c.stop_sev if c.stopped else sev_now, metric)
            if tg is None:
                continue
            if Fraction(c.elapsed(tg.cal, now)) > tg.seconds * (1 + margin):
                over = True
        if over:
            over_ids.append(tk["id"])
    is_down = submitted >= int(rule["minimum_tickets"]) and considered > 0 and \
        len(over_ids) >= share * considered
    months = int(rule.get("remedy_within_calendar_months", 0)) or 1
    return {"window": {"from": fmt(w_from), "to": fmt(w_to)},
            "submitted": submitted, "considered": considered, "over": len(over_ids),
            "over_ids": over_ids, "downtime": is_down,
            "remedy": {"from": fmt(now), "to": fmt(months_later(tz, now, months))} if is_down else None}


R_TYPES = {"opened", "agent_reply", "customer_reply", "waiting_on_customer", "severity_changed",
           "resolved", "reopened", "closed"}


def answer(kind, policy_path, req):
    """-> (exit status, answer dict or error text)"""
    try:
        if kind == "availability":
            return 0, availability(policy_path, req)
        return 0, downtime(policy_path, req)
    except Bad as e:
        return 2, "error: %s" % e
    except ValueError as e:  # malformed instants (reference.parse_instant)
        return 2, "error: %s" % e


def main(argv):
    if len(argv) != 3 or argv[0] not in ("availability", "downtime"):
        print(__doc__)
        return 2
    src = sys.stdin if argv[2] == "-" else open(argv[2])
    try:
        req = json.load(src)
    except ValueError:
        print("error: input: not valid JSON")
        return 2
    status, out = answer(argv[0], argv[1], req)
    print(out if status else json.dumps(out, indent=1))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
