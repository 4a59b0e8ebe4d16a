# Shared by `make run`, `make test` and `make bench`: the pieces of the stack, each started on its
# own and stopped by `stack_stop`. Source it; every function reads the variables set by stack_init.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

# Release builds link the Swift runtime and Foundation statically: each responder then keeps ~6 MB
# fewer resident pages of shared libraries (measured 31.5 → 25.3 MB RSS with 4 workers).
RELEASE_FLAGS=(-c release --static-swift-stdlib)

# release_build [swift build options…]: builds the release binary quietly, failing loudly.
release_build() {
  swift build "${RELEASE_FLAGS[@]}" "$@" 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]|mktemp. is dangerous' || true
  swift build "${RELEASE_FLAGS[@]}" "$@" >/dev/null
}

# release_binary [swift build options…]: where release_build put studio-booking.
release_binary() { echo "$(swift build "${RELEASE_FLAGS[@]}" "$@" --show-bin-path)/studio-booking"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The user who owns the local cluster: initdb refuses root, so root hands it to `postgres`.
cluster_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }
as_cluster_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# stack_init DIR: where this stack keeps its cluster, sockets, logs and nginx configuration.
stack_init() {
  RUN_DIR=$1
  mkdir -p "$RUN_DIR"
  RUN_DIR=$(cd "$RUN_DIR" && pwd)
  PG_DIR=$RUN_DIR/pg
  PG_PORT=${PG_PORT:-5432}
  PIDS=()
}

# Starts the cluster under RUN_DIR/pg (made on first use) and exports DATABASE_URL for role studio.
# The cluster listens on a unix socket only, in a directory only its owner may enter.
# PG_FSYNC (on) and PG_SERVER_OPTIONS (more `-c name=value` settings) are for tests and the bench.
postgres_start() {
  local owner; owner=$(cluster_user)
  mkdir -p "$PG_DIR/socket"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    as_root chown -R "$owner" "$PG_DIR"
    as_cluster_user "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  fi
  as_root chown "$owner" "$PG_DIR/socket" && as_root chmod 0700 "$PG_DIR/socket"
  as_cluster_user "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR/socket' -p $PG_PORT -c max_connections=300 -c fsync=${PG_FSYNC:-on} ${PG_SERVER_OPTIONS:-}" >/dev/null
  local psql=(psql -v ON_ERROR_STOP=1 -qtA -h "$PG_DIR/socket" -p "$PG_PORT" -U postgres -d postgres)
  # The app's role owns its database but is no superuser (docs/behaviour.md: The database).
  "${psql[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'studio') THEN CREATE ROLE studio LOGIN ${PG_ROLE_EXTRA:-}; END IF; END \$\$"
  [ -n "${PG_ROLE_EXTRA:-}" ] && "${psql[@]}" -c "ALTER ROLE studio ${PG_ROLE_EXTRA}"
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'studio_booking'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE studio_booking OWNER studio"
  fi
  echo "$PG_PORT" >"$PG_DIR/port"
  export DATABASE_URL="host=$PG_DIR/socket port=$PG_PORT user=studio dbname=studio_booking"
  export PG_ADMIN_URL="host=$PG_DIR/socket port=$PG_PORT user=postgres dbname=postgres"
}

postgres_stop() {
  [ -f "$PG_DIR/data/postmaster.pid" ] && as_cluster_user "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
}

# responders_start BINARY COUNT [WORKERS]: COUNT responder processes, each on its own unix socket
# and each under its own supervisor (.ci/supervise), which starts it again when it dies.
responders_start() {
  local binary=$1 count=$2 workers=${3:-16}
  mkdir -p "$RUN_DIR/fcgi"
  chmod 0755 "$RUN_DIR/fcgi"
  echo "$binary $workers" >"$RUN_DIR/responder.cmd"
  UPSTREAM_SERVERS=""
  for i in $(seq 1 "$count"); do
    responder_start "$i"
    # max_fails=0: a stopped responder's socket refuses at once and nginx moves on to the next;
    # marking it failed for fail_timeout would only keep a restarted one idle.
    UPSTREAM_SERVERS+="    server unix:$RUN_DIR/fcgi/responder-$i.sock max_fails=0;"$'\n'
  done
  export UPSTREAM_SERVERS
}

# responder_start I: responder number I under its supervisor, once it listens. The supervisor runs
# in this shell's process group (make run's, for Ctrl-C); its pid is in supervisor-I.pid, the
# responder's in responder-I.pid, each exit status in responder-I.exit. A responder that exits
# before it ever listened (a database it cannot reach, say) fails the start, with its output.
responder_start() {
  local i=$1
  rm -f "$RUN_DIR/fcgi/responder-$i.sock" "$RUN_DIR/responder-$i.exit"
  # SIGINT back to its default, so that the supervisor can trap it (.ci/supervise says why).
  env --default-signal=INT "$ROOT/.ci/supervise" "$RUN_DIR" "$i" &
  PIDS+=($!)
  if ! wait_for_socket "$i" first; then
    supervisor_stop "$i"
    return 1
  fi
}

