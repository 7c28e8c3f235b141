#!/bin/sh
# What the postgres image does with POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, on Debian's 15.
set -eu
BIN=/usr/lib/postgresql/15/bin
DATA=/var/lib/postgresql/data
mkdir -p "$DATA" /var/run/postgresql
chown postgres "$DATA" /var/run/postgresql
if [ ! -s "$DATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pw && chown postgres /tmp/pw
  runuser -u postgres -- "$BIN/initdb" -D "$DATA" -E UTF8 --locale=C.UTF-8 -U "$POSTGRES_USER" \
    --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm /tmp/pw
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$DATA/pg_hba.conf"
  echo "CREATE DATABASE $POSTGRES_DB" | runuser -u postgres -- "$BIN/postgres" --single -D "$DATA" postgres >/dev/null
fi
exec runuser -u postgres -- "$BIN/postgres" -D "$DATA" -c listen_addresses='*'
