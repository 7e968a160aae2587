#!/usr/bin/env bash
# Backup and restore timings (docs/operations.md, "Backups and restore"): `make backup`, `make restore-drill` and a
# restore over the database, on a copy of the 100,000-household city (reparto_load, left untouched) and on SQLite
# (the demo town, and a 10,000-household town). Prints one line per step: seconds and sizes.
#
#   scripts/drills/backups.sh            # needs reparto_load (make load seeds it) on DRILL_PG's server
set -euo pipefail
cd "$(dirname "$0")/../.."

SERVER="${DRILL_PG:-postgres://postgres@127.0.0.1:5432}"
COPY=reparto_drill_city
OUT=var/drills/backups
PY=.venv/bin/python
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
rm -rf "$OUT" && mkdir -p "$OUT"

timed() {  # timed LABEL COMMAND...: run it, print its wall-clock seconds, keep its output in $OUT/LABEL.log
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$OUT/$label.log" 2>&1
  end=$(date +%s.%N)
  printf '%-28s %6.1f s\n' "$label" "$(echo "$end - $start" | bc)"
}

size() { du -h "$1" | cut -f1; }

echo "== PostgreSQL: a copy of reparto_load"
psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $COPY WITH (FORCE)"
timed "copy (CREATE ... TEMPLATE)" psql "$SERVER/postgres" -qc "CREATE DATABASE $COPY TEMPLATE reparto_load"
export DATABASE_URL="$SERVER/$COPY"
echo "database size: $(psql "$DATABASE_URL" -Atc "SELECT pg_size_pretty(pg_database_size('$COPY'))")"
echo "households: $(psql "$DATABASE_URL" -Atc 'SELECT count(*) FROM requests_intake_household')"
timed "make backup" make --no-print-directory backup
dump=$(ls -t var/backups/reparto-*.dump | head -1)
echo "dump: $dump, $(size "$dump")"
timed "make restore-drill" make --no-print-directory restore-drill
grep -E "^backup|Drill passed|Las existencias|Stock" "$OUT/make restore-drill.log" || { cat "$OUT/make restore-drill.log"; exit 1; }
# The operator's restore: replace the database with the dump (pg_restore --clean), then check the ledger.
timed "restore over the database" $PY manage.py restore "$dump" --yes
timed "check_stock after restore" $PY manage.py check_stock
tail -1 "$OUT/check_stock after restore.log"
psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS ${COPY}_restore_drill WITH (FORCE)" -c "DROP DATABASE $COPY WITH (FORCE)"
rm -f "$dump"

for town in demo city10k; do
  echo "== SQLite: $town"
  export DATABASE_URL="sqlite:///$PWD/$OUT/$town.sqlite3"
  $PY manage.py migrate --verbosity 0
  if [ "$town" = demo ]; then
    $PY manage.py seed_demo > /dev/null && $PY manage.py plan_day > /dev/null
  else
    timed "seed_city 10,000 (SQLite)" $PY manage.py seed_city --households 10000
  fi
  echo "database file: $(size "$OUT/$town.sqlite3")"
  timed "backup ($town)" $PY manage.py backup --to "$OUT/sqlite-$town"
  copy=$(ls -t "$OUT/sqlite-$town"/reparto-*.sqlite3 | head -1)
  echo "backup file: $(size "$copy")"
  timed "restore-drill ($town)" $PY manage.py restore_drill
  grep -E "^backup|Drill passed" "$OUT/restore-drill ($town).log" || { cat "$OUT/restore-drill ($town).log"; exit 1; }
  timed "restore over ($town)" $PY manage.py restore "$copy" --yes
  timed "check_stock ($town)" $PY manage.py check_stock
  tail -1 "$OUT/check_stock ($town).log"
done