# wait_for_socket I [first]: waits up to 15 s (the supervisor's longest pause, then a start) for
# responder I's socket. With `first`, a responder that exits meanwhile is a failure at once.
wait_for_socket() {
  local sock=$RUN_DIR/fcgi/responder-$1.sock
  for _ in $(seq 1 150); do
    [ -S "$sock" ] && return 0
    if [ "${2:-}" = first ] && [ -f "$RUN_DIR/responder-$1.exit" ]; then break; fi
    sleep 0.1
  done
  echo "responder $1 did not start:" >&2; tail -n 20 "$RUN_DIR/responder-$1.out" >&2; return 1
}

# nginx_start PORT: nginx on 127.0.0.1:PORT in front of the responders, from nginx/nginx.conf.template.
nginx_start() {
  export PORT=$1 RUN_DIR ROOT
  # Bookings per client address (nginx limit_req): `make run` and `make test` set 10r/m, as the
  # operator's site configuration has it. Left unset, the rate is high, but the burst of 5 still
  # counts per millisecond: a load from one address widens it too (bench/run does).
  export BOOKING_RATE_LIMIT=${BOOKING_RATE_LIMIT:-1000000r/s}
  # Requests in progress per client address (nginx limit_conn): 32 under `make run` and `make test`;
  # left unset, nginx's highest (65535), so that a load from one address (bench/run) is never refused.
  export BOOKING_CONN_LIMIT=${BOOKING_CONN_LIMIT:-65535}
  mkdir -p "$RUN_DIR/nginx/logs"
  cp /etc/nginx/fastcgi_params /etc/nginx/mime.types "$RUN_DIR/nginx/"
  cp "$ROOT/nginx/studio-booking-locations.conf" "$ROOT/nginx/studio-booking-http.conf" "$RUN_DIR/nginx/"
  envsubst '${PORT} ${RUN_DIR} ${ROOT} ${UPSTREAM_SERVERS} ${BOOKING_RATE_LIMIT} ${BOOKING_CONN_LIMIT}' <"$ROOT/nginx/nginx.conf.template" >"$RUN_DIR/nginx/nginx.conf"
  nginx -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -t -q
  nginx -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf"
  for _ in $(seq 1 50); do [ -f "$RUN_DIR/nginx/nginx.pid" ] && return 0; sleep 0.1; done
  echo "nginx did not start" >&2; return 1
}

nginx_stop() {
  [ -f "$RUN_DIR/nginx/nginx.pid" ] && nginx -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -s quit 2>/dev/null || true
  for _ in $(seq 1 50); do [ -f "$RUN_DIR/nginx/nginx.pid" ] || break; sleep 0.1; done
}

# responders_stop: stops every supervisor, each after its responder drained; then any responder
# left without one (from a run of an earlier version).
responders_stop() {
  local pidfile
  for pidfile in "$RUN_DIR"/supervisor-*.pid; do
    [ -f "$pidfile" ] || continue
    supervisor_stop "$(basename "$pidfile" .pid | cut -d- -f2)"
  done
  for pidfile in "$RUN_DIR"/responder-*.pid; do
    [ -f "$pidfile" ] || continue
    responder_signal "$(basename "$pidfile" .pid | cut -d- -f2)" TERM
    rm -f "$pidfile"
  done
}

# supervisor_stop I: ends responder I's supervision; it waits for the responder's drain (up to 20 s:
# 10 s for queued connections, then 10 s for kept ones), and so does this.
supervisor_stop() {
  local pidfile=$RUN_DIR/supervisor-$1.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 500); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  rm -f "$pidfile"
}

# responder_signal I SIGNAL: signals responder I (not its supervisor) and waits until it has exited.
responder_signal() {
  local pidfile=$RUN_DIR/responder-$1.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  kill -"$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
}

stack_stop() {
  nginx_stop
  responders_stop
  [ -n "${KEEP_POSTGRES:-}" ] || postgres_stop
}

# stack_reset DIR: stops whatever an earlier run left running in DIR, then removes DIR. A cluster
# left running over a removed folder would delete its successor's socket when it shuts down.
stack_reset() {
  if [ -d "$1" ]; then
    ( stack_init "$1"; PG_PORT=$(cat "$PG_DIR/port" 2>/dev/null || echo 5432); stack_stop ) || true
  fi
  rm -rf "$1"
}

# A free TCP port on loopback, for throw-away stacks.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
