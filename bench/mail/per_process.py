#!/usr/bin/env python3
"""Wall time of `sladesk mail parse -` with one message piped in, one process
per message (how an MTA's pipe transport runs a mailgate), over a sample of
the benchmark corpus. Prints the median, p90 and max wall milliseconds and
the median CPU time (user + system, from wait4), which a busy machine does
not inflate.

    python3 bench/mail/per_process.py --bin build/sladesk --corpus DIR [--sample 500]
        [--args "mail ingest --db sqlite:X --secret-file S"]   (default: "mail parse -")
"""
import argparse
import os
import statistics
import subprocess
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--sample", type=int, default=500)
    ap.add_argument("--args", default="mail parse -", help="the subcommand and flags (message on stdin)")
    a = ap.parse_args()
    names = sorted(os.listdir(os.path.join(a.corpus, "new")))
    step = max(1, len(names) // a.sample)
    sample = names[::step][:a.sample]
    times, cpu, failures = [], [], 0
    for name in sample:
        with open(os.path.join(a.corpus, "new", name), "rb") as f:
            data = f.read()
        t0 = time.perf_counter()
        p = subprocess.Popen([a.bin] + a.args.split(), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        p.stdin.write(data)
        p.stdin.close()
        _, status, usage = os.wait4(p.pid, 0)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
        p.returncode = os.waitstatus_to_exitcode(status)
        failures += p.returncode != 0
    times.sort()
    cpu.sort()
    print("%d messages, %d failed: median %.2f ms, p90 %.2f ms, max %.2f ms per process "
          "(CPU user+sys: median %.2f ms, p90 %.2f ms); load average %.1f" % (
              len(times), failures, statistics.median(times), times[int(len(times) * 0.9)], times[-1],
              statistics.median(cpu), cpu[int(len(cpu) * 0.9)], os.getloadavg()[0]))


if __name__ == "__main__":
    main()
