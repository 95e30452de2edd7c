#!/usr/bin/env bash
# Debian's Chromium for the verification page's browser test (tests/api/test_page.py).
#
#   tools/chromium.sh ensure   /usr/bin/chromium is there, or install Debian's `chromium`
#                              (as root with apt-get); else fail saying why (the browser
#                              test then skips, naming the missing binary)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
BINARY=/usr/bin/chromium
LOG_FILE="$ROOT/.chromium-install.log"

die() {
  echo "tools/chromium.sh: $*" >&2
  exit 1
}

cmd_ensure() {
  if [[ -x $BINARY ]]; then
    echo "chromium at $BINARY"
    return
  fi
  if ((EUID != 0)) || ! command -v apt-get >/dev/null; then
    die "no $BINARY and no way to install it here (needs root and apt-get): the browser test skips"
  fi
  echo "tools/chromium.sh: installing Debian's chromium ..." >&2
  apt_install chromium "$LOG_FILE"
  [[ -x $BINARY ]] || die "chromium installed but $BINARY is missing"
  echo "chromium at $BINARY"
}

case "${1:-}" in
  ensure) cmd_ensure ;;
  *) die "usage: tools/chromium.sh ensure" ;;
esac
