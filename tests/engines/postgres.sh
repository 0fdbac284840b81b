#!/usr/bin/env bash
# tests/engines/postgres.sh: a throwaway PostgreSQL cluster for the engine tests
# (tests/engines.rs), on a Unix socket only, in a folder of the caller's.
#
#   eval "$(tests/engines/postgres.sh start DIR)"   # initdb into DIR, start; prints the
#                                                   # PGHOST, PGPORT and PGUSER to export
#   tests/engines/postgres.sh stop DIR              # stop it (DIR is left for the caller)
#
# DIR must be new or empty. The server listens on no TCP port, only on the socket in DIR, so
# it never meets another server of the machine. It runs with fsync off: its data is thrown
# away. initdb refuses to run as root, so under root the cluster belongs to the `postgres`
# user (made by Debian's postgresql package) and DIR is handed to it.
# The database's collation is ICU's en-US, as on many servers, not the C locale: a query
# whose order of text depends on the collation shows it here.
# PGBIN names the server's programs' folder; by default the newest /usr/lib/postgresql/*/bin
# (Debian's place for initdb and pg_ctl, which are not on PATH).
set -euo pipefail

usage() {
    sed -n '4,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
[ $# -eq 2 ] || usage
ACTION=$1
DIR=$2

if [ -z "${PGBIN:-}" ]; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$PGBIN/pg_ctl" ]; then
    echo "postgres.sh: no PostgreSQL server programs (set PGBIN, or apt-get install postgresql)" >&2
    exit 2
fi

# as_owner CMD...: runs CMD as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$ACTION" in
    start)
        mkdir -p "$DIR"
        DIR=$(cd "$DIR" && pwd)
        if [ "$(id -u)" = 0 ]; then
            chown postgres "$DIR"
        fi
        as_owner "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US >"$DIR/initdb.log" 2>&1 ||
            { cat "$DIR/initdb.log" >&2; exit 2; }
        as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
            -o "-c listen_addresses='' -k $DIR -c fsync=off -c full_page_writes=off" \
            start >/dev/null ||
            { cat "$DIR/server.log" >&2; exit 2; }
        echo "export PGHOST=$DIR PGPORT=5432 PGUSER=postgres"
        ;;
    stop)
        if [ -f "$DIR/data/postmaster.pid" ]; then
            as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
        fi
        ;;
    *) usage ;;
esac
