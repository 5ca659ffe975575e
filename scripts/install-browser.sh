#!/usr/bin/env bash
# Install what the browser tests (pytest -m browser) need: Debian's Chromium and the Python
# Playwright package. Playwright drives /usr/bin/chromium; it never downloads a browser of its
# own (that download fails on these machines). Idempotent: does nothing already done.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
fi

PYTHON="${PYTHON:-python}"
if ! "$PYTHON" -c "import playwright" 2>/dev/null; then
    "$PYTHON" -m pip install -q "playwright>=1.50"
fi

/usr/bin/chromium --version
"$PYTHON" -c "from importlib.metadata import version; print('playwright', version('playwright'))"
