# Shared by the benchmark scripts: a private MariaDB, a qatysu-server on a free port, curl helpers.
# Source it after setting `root` (the repository) and `bin` (the build's bin directory).

log() { echo "[bench] $*" >&2; }

# shellcheck source=../../deploy/lib/mariadb.sh
source "$root/deploy/lib/mariadb.sh"

server_pid=
bench_cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  mariadb_stop "$work/mariadb" || true
}

# bench_start_database DB_NAME: a fresh private MariaDB in $work (durable commits, see
# deploy/lib/mariadb.sh), migrated, with accounts bench.admin and bench.trainer. Sets db_port,
# QATYSU_DB_URL, admin_password, trainer_password.
bench_start_database() {
  local name=$1
  mariadb_stop "$work/mariadb" 2>/dev/null || true
  rm -rf "$work"
  mkdir -p "$work"
  db_port=$(free_port)
  log "starting mariadbd on 127.0.0.1:$db_port in $work/mariadb"
  mariadb_init "$work/mariadb"
  mariadb_start "$work/mariadb" "$db_port"
  export QATYSU_DB_URL="mariadb://root@127.0.0.1:$db_port/$name"
  "$bin/qatysu" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
  admin_password="bench-admin-password-$RANDOM$RANDOM"
  trainer_password="bench-trainer-password-$RANDOM$RANDOM"
  echo "$admin_password" | "$bin/qatysu" user add --role admin --login bench.admin >/dev/null
  echo "$trainer_password" | "$bin/qatysu" user add --role trainer --login bench.trainer >/dev/null
}

# bench_start_server [PROPERTY_LINE…]: starts qatysu-server on a free port with the given extra
# properties; sets server_pid and base (http://127.0.0.1:PORT).
bench_start_server() {
  {
    echo "http.address = 127.0.0.1"
    echo "http.port = 0"
    local line
    for line in "$@"; do echo "$line"; done
  } >"$work/server.properties"
  "$bin/qatysu-server" --config="$work/server.properties" >"$work/server.log" 2>&1 &
  server_pid=$!
  base=
  for _ in $(seq 1 300); do
    if line=$(grep -o 'listening on http://[^ ]*' "$work/server.log" 2>/dev/null); then
      base=${line#listening on }
      base=${base%/}
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $base ]] || { echo "qatysu-server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
  log "qatysu-server at $base"
}

# call METHOD PATH TOKEN [BODY]: prints the body, fails on a non-2xx status.
call() {
  local method=$1 path=$2 token=$3 body=${4:-}
  local args=(-sS -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}')
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  local out status
  out=$(curl "${args[@]}" "$base$path")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ $status != 2* ]]; then
    echo "$method $path -> $status: $out" >&2
    return 1
  fi
  printf '%s' "$out"
}

# login LOGIN PASSWORD: prints a bearer token.
login() {
  curl -sS -f -H 'Content-Type: application/json' \
    --data-binary "$(jq -nc --arg l "$1" --arg p "$2" '{login:$l,password:$p}')" \
    "$base/api/v1/auth/login" | jq -r .token
}

letters=(а ә б в г ғ д е ж з и к қ л м н ң о ө п р с т у ұ ү ф х һ ш і)
# spell N: a number in Kazakh letters (names take no digits).
spell() {
  local n=$1 text=
  while :; do text=${letters[n % ${#letters[@]}]}$text; n=$((n / ${#letters[@]})); ((n > 0)) || break; done
  printf '%s' "$text"
}

# machine_description: one paragraph on the machine, for reports.
machine_description() {
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
  echo "Machine: $(nproc) CPUs ($cpu), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
  echo "$(uname -sr); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)."
}
