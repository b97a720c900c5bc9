#!/usr/bin/env bash
# A throwaway Dovecot IMAP server for the mail tests (like pg-test-cluster.sh).
#
#   dir=$(scripts/dovecot-test-cluster.sh start)   # prints the server directory
#   export SLADESK_TEST_IMAP_URL=$(cat "$dir/url")            # imap://127.0.0.1:PORT
#   export SLADESK_TEST_IMAPS_URL=$(cat "$dir/imaps_url")     # imaps://127.0.0.1:PORT
#   export SLADESK_TEST_IMAP_USER=$(cat "$dir/user") SLADESK_TEST_IMAP_PASSWORD=$(cat "$dir/password")
#   export SLADESK_TEST_IMAP_CA=$dir/ca.pem                   # the self-signed certificate to trust
#   ...run the tests...
#   scripts/dovecot-test-cluster.sh stop "$dir"    # stops it and deletes the directory
#
# Everything lives in a fresh temp directory: the configuration, a
# passwd-file with one user, its maildir, a self-signed certificate for
# 127.0.0.1 made with openssl, the logs and the runtime sockets. It listens
# on 127.0.0.1 only, on free ports (imap with STARTTLS, and imaps); no
# system service is touched. Started by root, mail is stored as `nobody`
# and the login processes run as `dovenull` (Dovecot's own users from
# dovecot-core); started by another user, everything runs as that user.
set -euo pipefail

DOVECOT=${DOVECOT:-/usr/sbin/dovecot}
if [ ! -x "$DOVECOT" ]; then
  echo "dovecot-test-cluster: $DOVECOT not found (apt-get install dovecot-imapd)" >&2
  exit 1
fi

free_port() {
  echo $((20000 + (RANDOM * 32768 + RANDOM) % 40000))
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/sladesk-dovecot.XXXXXX)
    chmod 755 "$dir"
    mkdir -p "$dir/run" "$dir/state" "$dir/home/support"
    if [ "$(id -u)" -eq 0 ]; then
      mail_user=nobody
      internal_user=dovecot
      login_user=dovenull
    else
      mail_user=$(id -un)
      internal_user=$mail_user
      login_user=$mail_user
    fi
    mail_uid=$(id -u "$mail_user")
    mail_gid=$(id -g "$mail_user")
    chown -R "$mail_uid:$mail_gid" "$dir/home"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$dir/key.pem" -out "$dir/ca.pem" >"$dir/openssl.log" 2>&1 || {
      cat "$dir/openssl.log" >&2; exit 1; }
    chmod 644 "$dir/ca.pem" "$dir/key.pem"
    password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
    echo "support@desk.test:{PLAIN}${password}:${mail_uid}:${mail_gid}::${dir}/home/support" > "$dir/passwd"
    chmod 644 "$dir/passwd"
    started=""
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      port=$(free_port)
      sport=$(free_port)
      cat > "$dir/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
instance_name = sladesk-test-$port
log_path = $dir/dovecot.log
default_internal_user = $internal_user
default_login_user = $login_user
first_valid_uid = 1
ssl = yes
ssl_cert = <$dir/ca.pem
ssl_key = <$dir/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $dir/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $sport
    ssl = yes
  }
}
# No brute-force penalty for loopback: a test that logs in with a wrong
# password must not slow down the others (Dovecot's auth penalty is per IP).
login_trusted_networks = 127.0.0.0/8
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
}
EOF
      if "$DOVECOT" -c "$dir/dovecot.conf" >"$dir/start.log" 2>&1; then
        # Wait (bounded) until it answers on the port.
        for _ in $(seq 1 100); do
          if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then started=1; break; fi
          sleep 0.1
        done
        [ -n "$started" ] && break
        "$DOVECOT" -c "$dir/dovecot.conf" stop >/dev/null 2>&1 || true
      fi
    done
    if [ -z "$started" ]; then
      echo "dovecot-test-cluster: dovecot did not start; logs follow" >&2
      cat "$dir/start.log" "$dir/dovecot.log" >&2 2>/dev/null || true
      exit 1
    fi
    echo "imap://127.0.0.1:$port" > "$dir/url"
    echo "imaps://127.0.0.1:$sport" > "$dir/imaps_url"
    echo "support@desk.test" > "$dir/user"
    echo "$password" > "$dir/password"
    echo "$dir/home/support/Maildir" > "$dir/maildir"
    echo "$dir"
    ;;
  stop)
    dir=${2:?usage: dovecot-test-cluster.sh stop DIR}
    case "$dir" in /tmp/sladesk-dovecot.*) ;; *) echo "dovecot-test-cluster: refusing to remove $dir" >&2; exit 1;; esac
    if [ -f "$dir/dovecot.conf" ]; then
      "$DOVECOT" -c "$dir/dovecot.conf" stop >/dev/null 2>&1 || true
      # Bounded wait for the master process to go.
      pidfile="$dir/run/master.pid"
      for _ in $(seq 1 50); do
        [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null || break
        sleep 0.1
      done
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: dovecot-test-cluster.sh start | stop DIR" >&2
    exit 2
    ;;
esac
