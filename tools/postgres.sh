#!/usr/bin/env bash
# The project's PostgreSQL server: a private cluster under the project root, listening on
# the loopback only, for the hub's write-ahead log and the tests that run on PostgreSQL.
# Used by `make pg`, `make test` and .ci/run (through `make test`).
#
#   tools/postgres.sh ensure   the server's binaries are there, or install Debian's
#                              `postgresql` (as root with apt-get); else fail saying why
#   tools/postgres.sh start    init the cluster if needed, start it, wait until it answers
#   tools/postgres.sh stop     stop the server started here (by the PID in its pid file)
#   tools/postgres.sh status   exit 0 and say so when the server runs and answers
#   tools/postgres.sh url      print its URL (for BPSA_PG_URL)
#
# Files (BPSA_PG_DIR, default <project>/.pgdata; all git-ignored):
#   $BPSA_PG_DIR/cluster     the cluster (initdb; fsync on: the hub's log must be durable)
#   $BPSA_PG_DIR/socket      the unix socket directory (under /tmp if that path is too long)
#   $BPSA_PG_DIR/port        the TCP port of the last start
#   <project>/.pg.pid        the postmaster's PID  ($BPSA_PG_DIR.pid when BPSA_PG_DIR is set)
#   <project>/.pg.log        the server's output   ($BPSA_PG_DIR.log when BPSA_PG_DIR is set)
#
# The server listens on 127.0.0.1 only, with trust authentication (loopback and the
# private socket); role and database `bpsa` (the role may create databases: the tests
# take a fresh one each). The port: PG_PORT if set (an error if busy); otherwise the port
# of the last run if free, else any free port. PostgreSQL refuses to run as root, so as
# root the cluster belongs to the `postgres` OS user and runs as it.
# PG_START_TIMEOUT (seconds, default 60) bounds the wait for the server.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
DIR="$(state_dir "${BPSA_PG_DIR:-$ROOT/.pgdata}")"
CLUSTER="$DIR/cluster"
SOCKET="$DIR/socket"
if ((${#SOCKET} > 80)); then # a unix socket's path is at most 107 bytes
  SOCKET="/tmp/bpsa-pg-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)"
fi
PORT_FILE="$DIR/port"
if [[ -n "${BPSA_PG_DIR:-}" ]]; then
  PID_FILE="$DIR.pid"
  LOG_FILE="$DIR.log"
else
  PID_FILE="$ROOT/.pg.pid"
  LOG_FILE="$ROOT/.pg.log"
fi
START_TIMEOUT="${PG_START_TIMEOUT:-60}"
ROLE=bpsa
DATABASE=bpsa

die() {
  echo "tools/postgres.sh: $*" >&2
  exit 1
}

# The directory of the newest installed server's binaries (initdb, pg_ctl, postgres).
server_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [[ -n "$bin" && -x "$bin/initdb" && -x "$bin/pg_ctl" && -x "$bin/postgres" ]] || return 1
  echo "$bin"
}

# Run a command as the server's OS user: `postgres` when we are root, else ourselves.
as_server() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The postmaster's PID when it is alive (and still a postgres process, not a reused PID).
running_pid() {
  local pid comm
  pid="$(pid_alive "$PID_FILE")" || return 1
  comm="$(ps -o comm= -p "$pid" 2>/dev/null || true)"
  [[ "$comm" == postgres* ]] || return 1
  echo "$pid"
}

port_free() {
  python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as postgres binds: TIME_WAIT is fine
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
' "$1"
}

any_free_port() {
  python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
'
}

choose_port() {
  if [[ -n "${PG_PORT:-}" ]]; then
    port_free "$PG_PORT" || die "PG_PORT=$PG_PORT is already in use on 127.0.0.1"
    echo "$PG_PORT"
    return
  fi
  if [[ -f "$PORT_FILE" ]]; then
    local last
    last="$(cat "$PORT_FILE")"
    if [[ "$last" =~ ^[0-9]+$ ]] && port_free "$last"; then
      echo "$last"
      return
    fi
  fi
  any_free_port
}

answers() { # port
  "$(server_bin)/pg_isready" -q -h 127.0.0.1 -p "$1" -d "$DATABASE" -U "$ROLE" -t 2
}

cmd_ensure() {
  local bin
  if bin="$(server_bin)"; then
    echo "postgresql server binaries in $bin"
    return
  fi
  if ((EUID != 0)) || ! command -v apt-get >/dev/null; then
    die "no PostgreSQL server (initdb, pg_ctl, postgres under /usr/lib/postgresql/*/bin) and no way to install one here (needs root and apt-get); install Debian's postgresql, or run without BPSA_PG_URL (the PostgreSQL tests then skip)"
  fi
  # Only our private cluster is wanted: no system-wide `main` cluster from the package.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/bpsa.conf
  echo "tools/postgres.sh: installing Debian's postgresql ..." >&2
  apt_install postgresql "$LOG_FILE"
  bin="$(server_bin)" || die "postgresql installed but no server binaries under /usr/lib/postgresql"
  echo "postgresql server binaries in $bin"
}

init_cluster() {
  local bin="$1"
  mkdir -p "$DIR"
  if ((EUID == 0)); then
    chown postgres: "$DIR"
  fi
  chmod 700 "$DIR"
  as_server test -w "$DIR" -a -w "$LOG_FILE" ||
    die "the postgres user cannot write $DIR or $LOG_FILE (a parent directory closed to it?); set BPSA_PG_DIR to a directory it can reach"
  as_server mkdir -p "$SOCKET"
  [[ -f "$CLUSTER/PG_VERSION" ]] && return
  as_server "$bin/initdb" -D "$CLUSTER" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >>"$LOG_FILE" 2>&1 || die "initdb failed (see $LOG_FILE)"
}

# Role `bpsa` (may create the tests' databases) and its database, once.
create_role() { # bin port
  local psql=("$1/psql" -X -q -h "$SOCKET" -p "$2" -U postgres -d postgres -v ON_ERROR_STOP=1)
  if [[ "$(as_server "${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]]; then
    as_server "${psql[@]}" -c "CREATE ROLE $ROLE LOGIN CREATEDB" || die "could not create role $ROLE"
  fi
  if [[ "$(as_server "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]]; then
    as_server "${psql[@]}" -c "CREATE DATABASE $DATABASE OWNER $ROLE" ||
      die "could not create database $DATABASE"
  fi
}

cmd_start() {
  local bin pid port started=$SECONDS
  bin="$(server_bin)" || die "no PostgreSQL server binaries; run: tools/postgres.sh ensure"
  if pid="$(running_pid)"; then
    port="$(cat "$PORT_FILE")"
    answers "$port" || die "postgres (pid $pid) runs but does not answer on 127.0.0.1:$port"
    echo "postgres already running (pid $pid) at $(url_of "$port")"
    return
  fi
  touch "$LOG_FILE"
  if ((EUID == 0)); then
    chown postgres: "$LOG_FILE"
  fi
  init_cluster "$bin"
  port="$(choose_port)"
  echo "$port" >"$PORT_FILE"
  # fsync and synchronous_commit stay on (PostgreSQL's defaults): a commit is on disk.
  local options="-c listen_addresses=127.0.0.1 -p $port -k $SOCKET -c fsync=on"
  options+=" -c synchronous_commit=on -c full_page_writes=on"
  if ! as_server "$bin/pg_ctl" -D "$CLUSTER" -l "$LOG_FILE" -o "$options" \
    -w -t "$START_TIMEOUT" start >/dev/null; then
    tail -n 20 "$LOG_FILE" >&2 || true
    die "postgres did not start on 127.0.0.1:$port within ${START_TIMEOUT}s (log above, full log in $LOG_FILE)"
  fi
  pid="$(head -n1 "$CLUSTER/postmaster.pid")"
  echo "$pid" >"$PID_FILE"
  create_role "$bin" "$port"
  answers "$port" || die "postgres (pid $pid) started but does not answer as $ROLE"
  echo "postgres at $(url_of "$port"), pid $pid, ready in $((SECONDS - started))s"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "postgres not running"
    return
  fi
  kill -INT "$pid" # fast shutdown: roll back open transactions, disconnect, checkpoint
  if ! wait_exit "$pid" 150; then
    kill -QUIT "$pid" 2>/dev/null || true # immediate shutdown; crash recovery on next start
    wait_exit "$pid" 50 || true
  fi
  rm -f "$PID_FILE"
  echo "postgres stopped (pid $pid)"
}

url_of() { echo "postgresql://$ROLE@127.0.0.1:$1/$DATABASE"; }

cmd_status() {
  local pid port
  pid="$(running_pid)" || die "postgres not running"
  port="$(cat "$PORT_FILE")"
  answers "$port" || die "postgres (pid $pid) does not answer on 127.0.0.1:$port"
  echo "postgres running (pid $pid) at $(url_of "$port")"
}

cmd_url() {
  running_pid >/dev/null || die "postgres not running; start it with: make pg"
  url_of "$(cat "$PORT_FILE")"
}

case "${1:-}" in
  ensure) cmd_ensure ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) cmd_url ;;
  *) die "usage: tools/postgres.sh ensure|start|stop|status|url" ;;
esac
