#!/usr/bin/env bash
# Idempotent SoftHSM set-up for the embedded mode: a token directory and config under
# $COFFER_HOME/hsm, (once) a token labelled $COFFER_PKCS11_TOKEN with random PINs kept in
# 0600 files, and (once, on new and existing tokens alike) the trusted backup wrapping key made
# with the SO PIN (infra/scripts/ensure-backup-key.js). Re-running changes nothing when both
# exist. Never prints a PIN.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
home="${COFFER_HOME:-$repo/.coffer}"
label="${COFFER_PKCS11_TOKEN:-coffer}"
hsm="$home/hsm"
tokens="$hsm/tokens"
conf="$hsm/softhsm2.conf"
user_pin_file="$hsm/user.pin"
so_pin_file="$hsm/so.pin"

command -v softhsm2-util >/dev/null || { echo "init-token: softhsm2-util not found (apt-get install softhsm2)" >&2; exit 1; }

# Everything this script creates is for the owner only (PIN files, token objects).
umask 077
mkdir -p "$tokens"

desired_conf="directories.tokendir = $tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false"
if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$desired_conf" ]]; then
  printf '%s\n' "$desired_conf" > "$conf"
  echo "init-token: wrote $conf"
else
  echo "init-token: $conf is up to date"
fi
export SOFTHSM2_CONF="$conf"

# The trusted backup key (CKA_TRUSTED, created by the SO) is the only key that can wrap Coffer
# keys for backup. Tokens made before it existed get it here on the next start. A failure only
# warns: everything but key backup works without it.
ensure_backup_key() {
  if [[ ! -s "$so_pin_file" ]]; then
    echo "init-token: warning: $so_pin_file is missing; cannot create the trusted backup key (key backup will fail)" >&2
    return 0
  fi
  COFFER_PKCS11_TOKEN="$label" COFFER_HSM_SO_PIN_FILE="$so_pin_file" node "$repo/infra/scripts/ensure-backup-key.js" \
    | sed 's/^ensure-backup-key:/init-token:/' \
    || echo "init-token: warning: could not ensure the trusted backup key (key backup will fail)" >&2
}

# softhsm2-util --show-slots prints "Label: <label padded>" for each initialised token.
if softhsm2-util --show-slots 2>/dev/null | sed -n 's/^[[:space:]]*Label:[[:space:]]*//p' | sed 's/[[:space:]]*$//' | grep -qxF -- "$label"; then
  echo "init-token: token '$label' already exists in $tokens; nothing to do"
  [[ -f "$user_pin_file" ]] || echo "init-token: warning: $user_pin_file is missing; the apps cannot log in" >&2
  ensure_backup_key
  exit 0
fi

random_pin() {
  if command -v openssl >/dev/null; then openssl rand -hex 16; else od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; fi
}
# Existing PIN files are reused (another token in this home, or a token directory that was
# wiped): overwriting them would lock the apps out of any token that still uses them.
if [[ -s "$user_pin_file" && -s "$so_pin_file" ]]; then
  user_pin="$(cat "$user_pin_file")"
  so_pin="$(cat "$so_pin_file")"
  echo "init-token: reusing the PINs in $user_pin_file and $so_pin_file"
else
  user_pin="$(random_pin)"
  so_pin="$(random_pin)"
  # Written before the token exists so a failed init never leaves a token whose PIN is lost.
  printf '%s' "$user_pin" > "$user_pin_file"
  printf '%s' "$so_pin" > "$so_pin_file"
fi
chmod 600 "$user_pin_file" "$so_pin_file"

# The PINs pass on the command line (softhsm2-util has no other way); its output is not shown
# because it only repeats what we print below.
softhsm2-util --init-token --free --label "$label" --pin "$user_pin" --so-pin "$so_pin" >/dev/null
unset user_pin so_pin

echo "init-token: initialised token '$label' in $tokens"
echo "init-token: user PIN in $user_pin_file, SO PIN in $so_pin_file (mode 0600)"
echo "init-token: export SOFTHSM2_CONF=$conf"
ensure_backup_key
