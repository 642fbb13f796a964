#!/usr/bin/env bash
# Debian's Chromium for the editor tests (npm run test:ui): Playwright's own browser download is not
# available on these machines, so playwright-core drives this one. Skips when it is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "Chromium is missing: run 'apt-get update && apt-get install -y chromium' as root" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
