#!/usr/bin/env python3
"""Differential test: `sladesk sla evaluate` against reference.py.

    diff_sla.py [--bin PATH] [--cases N] [--seed S] [--jobs J] [--out DIR] [--policy FILE ...]

Random event histories on the seed policies (policies/*.toml) and on
tests/differential/policies/*.toml; compares state, target_seconds,
elapsed_seconds, due_at, goal_due_at, stopped_at and breaches of all three
metrics.  Disagreements are shrunk (events dropped while a difference stays)
and printed as a request file plus the command.  Exit 1 on any disagreement.
"""
import argparse
import datetime as dt
import glob
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
from diff_calendar import transitions  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["state", "target_seconds", "elapsed_seconds", "due_at", "goal_due_at", "stopped_at", "breaches"]
TYPES = ["opened", "agent_reply", "customer_reply", "waiting_on_customer", "severity_changed",
         "resolved", "reopened", "closed"]


def iso(epoch, rng=None):
    t = R._EPOCH0 + dt.timedelta(seconds=epoch)
    if rng is not None and rng.random() < 0.2:
        offs = rng.choice([-5, -4, 1, 2, 5.5, 9, 12.75]) * 3600
        offs = int(offs)
        t = t + dt.timedelta(seconds=offs)
        sign = "+" if offs >= 0 else "-"
        a = abs(offs)
        return t.strftime("%Y-%m-%dT%H:%M:%S") + "%s%02d:%02d" % (sign, a // 3600, a % 3600 // 60)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def gap(rng):
    k = rng.random()
    if k < 0.08:
        return 0
    if k < 0.35:
        return rng.randrange(1, 3600)
    if k < 0.65:
        return rng.randrange(3600, 12 * 3600)
    if k < 0.9:
        return rng.randrange(12 * 3600, 3 * 86400)
    return rng.randrange(3 * 86400, 15 * 86400)


def zones_of(policy_obj, plan):
    zs = {"UTC"}
    for c in policy_obj.calendars.values():
        if c.tz is not None:
            zs.add(str(c.tz.key))
    return sorted(zs)


def gen_request(rng, policy_path, pol):
    plan = rng.choice(sorted(pol.plans))
    sevs = pol.severities
    req = {"plan": plan}
    if rng.random() < 0.8:
        req["severity"] = rng.choice(sevs)
    elif rng.random() < 0.5:
        req["severity"] = None
    # start instant: working hours in 2025-2027, or near a DST change
    y = rng.choice([2025, 2026, 2027])
    zone = rng.choice(zones_of(pol, plan))
    trs = transitions(zone, y)
    if trs and rng.random() < 0.35:
        t = rng.choice(trs) - rng.randrange(0, 3 * 86400)
    else:
        d = dt.date(y, 1, 1) + dt.timedelta(days=rng.randrange(365))
        t = R._pycal.timegm((d.year, d.month, d.day, rng.randrange(0, 24), rng.choice([0, 0, 15, 30, 59]), 0))
    if rng.random() < 0.15:  # year-end holidays
        t = R._pycal.timegm((y, 12, rng.randrange(18, 32), rng.randrange(0, 24), 0, 0))
    events = []
    if rng.random() < 0.1:
        events.append({"at": t - rng.randrange(0, 7200), "type": "severity_changed", "severity": rng.choice(sevs)})
    if rng.random() < 0.97:
        events.append({"at": t, "type": "opened"})
    state = "open"
    waiting = False
    n = rng.randrange(0, 12) if rng.random() < 0.85 else rng.randrange(12, 35)
    for _ in range(n):
        t += gap(rng)
        if rng.random() < 0.12:
            typ = rng.choice(TYPES)
        elif state == "resolved":
            typ = rng.choice(["reopened", "reopened", "closed", "severity_changed", "agent_reply"])
        elif waiting:
            typ = rng.choice(["customer_reply", "customer_reply", "agent_reply", "resolved",
                              "severity_changed", "reopened", "closed", "waiting_on_customer"])
        else:
            typ = rng.choice(["agent_reply", "agent_reply", "agent_reply", "waiting_on_customer",
                              "waiting_on_customer", "customer_reply", "severity_changed", "resolved",
                              "closed"])
        e = {"at": t, "type": typ}
        if typ == "severity_changed":
            e["severity"] = rng.choice(sevs)
        events.append(e)
        if typ in ("resolved", "closed"):
            state, waiting = "resolved", False
        elif typ == "reopened":
            state, waiting = "open", False
        elif typ == "waiting_on_customer" and state == "open":
            waiting = True
        elif typ == "customer_reply":
            waiting = False
    k = rng.random()
    if k < 0.6 or not events:
        now = t + gap(rng)
    elif k < 0.8:
        now = t + rng.randrange(0, 40 * 86400)
    else:
        now = events[rng.randrange(len(events))]["at"] + rng.choice([0, 0, 1, -1, 600])
    # the input is in `at` order with ties in input order; sometimes shuffle
    # (the CLI must sort them, stably)
    if rng.random() < 0.2:
        rng.shuffle(events)
        events.sort(key=lambda e: e["at"])  # keeps shuffled order among ties
    if rng.random() < 0.1 and len(events) > 2:
        i = rng.randrange(len(events))
        e = events.pop(i)
        events.append(e)  # out of order in the input
    req["now"] = iso(now, rng)
    req["events"] = [dict(e, at=iso(e["at"], rng)) for e in events]
    return req


def normalize(m):
    out = {f: m.get(f) for f in FIELDS}
    if out["state"] == "no_target":
        out = {"state": "no_target", "breaches": out["breaches"]}
    return out


def compare(exp, got):
    """-> list of 'metric.field: expected X, got Y'."""
    diffs = []
    em = {m["metric"]: normalize(m) for m in exp["metrics"]}
    gm = {m["metric"]: normalize(m) for m in got.get("metrics", [])}
    for name in ("first_response", "next_update", "resolution"):
        e, g = em.get(name), gm.get(name)
        if g is None:
            diffs.append("%s: missing in output" % name)
            continue
        for f in sorted(set(e) | set(g)):
            if e.get(f) != g.get(f):
                diffs.append("%s.%s: expected %s, got %s" % (name, f, json.dumps(e.get(f)), json.dumps(g.get(f))))
    return diffs


class Ctx:
    def __init__(self, binary, outdir):
        import itertools
        self.bin, self.outdir = binary, outdir
        self.counter = itertools.count(1)
        self.pols = {}

    def policy(self, path):
        if path not in self.pols:
            self.pols[path] = R.Policy.from_toml_file(path)
        return self.pols[path]

    def bin_eval(self, policy_path, req):
        rc, out, err = run(self.bin, ["sla", "evaluate", "--policy", policy_path, "--input", "-"],
                           stdin=json.dumps(req))
        if rc != 0:
            return {"error": "rc=%s %s" % (rc, err.strip()[:300])}
        try:
            return json.loads(out)
        except ValueError:
            return {"error": "bad json: %r" % out[:300]}

    def ref_eval(self, policy_path, req):
        try:
            return R.evaluate(self.policy(policy_path), req)
        except (R.NeverOpen, ValueError, KeyError) as e:
            return {"error": "reference: %s" % e}

    def diff(self, policy_path, req):
        exp = self.ref_eval(policy_path, req)
        got = self.bin_eval(policy_path, req)
        if "error" in exp or "error" in got:
            if "error" in exp and "error" in got:
                return []
            return ["expected %s, got %s" % (exp.get("error", "a result"), got.get("error", "a result"))]
        return compare(exp, got)


def shrink(ctx, policy_path, req, budget=50):
    def fails(r):
        return bool(ctx.diff(policy_path, r))
    changed = True
    while changed and budget > 0:
        changed = False
        for i in range(len(req["events"])):
            budget -= 1
            if budget <= 0:
                break
            r = dict(req, events=req["events"][:i] + req["events"][i + 1:])
            if fails(r):
                req = r
                changed = True
                break
    return req


def run_case(ctx, seed, idx, policies):
    rng = random.Random("%s-%d" % (seed, idx))
    path = rng.choice(policies)
    req = gen_request(rng, path, ctx.policy(path))
    if rng.random() < 0.3:
        # probe the deadline itself: now (or an event) exactly at a due_at, or 1 s after
        exp = ctx.ref_eval(path, req)
        dues = [m[k] for m in exp.get("metrics", []) for k in ("due_at", "goal_due_at") if m.get(k)]
        if dues:
            t = R.parse_instant(rng.choice(dues)) + rng.choice([0, 0, 1, -1])
            if rng.random() < 0.5 or not req["events"]:
                req["now"] = iso(t)
            else:
                typ = rng.choice(["agent_reply", "resolved", "waiting_on_customer", "customer_reply",
                                  "closed", "reopened"])
                req["events"].append({"at": iso(t), "type": typ})
                req["now"] = iso(max(R.parse_instant(req["now"]), t) + rng.choice([0, 1, 3600, 86400]))
    d = ctx.diff(path, req)
    return (path, req, d)


BAD_INPUTS = [
    ("unknown plan", {"plan": "nope", "now": "2026-01-01T00:00:00Z", "events": []}),
    ("unknown severity", {"plan": "alpha", "severity": "s9", "now": "2026-01-01T00:00:00Z", "events": []}),
    ("malformed now", {"plan": "alpha", "now": "2026-01-01 00:00:00", "events": []}),
    ("missing now", {"plan": "alpha", "events": []}),
    ("no offset", {"plan": "alpha", "now": "2026-01-01T00:00:00", "events": []}),
    ("malformed at", {"plan": "alpha", "now": "2026-01-01T00:00:00Z",
                      "events": [{"at": "2026-13-01T00:00:00Z", "type": "opened"}]}),
    ("unknown type", {"plan": "alpha", "now": "2026-01-01T00:00:00Z",
                      "events": [{"at": "2025-12-01T00:00:00Z", "type": "openned"}]}),
    ("severity_changed without severity", {"plan": "alpha", "now": "2026-01-01T00:00:00Z",
                      "events": [{"at": "2025-12-01T00:00:00Z", "type": "severity_changed"}]}),
    ("severity_changed unknown", {"plan": "alpha", "now": "2026-01-01T00:00:00Z",
                      "events": [{"at": "2025-12-01T00:00:00Z", "type": "severity_changed", "severity": "x"}]}),
    ("events not a list", {"plan": "alpha", "now": "2026-01-01T00:00:00Z", "events": {}}),
    ("event not an object", {"plan": "alpha", "now": "2026-01-01T00:00:00Z", "events": [1]}),
    ("plan missing", {"now": "2026-01-01T00:00:00Z", "events": []}),
]


def run_bad(ctx):
    """Bad input: exit status 2 and a message on stderr (CONTRACT §6)."""
    path = os.path.join(HERE, "policies", "diff-test.toml")
    passed, failed = 0, []
    for name, req in BAD_INPUTS:
        rc, out, err = run(ctx.bin, ["sla", "evaluate", "--policy", path, "--input", "-"], stdin=json.dumps(req))
        if rc == 2 and err.strip() and "Sanitizer" not in err and "runtime error" not in err:
            passed += 1
        else:
            failed.append((path, req, ["bad input (%s): expected exit 2 with a message, got rc=%s stderr=%r" % (
                name, rc, err.strip()[:200])]))
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", default=str(int(time.time())))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out")
    ap.add_argument("--policy", action="append")
    ap.add_argument("--max-report", type=int, default=10)
    ap.add_argument("binary", nargs="?")
    a = ap.parse_args()
    binary = find_binary(a.bin or a.binary)
    policies = a.policy or (sorted(glob.glob(os.path.join(HERE, "..", "..", "policies", "*.toml"))) +
                            sorted(glob.glob(os.path.join(HERE, "policies", "*.toml"))))
    policies = [os.path.abspath(p) for p in policies]
    outdir = a.out or tempfile.mkdtemp(prefix="diff_sla-")
    os.makedirs(outdir, exist_ok=True)
    ctx = Ctx(binary, outdir)
    for p in policies:
        ctx.policy(p)
    print("seed %s, requests in %s" % (a.seed, outdir))
    passed, failed = run_bad(ctx)
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for path, req, d in ex.map(lambda i: run_case(ctx, a.seed, i, policies), range(a.cases)):
            if d:
                failed.append((path, req, d))
            else:
                passed += 1
    for path, req, d in failed[:a.max_report]:
        small = shrink(ctx, path, req) if not d[0].startswith("bad input") else req
        d2 = ctx.diff(path, small) or d
        f = os.path.join(outdir, "req-%d.json" % next(ctx.counter))
        with open(f, "w") as fh:
            json.dump(small, fh, indent=1)
        print("DISAGREEMENT (%s)" % os.path.basename(path))
        print("  request: %s" % json.dumps(small))
        print("  command: sladesk sla evaluate --policy %s --input %s" % (shquote(path), shquote(f)))
        for line in d2:
            print("    " + line)
    if len(failed) > a.max_report:
        print("(%d more disagreements not shown; rerun with --seed %s --max-report N)" % (
            len(failed) - a.max_report, a.seed))
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
