# The embedded nats-server's users and configuration (sourced by start.sh and nats-user.sh).
# Needs COFFER_HOME and die() from common.sh.
NATS_DIR="$COFFER_HOME/nats"
NATS_CLIENTS_DIR="$NATS_DIR/clients"

redact_url() { # a NATS URL without its password or token, for messages
  printf '%s' "$1" | sed -E 's#//([^:@/,]*):[^@/,]*@#//\1:***@#g; s#//[^:@/,]*@#//***@#g'
}
CLIENT_PASS_FILE="$NATS_DIR/client.pass"
NATS_USERS_DIR="$NATS_DIR/users"
NATS_HOOKS_DIR="$NATS_DIR/hooks"

# The template's users (infra/nats/coffer.conf.template), one per app and role; coffer-client's
# password is client.pass (nats.url), the others users/<user>.pass.
NATS_APP_USERS=(coffer-admin coffer-vault coffer-vault-responder coffer-crypto-worker coffer-projector coffer-audit
  coffer-audit-responder coffer-scheduler coffer-scheduler-hooks)
nats_pass_file() { # user
  if [[ "$1" == coffer-client ]]; then printf '%s' "$CLIENT_PASS_FILE"; else printf '%s' "$NATS_USERS_DIR/$1.pass"; fi
}

ensure_password() { # file: 48 hex characters, made once, readable by the owner only
  if [[ ! -s "$1" ]]; then
    command -v openssl >/dev/null || die "openssl is needed to make the NATS passwords"
    (umask 077 && openssl rand -hex 24 >"$1.tmp") && mv -f "$1.tmp" "$1"
  fi
  chmod 600 "$1"
}

ensure_nats_passwords() { # every template user's password file (made once)
  (umask 077 && mkdir -p "$NATS_DIR" "$NATS_USERS_DIR")
  chmod 700 "$NATS_USERS_DIR"
  local user
  for user in "${NATS_APP_USERS[@]}" coffer-client; do ensure_password "$(nats_pass_file "$user")"; done
  # coffer-internal (full access for every app) is gone: one user per app replaced it.
  rm -f "$NATS_DIR/internal.pass"
}

# The environment of one app (start.sh): its user(s) and password files.
nats_app_env() { # app → lines VAR=value
  local main responder="" hooks=""
  case "$1" in
    vault) main=coffer-vault responder=coffer-vault-responder ;;
    crypto-worker) main=coffer-crypto-worker ;;
    projector) main=coffer-projector ;;
    audit) main=coffer-audit responder=coffer-audit-responder ;;
    scheduler) main=coffer-scheduler hooks=coffer-scheduler-hooks ;;
    *) die "no NATS user for app '$1'" ;;
  esac
  printf 'COFFER_NATS_USER=%s\nCOFFER_NATS_PASSWORD_FILE=%s\n' "$main" "$(nats_pass_file "$main")"
  [[ -n "$responder" ]] && printf 'COFFER_NATS_RESPONDER_USER=%s\nCOFFER_NATS_RESPONDER_PASSWORD_FILE=%s\n' "$responder" "$(nats_pass_file "$responder")"
  [[ -n "$hooks" ]] && printf 'COFFER_NATS_HOOKS_USER=%s\nCOFFER_NATS_HOOKS_PASSWORD_FILE=%s\n' "$hooks" "$(nats_pass_file "$hooks")"
  return 0
}

write_private() { # file content: written atomically, mode 0600
  (umask 077 && printf '%s\n' "$2" >"$1.tmp") && mv -f "$1.tmp" "$1"
}

# The tls { } block of the embedded server's configuration, or nothing.
nats_tls_block() {
  local cert="${COFFER_NATS_SERVER_TLS_CERT:-${COFFER_NATS_TLS_CERT:-}}" key="${COFFER_NATS_SERVER_TLS_KEY:-${COFFER_NATS_TLS_KEY:-}}"
  local verify="${COFFER_NATS_SERVER_TLS_VERIFY:-false}" ca="${COFFER_NATS_TLS_CA:-}"
  [[ -z "$cert$key" ]] && return 0
  [[ -n "$cert" && -n "$key" ]] || die "the embedded NATS server needs both a TLS certificate and key (COFFER_NATS_SERVER_TLS_CERT/_KEY)"
  [[ -f "$cert" && -f "$key" ]] || die "NATS TLS certificate or key file not found ($cert, $key)"
  [[ "$verify" == true || "$verify" == false ]] || die "COFFER_NATS_SERVER_TLS_VERIFY must be true or false (got '$verify')"
  [[ "$verify" == false || -n "$ca" ]] || die "COFFER_NATS_SERVER_TLS_VERIFY=true needs COFFER_NATS_TLS_CA (the CA of the client certificates)"
  printf 'tls {\n  cert_file: "%s"\n  key_file: "%s"\n' "$(realpath "$cert")" "$(realpath "$key")"
  [[ -n "$ca" ]] && printf '  ca_file: "%s"\n' "$(realpath "$ca")"
  printf '  verify: %s\n  timeout: 5\n}\n' "$verify"
}


