#!/usr/bin/env bash
# What one ticket create costs PostgreSQL itself, by the shape of the
# statements the writer sends (see docs/performance/server.md).
#
#   bench/pg/statement_cost.sh postgresql://postgres@127.0.0.1:PORT/EMPTY_DB [--duration 8]
#
# Migrates the empty database with `sladesk token create`, adds one
# organisation and contact, then runs pgbench (one client, prepared
# statements) on transactions of 100 creates written four ways:
#   savepoints  SAVEPOINT, ticket insert, counter update, incident upsert,
#               event insert, RELEASE per create (the writer before 2026-12-01)
#   no-savepoint  the same without SAVEPOINT/RELEASE
#   coalesced   ticket and event insert per create, the two counters once
#               per transaction (the writer now)
#   multi-row   one INSERT ... SELECT of 100 tickets and one of 100 events
# each once waiting for every answer and once in a pipeline
# (\startpipeline), which leaves only the backend's own work.
# Prints creates per second = transactions per second x 100.
set -euo pipefail
cd "$(dirname "$0")/../.."
URL=${1:?usage: $0 POSTGRESQL_URL [--duration N]}
DURATION=8
if [ "${2:-}" = --duration ]; then DURATION=${3:?}; fi
BIN=${BIN:-build/sladesk}
command -v pgbench >/dev/null || { echo "pgbench not found (it comes with apt-get install postgresql, which make test installs)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN not built (make build)" >&2; exit 1; }

"$BIN" token create --db "$URL" --email cost-admin@sladesk.test --role admin >/dev/null
psql -q "$URL" <<'SQL'
INSERT INTO organisations (name, policy_id, plan_id, created_at, version) VALUES ('Cost', 'gold-support', 'gold', 0, 1);
INSERT INTO users (organisation_id, name, email, role, named_contact, active, created_at)
  VALUES (currval('organisations_id_seq'), 'Cee', 'cee@cost.test', 'contact', 1, 1, 0);
CREATE SEQUENCE IF NOT EXISTS cost_numbers;
SQL
ORG=$(psql -qtA "$URL" -c "SELECT max(id) FROM organisations")
USR=$(psql -qtA "$URL" -c "SELECT max(id) FROM users")

WORK=$(mktemp -d /tmp/sladesk-cost.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK" "$ORG" "$USR" <<'PY'
import sys
work, org, usr = sys.argv[1], sys.argv[2], sys.argv[3]
n = 100
desc = "Since this morning the CSV export fails. " * 8
cols = ("number, organisation_id, requester_id, subject, description, steps_to_reproduce, business_impact, "
        "product_area, error_details, channel, severity, status, assignee_id, outcome, external_issue, "
        "escalation_level, opened_at, updated_at, resolved_at, closed_at, first_response_due, next_update_due, "
        "resolution_due, next_due, urgency_key, breached, sla_json, over_quota, version")
vals = (f"nextval('cost_numbers'),{org},{usr},'CSV export fails','{desc}','1. Export','Month end blocked',"
        "'Reporting','HTTP 500','portal','high','new',NULL,NULL,'',0,1700000000,1700000000,NULL,NULL,"
        "1700003600,NULL,1700090000,1700003600,1700003600,0,"
        "'{\"first_response\":{\"state\":\"running\",\"due_at\":1700003600}}',0,1")
ticket = f"INSERT INTO tickets ({cols}) VALUES ({vals});"
event = (f"INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES "
         f"(currval('tickets_id_seq'),1700000000,{usr},'opened','{{\"severity\":\"high\"}}');")
counter = "UPDATE counters SET value = value + 1 WHERE name = 'ticket_number';"
incident = (f"INSERT INTO incident_counts (organisation_id, month_start, opened) VALUES ({org}, 1700000000, 1) "
            "ON CONFLICT (organisation_id, month_start) DO UPDATE SET opened = incident_counts.opened + 1;")
multi = (f"INSERT INTO tickets ({cols}) SELECT {vals} FROM generate_series(1,{n});\n"
         f"INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) SELECT g,1700000000,{usr},'opened','{{}}' "
         f"FROM generate_series(currval('tickets_id_seq')-{n-1}, currval('tickets_id_seq')) g;\n")
shapes = {
    "savepoints": ("SAVEPOINT unit;\n" + "\n".join([ticket, counter, incident, event]) + "\nRELEASE SAVEPOINT unit;\n") * n,
    "no-savepoint": ("\n".join([ticket, counter, incident, event]) + "\n") * n,
    "coalesced": ("\n".join([ticket, event]) + "\n") * n + counter + "\n" + incident + "\n",
    "multi-row": multi + counter + "\n" + incident + "\n",
}
for name, body in shapes.items():
    open(f"{work}/{name}.sql", "w").write("BEGIN;\n" + body + "COMMIT;\n")
    open(f"{work}/{name}-pipelined.sql", "w").write("\\startpipeline\nBEGIN;\n" + body + "COMMIT;\n\\endpipeline\n")
PY
printf '%-14s %18s %18s\n' shape "waiting creates/s" "pipelined creates/s"
for shape in savepoints no-savepoint coalesced multi-row; do
  row=()
  for variant in "" -pipelined; do
    tps=$(pgbench -n -M prepared -c 1 -T "$DURATION" -f "$WORK/$shape$variant.sql" "$URL" 2>/dev/null |
          awk '/^tps/ {print $3}')
    row+=("$(awk -v t="$tps" 'BEGIN {printf "%.0f", t * 100}')")
  done
  printf '%-14s %18s %18s\n' "$shape" "${row[0]}" "${row[1]}"
done
