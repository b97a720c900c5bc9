#!/usr/bin/env bash
# Side by side on the same messages (docs/performance/mail-rt.md): one
# message per process, the way an MTA's pipe transport runs a mailgate,
#  - Request Tracker 5: `rt-mailgate --queue General --action correspond`
#    POSTs each message to the RT instance bench/mail/rt/setup.sh started
#    (rt-server on 127.0.0.1:$RT_PORT, SQLite), which parses it, runs its
#    scrips (the autoreply is written to an mbox file) and stores it;
#  - sladesk: `sladesk mail ingest --db sqlite:...` into a seeded desk
#    (bench/seed_desk: the contacts who write the corpus), parse, routing,
#    the ticket's SLA clock and outbox rows in one transaction.
# Per message: the wall time of the mailgate process (for RT that includes
# the server's work, which happens inside the request); CPU: the mailgate
# process's own (wait4) plus, for RT, the server process's (/proc/PID/stat
# before and after the run, divided by the messages). Counts of what each
# desk stored afterwards.
# Usage: sudo bash bench/mail/rt/setup.sh   (once; installs RT)
#        bash bench/mail/rt/run.sh [BUILD_DIR] [N] [CORPUS_DIR]
#   N (default 300) messages sampled evenly from the corpus
#   (bench/mail/generate_corpus.py --count 10000 --seed 1).
set -euo pipefail
cd "$(dirname "$0")/../../.."
BUILD=${1:-build}
N=${2:-300}
CORPUS=${3:-/tmp/sladesk-mail-corpus}
RT_DIR=${RT_DIR:-/tmp/sladesk-rt}
RT_PORT=${RT_PORT:-18089}
BIN=${BIN:-$BUILD/sladesk}
[ -x /usr/bin/rt-mailgate ] || { echo "run.sh: RT is not installed (sudo bash bench/mail/rt/setup.sh)" >&2; exit 1; }
[ -f "$RT_DIR/server.pid" ] && kill -0 "$(cat "$RT_DIR/server.pid")" 2>/dev/null ||
  { echo "run.sh: rt-server is not running (sudo bash bench/mail/rt/setup.sh)" >&2; exit 1; }
if [ ! -d "$CORPUS/new" ]; then
  python3 bench/mail/generate_corpus.py --out "$CORPUS" --count 10000 --seed 1
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "bench-secret-0123456789abcdef" > "$WORK/secret"
"$BUILD/bench/seed_desk" "sqlite:$WORK/desk.db" policies > /dev/null
rt_pid=$(cat "$RT_DIR/server.pid")
rt_before=$(sqlite3 "$RT_DIR/rt.db" "SELECT COUNT(*) FROM Tickets")

python3 - "$CORPUS" "$N" "$BIN" "$WORK" "$rt_pid" "$RT_PORT" <<'EOF'
import os, statistics, subprocess, sys, time
corpus, n, binary, work, rt_pid, port = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
names = sorted(os.listdir(os.path.join(corpus, "new")))
step = max(1, len(names) // n)
sample = names[::step][:n]
tick = os.sysconf("SC_CLK_TCK")

def proc_cpu(pid):
    # utime + stime of the process and its waited-for children, seconds
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick

def run(label, argv, server_pid=None):
    walls, cpus, failed = [], [], 0
    server0 = proc_cpu(server_pid) if server_pid else 0.0
    t_all = time.perf_counter()
    for name in sample:
        with open(os.path.join(corpus, "new", name), "rb") as f:
            data = f.read()
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p.stdin.write(data)
        p.stdin.close()
        _, status, usage = os.wait4(p.pid, 0)
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        failed += os.waitstatus_to_exitcode(status) != 0
    total = time.perf_counter() - t_all
    server = (proc_cpu(server_pid) - server0) * 1000 / len(sample) if server_pid else 0.0
    walls.sort()
    cpus.sort()
    print("%-9s %d messages, %d failed: wall median %.1f ms, p90 %.1f ms; %.1f messages/s; "
          "CPU per message: mailgate median %.1f ms + server mean %.1f ms = %.1f ms; load average %.1f" % (
              label, len(sample), failed, statistics.median(walls), walls[int(len(walls) * 0.9)],
              len(sample) / total, statistics.median(cpus), server, statistics.median(cpus) + server,
              os.getloadavg()[0]))
    return statistics.median(walls), statistics.median(cpus) + server

rt = run("rt", ["/usr/bin/rt-mailgate", "--queue", "General", "--action", "correspond",
                "--url", "http://127.0.0.1:%s/" % port, "--timeout", "60"], rt_pid)
sd = run("sladesk", [binary, "mail", "ingest", "--db", "sqlite:%s/desk.db" % work, "--policies", "policies",
                     "--secret-file", "%s/secret" % work])
print("ratio (RT / sladesk): wall %.1fx, CPU %.1fx" % (rt[0] / sd[0], rt[1] / sd[1]))
EOF
rt_after=$(sqlite3 "$RT_DIR/rt.db" "SELECT COUNT(*) FROM Tickets")
echo "RT: $((rt_after - rt_before)) tickets created; transactions: $(sqlite3 "$RT_DIR/rt.db" "SELECT COUNT(*) FROM Transactions WHERE Type IN ('Create','Correspond')")"
echo "sladesk: $(sqlite3 -separator ' ' "$WORK/desk.db" "SELECT action, COUNT(*) FROM mail_inbound GROUP BY action ORDER BY 2 DESC" | tr '\n' ',')"