# One client user's block: requests on coffer.v1.>, replies only on its own inbox prefix.
nats_client_user_block() { # name password
  printf '    { user: "%s", password: "%s", permissions: { publish: { allow: ["coffer.v1.>"] }, subscribe: { allow: ["_INBOX_%s.>"] } } }\n' "$1" "$2" "$1"
}

# One rotation-hook responder: serves coffer.hooks.<vault>.>, answers the scheduler's hook sender only.
nats_hook_user_block() { # name password vault
  printf '    { user: "%s", password: "%s", permissions: { publish: { allow: ["_INBOX_coffer-scheduler-hooks.>"] }, subscribe: { allow: ["coffer.hooks.%s.>", "_INBOX_%s.>"] } } }\n' "$1" "$2" "$3" "$1"
}

# max_payload in bytes from COFFER_NATS_MAX_PAYLOAD (bytes, or NKB / NMB; default 2MB).
nats_max_payload() {
  local raw="${COFFER_NATS_MAX_PAYLOAD:-2MB}" n unit
  [[ "$raw" =~ ^([0-9]+)[[:space:]]*([KkMm][Bb])?$ ]] || die "COFFER_NATS_MAX_PAYLOAD must be bytes, or a number with KB or MB (got '$raw')"
  n="${BASH_REMATCH[1]}" unit="${BASH_REMATCH[2]^^}"
  case "$unit" in KB) n=$((n * 1024)) ;; MB) n=$((n * 1024 * 1024)) ;; esac
  ((n >= 65536 && n <= 67108864)) || die "COFFER_NATS_MAX_PAYLOAD must be 64KB to 64MB (got '$raw')"
  printf '%s' "$n"
}

# Renders infra/nats/coffer.conf.template into $2 (mode 0600) for port $1: passwords, client users
# from $NATS_CLIENTS_DIR/<name>.pass (their inboxes go into the vault responder's allow list), hook
# responders from $NATS_HOOKS_DIR/<name>.pass + <name>.vault, max_payload and the TLS block.
render_nats_conf() { # port conf
  local port="$1" conf="$2" tls_file users_file seds f name inboxes max_payload user
  max_payload="$(nats_max_payload)"
  tls_file="$(mktemp)" users_file="$(mktemp)"
  nats_tls_block >"$tls_file" || { rm -f "$tls_file" "$users_file"; exit 1; }
  inboxes='"_INBOX_coffer-client.>"'
  for f in "$NATS_CLIENTS_DIR"/*.pass; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pass)"
    nats_client_user_block "$name" "$(<"$f")" >>"$users_file"
    inboxes+=", \"_INBOX_$name.>\""
  done
  for f in "$NATS_HOOKS_DIR"/*.pass; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pass)"
    nats_hook_user_block "$name" "$(<"$f")" "$(<"$NATS_HOOKS_DIR/$name.vault")" >>"$users_file"
  done
  seds=(-e "s|@PORT@|$port|g" -e "s|@STORE_DIR@|$NATS_DIR|g" -e "s|@MAX_PAYLOAD@|$max_payload|g" -e "s|@CLIENT_INBOXES@|$inboxes|g")
  for user in "${NATS_APP_USERS[@]}" coffer-client; do
    seds+=(-e "s|@PASSWORD:$user@|$(<"$(nats_pass_file "$user")")|g")
  done
  (
    umask 077
    sed "${seds[@]}" infra/nats/coffer.conf.template |
      awk -v tls="$tls_file" -v users="$users_file" '
        $0 == "@TLS@" { while ((getline line < tls) > 0) print line; next }
        $0 == "@CLIENT_USERS@" { while ((getline line < users) > 0) print line; next }
        { print }' >"$conf.tmp"
  )
  rm -f "$tls_file" "$users_file"
  if grep -q '@PASSWORD:\|@CLIENT_INBOXES@\|@MAX_PAYLOAD@' "$conf.tmp"; then rm -f "$conf.tmp"; die "the NATS configuration has unrendered placeholders (a missing password file?)"; fi
  mv -f "$conf.tmp" "$conf"
}
