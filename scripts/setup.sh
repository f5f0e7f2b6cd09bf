#!/usr/bin/env bash
# npm run setup: the system packages the test suites need, from Debian (docs/real.md "Setup").
#  - chromium: the HTML report's test opens the report in a real headless browser.
#  - the real-Synapse suite (test/real/): Debian's python3 modules Synapse 1.8-1.13 import,
#    PostgreSQL 15 and nginx.
# As root with apt-get, it installs what is missing; otherwise it prints the one command to run.
set -uo pipefail

PACKAGES="chromium nginx postgresql-15 python3 python3-twisted python3-canonicaljson
 python3-signedjson python3-unpaddedbase64 python3-nacl python3-bcrypt python3-jsonschema
 python3-frozendict python3-msgpack python3-phonenumbers python3-pymacaroons
 python3-service-identity python3-treq python3-prometheus-client python3-attr python3-netaddr
 python3-jinja2 python3-bleach python3-typing-extensions python3-psycopg2 python3-yaml python3-pil
 python3-sortedcontainers python3-openssl python3-pyasn1 python3-pyasn1-modules python3-daemonize
 python3-idna python3-six python3-pkg-resources python3-simplejson"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
missing="${missing# }"

if [ -z "$missing" ]; then
  echo "setup: every system package the suites need is installed"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing $(echo $missing | wc -w) Debian package(s): $missing"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
    tail -20 "$log"; rm -f "$log"
    echo "setup: apt-get failed; run: apt-get install -y --no-install-recommends $missing" >&2
    exit 1
  fi
  rm -f "$log"
  echo "setup: installed"
else
  echo "setup: missing Debian packages; run this once, then npm test:" >&2
  echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
  exit 1
fi

if [ -z "${UIASIM_SYNAPSE_SRC:-}" ]; then
  echo "setup: the real-Synapse suite (test/real/) runs when UIASIM_SYNAPSE_SRC names your Synapse (docs/real.md); without it, it is skipped"
fi
