# Shell functions the service scripts in tools/ share (sourced, not run).

# apt_install PACKAGE LOG_FILE: Debian's PACKAGE, quietly; when the package lists are
# stale (a fresh machine), once more after `apt-get update`. Output goes to LOG_FILE; a
# failure exits through the caller's `die`.
apt_install() {
  local package=$1 log=$2
  local install=(apt-get install -y -qq --no-install-recommends "$package")
  if ! DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null 2>>"$log"; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>>"$log" ||
      die "apt-get update failed (see $log)"
    DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null 2>>"$log" ||
      die "apt-get install $package failed (see $log)"
  fi
}

# state_dir DIRECTORY: make DIRECTORY (a service's git-ignored state) and print its
# absolute path.
state_dir() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}

# pid_alive PID_FILE: the PID in a service's PID_FILE when that process is alive, else
# nothing (status 1). The caller still checks that the process is its own (not a reused
# PID) by its name, which differs by service.
pid_alive() {
  [[ -f "$1" ]] || return 1
  local pid
  pid="$(cat "$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# wait_exit PID TICKS: wait until PID has exited, for at most TICKS times 0.2 s; status 1
# when it still runs (the caller then signals it harder).
wait_exit() {
  local pid=$1 ticks=$2
  for _ in $(seq 1 "$ticks"); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  ! kill -0 "$pid" 2>/dev/null
}
