# The embedded nats-server's users and configuration (sourced by start.sh and nats-user.sh).
# Needs COFFER_HOME and die() from common.sh.
NATS_DIR="$COFFER_HOME/nats"
NATS_CLIENTS_DIR="$NATS_DIR/clients"

redact_url() { # a NATS URL without its password or token, for messages
  printf '%s' "$1" | sed -E 's#//([^:@/,]*):[^@/,]*@#//\1:***@#g; s#//[^:@/,]*@#//***@#g'
}
INTERNAL_PASS_FILE="$NATS_DIR/internal.pass"
CLIENT_PASS_FILE="$NATS_DIR/client.pass"

ensure_password() { # file: 48 hex characters, made once, readable by the owner only
  if [[ ! -s "$1" ]]; then
    command -v openssl >/dev/null || die "openssl is needed to make the NATS passwords"
    (umask 077 && openssl rand -hex 24 >"$1.tmp") && mv -f "$1.tmp" "$1"
  fi
  chmod 600 "$1"
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

# Renders infra/nats/coffer.conf.template into $2 (mode 0600) for port $1: passwords, extra client
# users from $NATS_CLIENTS_DIR/<name>.pass, and the TLS block.
render_nats_conf() { # port conf
  local port="$1" conf="$2" tls_file users_file f
  tls_file="$(mktemp)" users_file="$(mktemp)"
  nats_tls_block >"$tls_file" || { rm -f "$tls_file" "$users_file"; exit 1; }
  for f in "$NATS_CLIENTS_DIR"/*.pass; do
    [[ -e "$f" ]] || continue
    nats_client_user_block "$(basename "$f" .pass)" "$(<"$f")" >>"$users_file"
  done
  (
    umask 077
    sed -e "s|@PORT@|$port|g" -e "s|@STORE_DIR@|$NATS_DIR|g" \
      -e "s|@INTERNAL_PASSWORD@|$(<"$INTERNAL_PASS_FILE")|g" -e "s|@CLIENT_PASSWORD@|$(<"$CLIENT_PASS_FILE")|g" \
      infra/nats/coffer.conf.template |
      awk -v tls="$tls_file" -v users="$users_file" '
        $0 == "@TLS@" { while ((getline line < tls) > 0) print line; next }
        $0 == "@CLIENT_USERS@" { while ((getline line < users) > 0) print line; next }
        { print }' >"$conf.tmp"
  )
  rm -f "$tls_file" "$users_file"
  mv -f "$conf.tmp" "$conf"
}
