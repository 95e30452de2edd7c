#!/usr/bin/env bash
# The project's IPFS daemon: js-ipfs (npm `ipfs`, pinned in package-lock.json), offline,
# API on the loopback only. Used by `make ipfs`, `make test`, `make demo` and
# tests/oracle/conftest.py.
#
#   tools/ipfs.sh start    init the repo if needed, start the daemon, wait until the API answers
#   tools/ipfs.sh stop     stop the daemon started here (by the PID in its pid file)
#   tools/ipfs.sh status   exit 0 and say so when the daemon runs and answers
#   tools/ipfs.sh api      print the API multiaddr (for BPSA_IPFS_API)
#
# Files (BPSA_IPFS_DIR, default <project>/.ipfs; all git-ignored):
#   $BPSA_IPFS_DIR/repo           the IPFS repo (profile `test`, no bootstrap peers, no MDNS)
#   $BPSA_IPFS_DIR/api-address    the API multiaddr, e.g. /ip4/127.0.0.1/tcp/5001/http
#   $BPSA_IPFS_DIR.pid            the daemon's PID       (default .ipfs.pid)
#   $BPSA_IPFS_DIR.log            the daemon's output    (default .ipfs.log)
#
# The API port: IPFS_API_PORT if set (an error if busy); otherwise the port of the last
# run if free, else 5001 if free, else any free port. No gateway, no gRPC endpoint, no
# swarm listener: the daemon runs with --offline and only serves the RPC API.
# IPFS_START_TIMEOUT (seconds, default 60) bounds the wait for the API.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
DIR="$(state_dir "${BPSA_IPFS_DIR:-$ROOT/.ipfs}")"
REPO="$DIR/repo"
ADDR_FILE="$DIR/api-address"
PID_FILE="$DIR.pid"
LOG_FILE="$DIR.log"
CLI="$ROOT/node_modules/ipfs/src/cli.js"
START_TIMEOUT="${IPFS_START_TIMEOUT:-60}"
DEFAULT_PORT=5001

die() {
  echo "tools/ipfs.sh: $*" >&2
  exit 1
}

# The PID of our daemon when it is alive (and still a js-ipfs process, not a reused
# PID), else nothing. js-ipfs sets its process title to "ipfs" once it runs.
running_pid() {
  local pid args
  pid="$(pid_alive "$PID_FILE")" || return 1
  args="$(ps -o args= -p "$pid" 2>/dev/null || true)"
  [[ "$args" == ipfs* || "$args" == *"ipfs/src/cli.js daemon"* ]] || return 1
  echo "$pid"
}

port_of() { # /ip4/127.0.0.1/tcp/5001/http -> 5001
  local addr="$1"
  addr="${addr#*/tcp/}"
  echo "${addr%%/*}"
}

port_free() {
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(1));
    s.listen(Number(process.argv[1]), "127.0.0.1", () => s.close(() => process.exit(0)));
  ' "$1"
}

any_free_port() {
  node -e '
    const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => console.log(p)); });
  '
}

answers() { # POST /api/v0/id, as the RPC API requires
  node -e '
    fetch(process.argv[1], { method: "POST", signal: AbortSignal.timeout(2000) })
      .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
  ' "http://127.0.0.1:$1/api/v0/id"
}

choose_port() {
  if [[ -n "${IPFS_API_PORT:-}" ]]; then
    port_free "$IPFS_API_PORT" || die "IPFS_API_PORT=$IPFS_API_PORT is already in use on 127.0.0.1"
    echo "$IPFS_API_PORT"
    return
  fi
  if [[ -f "$ADDR_FILE" ]]; then
    local last
    last="$(port_of "$(cat "$ADDR_FILE")")"
    if [[ "$last" =~ ^[0-9]+$ ]] && port_free "$last"; then
      echo "$last"
      return
    fi
  fi
  if port_free "$DEFAULT_PORT"; then
    echo "$DEFAULT_PORT"
  else
    any_free_port
  fi
}

# Loopback-only, offline configuration, applied to the init config and on every start
# (so an edited repo config cannot open the API to the network).
configure() { # file port
  node -e '
    const fs = require("fs");
    const [file, port] = process.argv.slice(1);
    const c = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    c.Addresses = {
      ...(c.Addresses || {}),
      API: `/ip4/127.0.0.1/tcp/${port}`,
      Gateway: "",
      RPC: "",
      Swarm: [],
      Announce: [],
      NoAnnounce: [],
      Delegates: [],
    };
    c.Bootstrap = [];
    c.Discovery = { ...(c.Discovery || {}), MDNS: { Enabled: false, Interval: 10 }, webRTCStar: { Enabled: false } };
    fs.writeFileSync(file + ".tmp", JSON.stringify(c, null, 2));
    fs.renameSync(file + ".tmp", file);
  ' "$1" "$2"
}

wait_ready() { # pid port
  local pid="$1" port="$2" deadline=$((SECONDS + START_TIMEOUT))
  until answers "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail -n 20 "$LOG_FILE" >&2 || true
      die "the IPFS daemon exited during start-up (log above, full log in $LOG_FILE)"
    fi
    if ((SECONDS >= deadline)); then
      kill "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      tail -n 20 "$LOG_FILE" >&2 || true
      die "the IPFS API on 127.0.0.1:$port did not answer within ${START_TIMEOUT}s; stopped pid $pid (log in $LOG_FILE; raise IPFS_START_TIMEOUT on a slow machine)"
    fi
    sleep 0.2
  done
}

cmd_start() {
  local pid port started=$SECONDS
  if pid="$(running_pid)"; then
    port="$(port_of "$(cat "$ADDR_FILE")")"
    wait_ready "$pid" "$port"
    echo "ipfs already running (pid $pid) at $(cat "$ADDR_FILE")"
    return
  fi
  command -v node >/dev/null || die "node is not on PATH (Node 20 is required)"
  [[ -f "$CLI" ]] || die "js-ipfs is not installed ($CLI missing); run: make setup"
  # Our daemon is not running, so a lock or api file left by a killed one is stale.
  rm -rf "$REPO/repo.lock" "$REPO/api"
  port="$(choose_port)"
  if [[ ! -f "$REPO/config" ]]; then
    configure "$DIR/init-config.json" "$port"
    IPFS_PATH="$REPO" node "$CLI" init --profile test --emptyRepo "$DIR/init-config.json" \
      >>"$LOG_FILE" 2>&1 || die "ipfs init failed (see $LOG_FILE)"
  fi
  configure "$REPO/config" "$port"
  echo "/ip4/127.0.0.1/tcp/$port/http" >"$ADDR_FILE"
  IPFS_PATH="$REPO" nohup node "$CLI" daemon --offline --enable-preload=false \
    >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  wait_ready "$pid" "$port"
  echo "ipfs (js-ipfs, offline) at $(cat "$ADDR_FILE"), pid $pid, ready in $((SECONDS - started))s"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "ipfs not running"
    return
  fi
  kill "$pid"
  if ! wait_exit "$pid" 75; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  echo "ipfs stopped (pid $pid)"
}

cmd_status() {
  local pid
  pid="$(running_pid)" || die "ipfs not running"
  answers "$(port_of "$(cat "$ADDR_FILE")")" || die "ipfs (pid $pid) does not answer at $(cat "$ADDR_FILE")"
  echo "ipfs running (pid $pid) at $(cat "$ADDR_FILE")"
}

cmd_api() {
  running_pid >/dev/null || die "ipfs not running; start it with: make ipfs"
  cat "$ADDR_FILE"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  api) cmd_api ;;
  *) die "usage: tools/ipfs.sh start|stop|status|api" ;;
esac
