#!/usr/bin/env python3
"""Keeps the layering honest: a directory of src/ includes nothing from a
layer above it, and the pure core neither does I/O nor reads the clock.

  common <- calendar <- policy <- sla <- compliance <- desk
         <- {storage, server, cli, mail, notify, ...adapters}

Run by ctest (tests/layering); exits 1 listing every offending line.
"""
import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parents[2] / "src"

CORE = ["common", "calendar", "policy", "sla"]
# Each directory and the project directories it may include from.
ALLOWED = {
    "common": {"common"},
    "calendar": {"common", "calendar"},
    "policy": {"common", "calendar", "policy"},
    "sla": {"common", "calendar", "policy", "sla"},
    # desk -> compliance: the compliance service (desk/compliance_service)
    # applies the pure availability / downtime / report rules to stored
    # records; compliance never includes desk.
    "desk": {"common", "calendar", "policy", "sla", "compliance", "desk"},
    "compliance": {"common", "calendar", "policy", "sla", "compliance"},
    "storage": {"common", "calendar", "policy", "sla", "compliance", "desk", "storage"},
    "notify": {"common", "notify"},
    "mail": {"common", "mail"},
    # Operations (the SLA scheduler, the outbox): adapters over the desk
    # and the store; the server and the CLI wire them in.
    "ops": {"common", "calendar", "policy", "sla", "compliance", "desk", "storage", "notify", "ops"},
}
# Adapters that sit on top may use every layer but the CLI (the
# composition root, which nothing includes).
TOP = {"server", "cli", "scheduler", "mailgate"}
# Pure layers: no clock reads anywhere in them; no file, stream or thread
# I/O in the rules (the policy loader reads the policy files it is given).
NO_CLOCK = {"calendar", "policy", "sla", "desk", "compliance"}
NO_IO = {"sla", "desk"}
CLOCK = re.compile(r"system_clock::now|steady_clock::now|std::time\s*\(|\btime\s*\(\s*(nullptr|NULL|0)\s*\)")
IO = re.compile(r"#include\s*<(fstream|filesystem|iostream|thread)>|\bfopen\s*\(|std::cout|std::cerr")
INCLUDE = re.compile(r'#include\s+"([a-z_0-9]+)/')


def main() -> int:
    problems = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in {".h", ".cc", ".in"} or not path.is_file():
            continue
        layer = path.relative_to(SRC).parts[0]
        if layer not in ALLOWED and layer not in TOP:
            problems.append(f"{path}: directory src/{layer} is not in tests/layering/check_layers.py; give it a layer")
            continue
        allowed = ALLOWED.get(layer)
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.search(line)
            if m:
                target = m.group(1)
                if allowed is not None and target not in allowed:
                    problems.append(f"{path}:{n}: src/{layer} includes from src/{target}, a layer above or beside it")
                if layer != "cli" and target == "cli":
                    problems.append(f"{path}:{n}: nothing includes the CLI (the composition root)")
            if layer in NO_CLOCK and CLOCK.search(line):
                problems.append(f"{path}:{n}: src/{layer} reads the clock; take `now` as a parameter")
            if layer in NO_IO and IO.search(line):
                problems.append(f"{path}:{n}: src/{layer} does I/O; it is pure")
    for p in problems:
        print(p)
    print(f"check_layers: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
