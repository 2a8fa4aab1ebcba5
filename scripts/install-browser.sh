#!/usr/bin/env bash
# Debian's Chromium for the web page's browser test (test/web/page.test.ts), installed when missing.
# Never `npx playwright install`: it downloads a browser of its own, which fails on these machines.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version 2>/dev/null | head -n 1 || { echo "install-browser: /usr/bin/chromium did not install" >&2; exit 1; }
