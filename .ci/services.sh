# Start the real services the tests need, on 127.0.0.1, and export where they listen.
# Sourced by .ci/run; also usable by hand: `source .ci/services.sh && start_postgres && start_s3`.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  local pgbin port
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=$(free_port)
  PGTMP=$(mktemp -d)
  chown postgres: "$PGTMP"
  # initdb refuses to run as root.
  runuser -u postgres -- "$pgbin/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PGTMP -c fsync=off -c max_connections=200" start >/dev/null
  runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres cms_test
  export CMS_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/cms_test"
  PG_STOP="runuser -u postgres -- $pgbin/pg_ctl -D $PGTMP/data -m fast stop"
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

install_chromium() {
  # The admin's browser tests drive Debian's Chromium through the playwright package (no browser download).
  if [ ! -x /usr/bin/chromium ]; then
    echo "installing Chromium from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  echo "Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
}

install_node() {
  # graphql-http's GraphQL-over-HTTP audit (tests/conformance) runs in Node; scripts/test installs its npm packages.
  if ! command -v npm >/dev/null; then
    echo "installing Node and npm from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  echo "Node $(node --version)"
}

start_s3() {
  local port
  port=$(free_port)
  .venv/bin/moto_server -H 127.0.0.1 -p "$port" >"${TMPDIR:-/tmp}/moto-$port.log" 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 50); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then
      export CMS_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
      echo "S3 (moto_server) on 127.0.0.1:$port"
      return 0
    fi
    sleep 0.2
  done
  echo "moto_server did not start" >&2
  return 1
}

stop_services() {
  [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null || true
  [ -n "${PG_STOP:-}" ] && $PG_STOP >/dev/null 2>&1 || true
}
