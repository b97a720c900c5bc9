#!/usr/bin/env python3
"""Writes availability_cases.json and downtime_cases.json, the worked
examples of tests/server/compliance_api_test.cc. The availability figures
are worked here with exact fractions from CONTRACT §7 (not by sladesk):
percent = 100 (measured - downtime) / measured, rounded half up to 6
decimals; met = the exact ratio >= 98 (agency-support). Run it again after
editing a case: python3 make_cases.py"""
import json
from fractions import Fraction


def pct(month_s, excl, down):
    meas = month_s - excl
    up = meas - down
    micro = (Fraction(up * 10**8, meas) + Fraction(1, 2)).__floor__()
    return micro / 1e6, Fraction(up * 100, meas) >= 98


JAN = 31 * 86400
cases = [
    {"name": "97.9% lifted over 98% by an excluded maintenance window", "month": "2026-01",
     "records": [
         {"kind": "maintenance", "service": "hosting", "start": "2026-01-10T01:00:00Z", "end": "2026-01-10T03:00:00Z",
          "title": "Database upgrade"},
         {"kind": "incident", "service": "hosting", "cause": "outage", "start": "2026-01-10T00:00:00Z",
          "end": "2026-01-10T15:40:00Z", "title": "Hosting down"}],
     "expect": {"month_seconds": JAN, "excluded_seconds": 7200, "downtime_seconds": 56400 - 7200, "met": True,
                "rca_task": False}},
    {"name": "the same outage without the window: 97.9%, an RCA task", "month": "2026-01",
     "records": [{"kind": "incident", "service": "hosting", "cause": "outage", "start": "2026-01-10T00:00:00Z",
                  "end": "2026-01-10T15:40:00Z"}],
     "expect": {"month_seconds": JAN, "excluded_seconds": 0, "downtime_seconds": 56400, "met": False,
                "rca_task": True}},
    {"name": "another organisation's outage does not count; a service-wide one does", "month": "2026-01",
     "records": [
         {"kind": "incident", "service": "hosting", "cause": "outage", "start": "2026-01-03T00:00:00Z",
          "end": "2026-01-04T00:00:00Z", "organisation": "other"},
         {"kind": "incident", "service": "api", "cause": "subcontractor", "start": "2026-01-20T10:00:00Z",
          "end": "2026-01-20T11:00:00Z", "organisation": "none"}],
     "expect": {"month_seconds": JAN, "excluded_seconds": 0, "downtime_seconds": 3600, "met": True,
                "rca_task": False}},
    {"name": "an open incident runs until now; the month in progress is cut at now (no RCA before it ends)",
     "month": "2026-03",
     "records": [{"kind": "incident", "service": "hosting", "cause": "outage", "start": "2026-03-02T08:00:00Z"}],
     "expect": {"month_seconds": 86400 + 9 * 3600, "excluded_seconds": 0, "downtime_seconds": 3600, "met": False,
                "rca_task": False, "complete": False}},
    {"name": "customer-caused time is excluded and wins over the outage inside it", "month": "2026-02",
     "records": [
         {"kind": "incident", "service": "hosting", "cause": "customer", "start": "2026-02-05T00:00:00Z",
          "end": "2026-02-06T00:00:00Z"},
         {"kind": "incident", "service": "hosting", "cause": "outage", "start": "2026-02-05T12:00:00Z",
          "end": "2026-02-05T18:00:00Z"}],
     "expect": {"month_seconds": 28 * 86400, "excluded_seconds": 86400, "downtime_seconds": 0, "met": True,
                "rca_task": False}},
]
for c in cases:
    e = c["expect"]
    p, met = pct(e["month_seconds"], e["excluded_seconds"], e["downtime_seconds"])
    assert met == e["met"], c["name"]
    e["availability_percent"] = p
with open("availability_cases.json", "w") as f:
    json.dump({"policy": "agency-support", "plan": "standard", "now": "2026-03-02T09:00:00Z", "cases": cases}, f,
              indent=1)
    f.write("\n")

# Downtime (CONTRACT §8, supermetrics): urgent tickets (24x7, first
# response 1 h, so over at more than 4,320 s) opened an hour apart from
# 2027-01-05T14:00Z; the "over" ones are never answered, the others are
# answered after answered_after_seconds and resolved at once (so no
# next_update cycle runs on until the notice).
dcases = [
    {"name": "9 tickets all over: fewer than 10 submitted, no downtime", "tickets": 9, "over_tickets": 9,
     "answered_after_seconds": 1800,
     "expect": {"submitted": 9, "considered": 9, "over": 9, "downtime": False, "remedy_period": False}},
    {"name": "10 tickets, 5 over: half over, a downtime and its remedy period", "tickets": 10, "over_tickets": 5,
     "answered_after_seconds": 1800,
     "expect": {"submitted": 10, "considered": 10, "over": 5, "downtime": True, "remedy_period": True}},
    {"name": "10 tickets, 4 over: under half, no downtime", "tickets": 10, "over_tickets": 4,
     "answered_after_seconds": 1800,
     "expect": {"submitted": 10, "considered": 10, "over": 4, "downtime": False, "remedy_period": False}},
    {"name": "10 tickets answered exactly 20% over (4320 s): not over", "tickets": 10, "over_tickets": 0,
     "answered_after_seconds": 4320,
     "expect": {"submitted": 10, "considered": 10, "over": 0, "downtime": False, "remedy_period": False}},
    {"name": "10 tickets answered one second past 20% over (4321 s): all over", "tickets": 10, "over_tickets": 0,
     "answered_after_seconds": 4321,
     "expect": {"submitted": 10, "considered": 10, "over": 10, "downtime": True, "remedy_period": True}},
]
with open("downtime_cases.json", "w") as f:
    json.dump({"policy": "supermetrics", "plan": "premium", "severity": "urgent", "first_opened": "2027-01-05T14:00:00Z",
               "notified_at": "2027-04-17T15:00:00Z",
               "window": {"from": "2027-01-01T05:00:00Z", "to": "2027-04-01T04:00:00Z"},
               "remedy": {"from": "2027-04-17T15:00:00Z", "to": "2027-05-17T15:00:00Z"}, "cases": dcases}, f, indent=1)
    f.write("\n")
