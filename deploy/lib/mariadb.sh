# shellcheck shell=bash
# A private MariaDB server for the default run and for tests. Source this file, then:
#
#   mariadb_init DATADIR        create an empty data directory (only when DATADIR is empty)
#   mariadb_start DATADIR PORT  start mariadbd on 127.0.0.1:PORT, wait until it answers
#   mariadb_stop DATADIR        shut it down cleanly (kill -9 after 30 s)
#   free_port                   print a free TCP port on 127.0.0.1
#
# root connects without a password over TCP from 127.0.0.1 and over DATADIR/mysqld.sock:
#   mariadb -h127.0.0.1 -P PORT -uroot
# The server never reads /etc/mysql (--no-defaults): what it runs with is written here.
# Functions return non-zero on failure and print only when something went wrong.

MARIADB_SERVER_BIN=${MARIADB_SERVER_BIN:-/usr/sbin/mariadbd}

# Durable, utf8mb4 settings; shared by mariadb_start and the printed config.
_mariadb_server_args() {
  local datadir=$1 port=$2
  local args=(
    --no-defaults
    --datadir="$datadir"
    --port="$port"
    --bind-address=127.0.0.1
    --socket="$datadir/mysqld.sock"
    --pid-file="$datadir/mysqld.pid"
    --log-error="$datadir/error.log"
    --innodb-flush-log-at-trx-commit=1
    --character-set-server=utf8mb4
    --collation-server=utf8mb4_unicode_520_ci
    --skip-log-bin
    --innodb-buffer-pool-size=256M
    --max-connections=500
    --skip-name-resolve
    # A certificate's PDF travels in one packet (and a batch of them in one transaction): keep
    # the limit at least 16M even where a build's default is lower.
    --max-allowed-packet=64M
  )
  if [[ $(id -u) == 0 ]]; then
    args+=(--user=root)
  fi
  printf '%s\n' "${args[@]}"
}

_mariadb_log_tail() {
  local datadir=$1
  if [[ -f $datadir/error.log ]]; then
    echo "--- last lines of $datadir/error.log ---" >&2
    tail -n 30 "$datadir/error.log" >&2
  fi
}

# mariadb_init DATADIR: creates the system tables in DATADIR unless it already holds a database.
mariadb_init() {
  local datadir=${1:?mariadb_init DATADIR}
  mkdir -p "$datadir" || return 1
  datadir=$(cd "$datadir" && pwd) || return 1
  if [[ -n $(ls -A "$datadir" 2>/dev/null) ]]; then
    return 0
  fi
  local user_args=()
  if [[ $(id -u) == 0 ]]; then
    user_args=(--user=root)
  fi
  local log
  if ! log=$(mariadb-install-db --no-defaults --datadir="$datadir" \
      --auth-root-authentication-method=normal --skip-test-db "${user_args[@]}" 2>&1); then
    echo "mariadb_init: mariadb-install-db failed in $datadir" >&2
    echo "$log" >&2
    return 1
  fi
}

# mariadb_start DATADIR PORT: starts the server in the background and waits (60 s at most) until
# it answers; then makes sure root may connect over TCP from 127.0.0.1.
mariadb_start() {
  local datadir=${1:?mariadb_start DATADIR PORT} port=${2:?mariadb_start DATADIR PORT}
  datadir=$(cd "$datadir" && pwd) || return 1
  local socket=$datadir/mysqld.sock
  if (( ${#socket} > 100 )); then
    echo "mariadb_start: socket path too long (${#socket} > 100 bytes): $socket" >&2
    return 1
  fi
  if [[ -f $datadir/mysqld.pid ]] && kill -0 "$(cat "$datadir/mysqld.pid")" 2>/dev/null; then
    echo "mariadb_start: a server is already running on $datadir (pid $(cat "$datadir/mysqld.pid"))" >&2
    return 1
  fi
  local args
  mapfile -t args < <(_mariadb_server_args "$datadir" "$port")
  "$MARIADB_SERVER_BIN" "${args[@]}" </dev/null >/dev/null 2>&1 &
  local pid=$!
  local deadline=$((SECONDS + 60))
  while :; do
    if mariadb-admin --no-defaults --socket="$socket" -uroot --connect-timeout=2 ping \
        >/dev/null 2>&1; then
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "mariadb_start: mariadbd exited during start-up (datadir $datadir, port $port)" >&2
      _mariadb_log_tail "$datadir"
      return 1
    fi
    if (( SECONDS >= deadline )); then
      echo "mariadb_start: mariadbd did not answer within 60 s (datadir $datadir, port $port)" >&2
      _mariadb_log_tail "$datadir"
      kill -9 "$pid" 2>/dev/null
      return 1
    fi
    sleep 0.2
  done
  # With --skip-name-resolve a TCP client from 127.0.0.1 matches only accounts for '127.0.0.1'.
  local sql="CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
             GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
  if ! mariadb --no-defaults --socket="$socket" -uroot -e "$sql" >/dev/null 2>&1; then
    echo "mariadb_start: could not grant root@127.0.0.1 (datadir $datadir)" >&2
    _mariadb_log_tail "$datadir"
    return 1
  fi
}

# mariadb_stop DATADIR: clean shutdown over the socket; kill -9 when it takes more than 30 s.
mariadb_stop() {
  local datadir=${1:?mariadb_stop DATADIR}
  local pidfile=$datadir/mysqld.pid
  [[ -f $pidfile ]] || return 0
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 0
  [[ -n $pid ]] || return 0
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pidfile"
    return 0
  fi
  mariadb-admin --no-defaults --socket="$datadir/mysqld.sock" -uroot --connect-timeout=5 \
    shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "mariadb_stop: mariadbd (pid $pid) did not stop within 30 s; killing it" >&2
      kill -9 "$pid" 2>/dev/null
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
}

# free_port: a TCP port on 127.0.0.1 nobody listens on (random in 20000..60999).
free_port() {
  local attempt port
  for attempt in $(seq 1 200); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 41000))
    if command -v ss >/dev/null 2>&1; then
      if [[ -n $(ss -Htan "sport = :$port" 2>/dev/null) ]]; then
        continue
      fi
    fi
    # A successful connect means someone listens there.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue
    fi
    echo "$port"
    return 0
  done
  echo "free_port: no free port found" >&2
  return 1
}
