#!/usr/bin/env bash
# Benchmark-only set-up of Request Tracker 5 (Debian 12's request-tracker5)
# on SQLite, for bench/mail/rt/run.sh (docs/performance/mail-rt.md).
# NOT part of scripts/install-deps.sh: CI never installs RT.
#
#  1. apt-get installs request-tracker5 with the standalone web server, the
#     SQLite backend and msmtp-mta as the mail-transport-agent the package
#     requires (no daemon; exim4 would start one on port 25), and
#     dbconfig-no-thanks (no interactive database set-up), w3m (RT warns that
#     its internal HTML-to-text converter is slow without it);
#  2. writes an RT instance under $RT_DIR (default /tmp/sladesk-rt):
#     RT_SiteConfig.pm (SQLite at $RT_DIR/rt.db, WebDomain 127.0.0.1,
#     WebPort $RT_PORT, WebPath "" so rt-mailgate's --url is the root,
#     outgoing mail to an mbox file instead of a sendmail pipe) and an empty
#     RT_SiteConfig.d, so /etc/request-tracker5's Debian snippets are not read;
#  3. rt-setup-database-5 --action init, then grants Everyone CreateTicket,
#     ReplyToTicket and SeeQueue on the queue General (mail from anyone);
#  4. starts rt-server (Plack's single-process Standalone server) on
#     127.0.0.1:$RT_PORT, pid in $RT_DIR/server.pid, log in $RT_DIR/server.log.
#
# Usage: sudo bash bench/mail/rt/setup.sh            (as root; idempotent)
#        bash bench/mail/rt/setup.sh stop            (stops the server)
# Environment: RT_DIR (/tmp/sladesk-rt), RT_PORT (18089), RT_SKIP_APT=1.
set -euo pipefail
RT_DIR=${RT_DIR:-/tmp/sladesk-rt}
RT_PORT=${RT_PORT:-18089}
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server

stop_server() {
  if [ -f "$RT_DIR/server.pid" ]; then
    pid=$(cat "$RT_DIR/server.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$RT_DIR/server.pid"
  fi
}

if [ "${1:-}" = stop ]; then
  stop_server
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "setup.sh: run as root (apt-get, RT's Mason cache under /var/cache)" >&2
  exit 1
fi

# --- 1. packages --------------------------------------------------------
if [ "${RT_SKIP_APT:-0}" != 1 ] && ! dpkg -s request-tracker5 rt5-db-sqlite rt5-standalone >/dev/null 2>&1; then
  # No service may start during the install (the machine has no systemd,
  # and a shared VM gets no MTA on port 25): a policy-rc.d that refuses,
  # unless one is already there.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive nice -n 10 apt-get install -y --no-install-recommends \
    request-tracker5 rt5-standalone rt5-db-sqlite dbconfig-no-thanks msmtp-mta \
    libdbd-sqlite3-perl libplack-perl sqlite3 curl w3m
  [ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
for f in /usr/sbin/rt-setup-database-5 /usr/bin/rt-mailgate "$RT_SERVER"; do
  [ -x "$f" ] || { echo "setup.sh: $f missing after the install" >&2; exit 1; }
done

# --- 2. the instance ----------------------------------------------------
stop_server
rm -rf "$RT_DIR"
mkdir -p "$RT_DIR/RT_SiteConfig.d" "$RT_DIR/tmp"
cat > "$RT_DIR/RT_SiteConfig.pm" <<EOF
# Written by bench/mail/rt/setup.sh: the benchmark's RT instance.
Set(\$rtname, 'desk.example');
Set(\$Organization, 'desk.example');
Set(\$CorrespondAddress, 'support@desk.example');
Set(\$CommentAddress, 'support-comment@desk.example');
Set(\$Timezone, 'UTC');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$RT_DIR/rt.db');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $RT_PORT);
Set(\$WebPath, '');
Set(\$WebBaseURL, 'http://127.0.0.1:$RT_PORT');
# Outgoing mail (the autoreply scrip) is rendered and written to an mbox file
# in RT's VarPath instead of handed to /usr/sbin/sendmail (msmtp has no
# relay here): the scrips run, nothing leaves the machine.
Set(\$MailCommand, 'mbox');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');
Set(\$LogToFile, undef);
1;
EOF
cat > "$RT_DIR/acl.pl" <<'EOF'
# rt-setup-database --action insert: mail from anyone opens and answers
# tickets in General (RT's own default grants are not relied on).
@ACL = map { +{ GroupDomain => 'SystemInternal', GroupType => 'Everyone',
               Queue => 'General', Right => $_ } } qw(CreateTicket ReplyToTicket SeeQueue);
1;
EOF
export RT_SITE_CONFIG="$RT_DIR/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$RT_DIR/RT_SiteConfig.d"
echo "$RT_SITE_CONFIG" > "$RT_DIR/env"  # for run.sh

# --- 3. the database ----------------------------------------------------
nice -n 10 /usr/sbin/rt-setup-database-5 --action init --skip-create --dba root --dba-password '' \
  > "$RT_DIR/setup-database.log" 2>&1 || {
  # --skip-create is for an existing database; SQLite creates the file itself.
  nice -n 10 /usr/sbin/rt-setup-database-5 --action init --dba root --dba-password '' \
    > "$RT_DIR/setup-database.log" 2>&1 || { cat "$RT_DIR/setup-database.log" >&2; exit 1; }
}
nice -n 10 /usr/sbin/rt-setup-database-5 --action insert --datafile "$RT_DIR/acl.pl" \
  >> "$RT_DIR/setup-database.log" 2>&1 || { cat "$RT_DIR/setup-database.log" >&2; exit 1; }
sqlite3 "$RT_DIR/rt.db" "SELECT 'queues: ' || group_concat(Name) FROM Queues"
sqlite3 "$RT_DIR/rt.db" "SELECT 'Everyone on General: ' || group_concat(a.RightName) FROM ACL a
  JOIN Groups g ON g.id = a.PrincipalId JOIN Queues q ON q.id = a.ObjectId
  WHERE g.Domain = 'SystemInternal' AND g.Name = 'Everyone' AND a.ObjectType = 'RT::Queue' AND q.Name = 'General'"

# --- 4. the web server (rt-mailgate posts to its mail gateway) ----------
TMPDIR="$RT_DIR/tmp" nohup nice -n 10 perl "$RT_SERVER" --server Standalone --host 127.0.0.1 --port "$RT_PORT" \
  > "$RT_DIR/server.log" 2>&1 &
echo $! > "$RT_DIR/server.pid"
for _ in $(seq 360); do  # up to 3 minutes: RT compiles its Mason templates on a loaded machine
  if curl -s -o /dev/null "http://127.0.0.1:$RT_PORT/REST/1.0/NoAuth/mail-gateway"; then
    echo "RT $(perl -I/usr/share/request-tracker5/lib -MRT -e 'print $RT::VERSION') listening on 127.0.0.1:$RT_PORT (pid $(cat "$RT_DIR/server.pid")), database $RT_DIR/rt.db"
    exit 0
  fi
  kill -0 "$(cat "$RT_DIR/server.pid")" 2>/dev/null || break
  sleep 0.5
done
echo "setup.sh: rt-server did not answer on 127.0.0.1:$RT_PORT; its log:" >&2
cat "$RT_DIR/server.log" >&2
exit 1
