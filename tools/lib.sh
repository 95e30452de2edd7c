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
