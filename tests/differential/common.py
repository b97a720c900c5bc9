"""Shared helpers for the differential scripts."""
import os
import subprocess
import sys
import time

DEFAULT_BIN = "/work/main/build-test/sladesk"


def find_binary(argv_bin=None, wait=True):
    path = argv_bin or os.environ.get("SLADESK_BIN") or DEFAULT_BIN
    while not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if not wait:
            sys.exit("sladesk binary not found: %s" % path)
        print("waiting for %s ..." % path, file=sys.stderr, flush=True)
        time.sleep(60)
    return path


def run(binary, args, stdin=None, timeout=60):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    for attempt in range(120):
        try:
            p = subprocess.run([binary] + args, input=stdin, capture_output=True, text=True,
                               timeout=timeout, env=env)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            return "timeout", "", "timeout after %ss" % timeout
        except OSError as e:  # the binary is being rebuilt: wait for it
            print("cannot run %s (%s); retrying in 5 s" % (binary, e), file=sys.stderr, flush=True)
            time.sleep(5)
    raise RuntimeError("cannot run %s" % binary)


def shquote(s):
    import shlex
    return shlex.quote(s)
