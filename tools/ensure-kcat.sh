#!/usr/bin/env bash
# kcat is the independent Kafka client the tests and the benchmark compare against.
set -euo pipefail
if command -v kcat >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing kcat (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null
else
  echo "kcat is missing: install it (Debian/Ubuntu: sudo apt-get install kcat)" >&2
  exit 1
fi
