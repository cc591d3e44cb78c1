#!/usr/bin/env bash
# Sets up the office's shared dvc-desk database on the server (docs/office-database.md):
#   sudo scripts/office-db-setup.sh [--network 192.168.1.0/24] [--name dvcdesk]
# installs PostgreSQL from the distribution (Debian/Ubuntu), lets the office network
# reach it (password authentication, scram-sha-256), creates the login role and the
# database with the pg_trgm extension (search), and prints the URL the clerks paste into
# Cài đặt → "Cơ sở dữ liệu dùng chung" (or `dvc-desk settings set database_url URL`).
# The first dvc-desk that connects creates the tables (the same migrations as SQLite).
#
# --no-install --host H --port P --admin USER: use an existing server instead (an admin
# role that may create roles and databases); nothing is installed or reconfigured.
# Running it again keeps the database and sets a new password (printed again).
set -euo pipefail

name=dvcdesk
network=""
install=1
host=""
port=5432
admin=postgres
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --network) network="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    --host) host="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --admin) admin="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "office-db-setup: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$name" =~ ^[a-z][a-z0-9_]{0,30}$ ]]; then
  echo "office-db-setup: --name must be lower-case letters, digits and _ (got '$name')" >&2
  exit 2
fi

if [ "$install" = 1 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "office-db-setup: run it as root (sudo) to install PostgreSQL" >&2
    exit 1
  fi
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib
  fi
  version="$(pg_lsclusters -h | awk 'NR==1 {print $1}')"
  cluster="$(pg_lsclusters -h | awk 'NR==1 {print $2}')"
  port="$(pg_lsclusters -h | awk 'NR==1 {print $3}')"
  conf="/etc/postgresql/$version/$cluster"
  if [ -n "$network" ]; then
    # Listen on the office network, password (scram) logins from it only.
    sed -i "s/^#\?listen_addresses.*/listen_addresses = '*'/" "$conf/postgresql.conf"
    line="host $name $name $network scram-sha-256"
    grep -qxF "$line" "$conf/pg_hba.conf" || echo "$line" >> "$conf/pg_hba.conf"
  fi
  pg_ctlcluster "$version" "$cluster" restart || pg_ctlcluster "$version" "$cluster" start
  psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }
else
  psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "${host:-127.0.0.1}" -p "$port" -U "$admin" "$@"; }
fi

password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 24)"
psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$name') THEN
    CREATE ROLE $name LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END \$\$;
ALTER ROLE $name PASSWORD '$password';
SQL
if [ -z "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
  psql_admin -d postgres -c "CREATE DATABASE $name OWNER $name ENCODING 'UTF8' TEMPLATE template0"
fi
psql_admin -d "$name" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
psql_admin -d "$name" -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO $name"

server="${host:-$(hostname -I 2>/dev/null | awk '{print $1}')}"
server="${server:-127.0.0.1}"
echo "Địa chỉ cơ sở dữ liệu dùng chung (dán vào Cài đặt của mỗi máy) / the URL clerks paste:"
echo "postgresql://$name:$password@$server:$port/$name"
