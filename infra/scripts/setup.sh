#!/usr/bin/env bash
# Installs whatever is missing for Coffer on a Debian machine with Node 20, and does nothing else:
# Debian packages, npm dependencies, the build, and (with --token) the embedded HSM token.
# Usage: infra/scripts/setup.sh [--token]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

want_token=false
for arg in "$@"; do
  case "$arg" in
    --token) want_token=true ;;
    *) die "setup.sh: unknown argument '$arg' (expected --token)" ;;
  esac
done

command -v node >/dev/null || die "node is not installed (Coffer needs Node.js >= 20.19)"

# State made by older versions under a wider umask becomes private (common.sh: umask 077 from now on).
tighten_home_modes

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

# --- Debian packages -------------------------------------------------------------------------
debian_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
# openssl: the test suite checks certificates, CSRs, CRLs and PFX files with the OpenSSL CLI.
# rsyslog: the audit exporter example is tested against a real rsyslogd (the test starts its own).
for pkg in nats-server softhsm2 openssl rsyslog; do debian_installed "$pkg" || missing+=("$pkg"); done
if ((${#missing[@]})); then
  say "coffer setup: installing ${missing[*]} …"
  export DEBIAN_FRONTEND=noninteractive
  # System packages install with the system's usual umask, not Coffer's private one.
  (umask 022 && as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null)
fi

# --- npm dependencies ------------------------------------------------------------------------
# A linked node_modules (a git worktree sharing another checkout's) is left alone: npm ci would
# replace the shared tree for every checkout that uses it.
if [[ -L node_modules ]]; then
  say "coffer setup: node_modules is a link to $(readlink node_modules); not reinstalling it"
elif [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "coffer setup: installing npm dependencies (npm ci) …"
  # Code, not state: readable as usual (common.sh set umask 077 for Coffer's state).
  (umask 022 && npm ci --no-audit --no-fund)
fi

# --- build -----------------------------------------------------------------------------------
# The stamp is taken before the build starts, so a file saved during the build triggers the next one.
stamp=dist/.build-stamp
needs_build() {
  [[ -f "$stamp" ]] || return 0
  [[ -n "$(find apps libs bench chaos -name '*.ts' ! -name '*spec.ts' -newer "$stamp" -print -quit 2>/dev/null)" ]] && return 0
  [[ -n "$(find tsconfig.json tsconfig.build.json package-lock.json -newer "$stamp" -print -quit)" ]]
}
if needs_build; then
  say "coffer setup: building (npm run build) …"
  pending="$(mktemp)"
  if ! (umask 022 && npm run --silent build); then
    rm -f "$pending"
    die "the build failed (see the compiler output above)"
  fi
  mv "$pending" "$stamp"
fi

# --- HSM token -------------------------------------------------------------------------------
if $want_token; then
  if external_pkcs11; then
    say "coffer setup: COFFER_PKCS11_* is set, not creating the embedded token"
  else
    [[ -f infra/scripts/init-token.sh ]] || die "infra/scripts/init-token.sh is missing"
    bash infra/scripts/init-token.sh
  fi
fi
