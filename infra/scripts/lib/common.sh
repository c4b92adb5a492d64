# Shared helpers for Coffer's scripts (sourced, not run). Sets REPO_ROOT, COFFER_HOME and the
# run/log folders, and cds to the repo root so every path below is relative to the checkout.
set -euo pipefail
# Everything Coffer's scripts create (PIN files, passwords, nats.url, the NATS config and store, logs,
# pid files) and everything they start (nats-server, softhsm2-util, the apps) is for this user only.
umask 077

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$REPO_ROOT"

export COFFER_HOME="${COFFER_HOME:-$REPO_ROOT/.coffer}"
RUN_DIR="$COFFER_HOME/run"
LOG_DIR="$COFFER_HOME/logs"

# Start order; stop goes the other way round. The scheduler is a client of the vault: it starts last.
COFFER_APPS=(crypto-worker projector audit vault scheduler)

say() { printf '%s\n' "$*"; }
die() { printf 'coffer: error: %s\n' "$*" >&2; exit 1; }

# True when the pid in $1 (a pid file) is alive and its command line contains $2: a pid that was
# reused by an unrelated process after a crash does not count.
pid_file_alive() {
  local file="$1" expect="$2" pid
  [[ -s "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$expect"
}

# SIGTERM, wait up to $3 seconds, then SIGKILL; removes the pid file.
stop_pid_file() {
  local file="$1" expect="$2" grace="${3:-10}" name="$4" pid i
  if ! pid_file_alive "$file" "$expect"; then
    rm -f "$file"
    return 0
  fi
  pid="$(<"$file")"
  say "coffer: stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "coffer: $name did not stop within ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port the kernel reports free right now.
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

# Makes $COFFER_HOME private if an older version (or a wider umask) left anything readable by group
# or others: the folder itself 0700 and every file and folder in it without group/other bits.
# Symlinks are not followed (chmod would act on their target outside the home), files of other
# users are left alone, and a home that is the user's home folder or / is refused, not changed.
tighten_home_modes() {
  [[ -d "$COFFER_HOME" ]] || return 0
  local home
  home="$(cd "$COFFER_HOME" && pwd -P)"
  if [[ "$home" == / || "$home" == "$(cd ~ 2>/dev/null && pwd -P)" ]]; then
    say "coffer: warning: COFFER_HOME is $home; not changing file modes there (use a folder of its own)" >&2
    return 0
  fi
  [[ -O "$home" ]] || return 0
  chmod go-rwx "$home"
  find "$home" -mindepth 1 -user "$(id -u)" ! -type l -perm /077 -exec chmod go-rwx {} + 2>/dev/null || true
}

# True when the user points Coffer at their own HSM token (then no embedded token is made).
external_pkcs11() {
  [[ -n "${COFFER_PKCS11_MODULE:-}${COFFER_PKCS11_TOKEN:-}${COFFER_PKCS11_PIN_FILE:-}" ]]
}
