#!/usr/bin/env bash
# Rewrites tests/data/mail/*.eml and *.expected.json from the case scripts
# here (each message written by hand in the shape of one client's output,
# with the expected CONTRACT §9 answer next to it). Run after editing a case:
#   tests/data/mail/source/make_corpus.sh
set -euo pipefail
cd "$(dirname "$0")"
for f in c_outlook.py c_clients.py c_charsets.py c_auto.py c_structure.py c_realworld.py c_bad.py; do
  python3 "$f"
done
