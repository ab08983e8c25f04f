#!/usr/bin/env bash
# bench/run.sh: tally at city scale, side by side with what a user would
# pick instead, on this machine, in one run.
#
#   bench/run.sh [quick|full|PERSONS RECORDS]
#
# quick (the default; about ten minutes) runs everything at 1,000, 4,000
# and 10,000 persons with ten records each (10 K to 100 K records) to show
# how cost grows; full does the same at 10,000, 100,000 and 1,000,000
# persons (100 K to 10 M records; hours on 2 cores: see
# docs/BENCHMARKS.md). For each size it measures tally on SQLite and on
# PostgreSQL (import records/s, score latency in process and over HTTP
# under wrk, month close, peak memory) and, on the same data, the bare
# databases: the same rows inserted into tally's records table alone in
# SQLite (prepared multi-row INSERTs, 5,000 a transaction), a close as a
# GROUP BY over tally's records in SQLite, and a bare PostgreSQL table:
# COPY of the same rows, a score as an indexed SUM (pgbench), a close as a
# GROUP BY. The blacklist (verifier check, Redis
# SISMEMBER, pgbench lookup) is bench/lists.sh, run at the end with
# 15,000,000 entries in full and 1,500,000 in quick. Installs wrk, redis,
# pgbench and GNU time from Debian if missing; all traffic stays on
# 127.0.0.1. Writes a Markdown table to stdout and bench/out/ (ignored).
# TALLY_BENCH_LISTS=0 leaves out the blacklist part.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-quick}
case "$MODE" in
  quick) SIZES="1000:10000 4000:40000 10000:100000"; LISTS=1500000; LISTDB=100000 ;;
  full) SIZES="10000:100000 100000:1000000 1000000:10000000"; LISTS=15000000; LISTDB=2000000 ;;
  *) SIZES="$1:$2"; LISTS=${3:-1500000}; LISTDB=${4:-100000} ;;
esac
W=$(mktemp -d /tmp/tally-run.XXXXXX); chmod 755 "$W"
OUT="$ROOT/bench/out"; mkdir -p "$OUT"
PORT=${TALLY_BENCH_PORT:-18472} PGPORT=${TALLY_BENCH_PGPORT:-55491}
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null || true
  "$ROOT/scripts/postgres.sh" stop "$W/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk; need pgbench postgresql-client; need psql postgresql-client
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GB RAM; $(go version | cut -d' ' -f3); PostgreSQL $(psql --version | awk '{print $3}')"
echo "machine: $MACHINE"
cd "$ROOT"
go build -o "$W/tally" ./cmd/tally
go build -o "$W/lb" ./bench/ledgerbench
T="$W/tally"
PGURL=$("$ROOT/scripts/postgres.sh" start "$W/pg" $PGPORT)
END=$(date -d "$(date +%Y-%m-01)" +%Y-%m-%d)        # records end at the start of this month
PERIOD=$(date -d "$END -1 day" +%Y-%m)                # the last whole month, to close

# secs runs a command and prints its wall time in seconds; its peak RSS
# (MB) goes to $W/rss.
secs() {
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$W/rss.kb" "$@" >"$W/last.out" 2>"$W/last.err" || { cat "$W/last.out" "$W/last.err"; return 1; }
  t1=$(date +%s.%N)
  awk '{print int($1/1024)}' "$W/rss.kb" >"$W/rss"
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}'
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN{ if (s>0) printf "%d", n/s; else print 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "-" }'; }

echo "size,persons,records,sqlite_import_s,sqlite_rss_mb,pg_import_s,copy_s,score_p50_ms,score_p99_ms,pg_score_p50_ms,pg_score_p99_ms,http_rps,http_p99,pg_sum_tps,pg_sum_ms,close_s,groupby_s,sqlite_bare_s,sqlite_groupby_s,close_rss_mb" >"$OUT/scaling.csv"
TABLE=""
for size in $SIZES; do
  P=${size%%:*} R=${size##*:}
  D="$W/data-$P"; DB="$W/tally-$P.db"
  echo "== $P persons, $R records: generate"
  "$T" gen --out "$D" --persons "$P" --shops $((P / 50 + 1)) --records "$R" --list-entries 0 --end "$END" >/dev/null
  echo "== tally on SQLite: import"
  "$T" init --db "$DB" >/dev/null 2>&1
  "$T" rules publish examples/city.yaml --db "$DB" >/dev/null 2>&1
  "$T" rules publish examples/market.yaml --db "$DB" >/dev/null 2>&1
  "$T" subjects import "$D/people.csv" --db "$DB" >/dev/null
  S_IMPORT=$(secs "$T" import "$D/records.csv" --db "$DB"); S_RSS=$(cat "$W/rss")
  echo "   $R records in ${S_IMPORT}s ($(rate "$R" "$S_IMPORT")/s), peak RSS ${S_RSS} MB"
  echo "== bare SQLite: the same rows into tally's records table alone"
  "$W/lb" bare -like "$DB" -db "$W/bare-$P.db" -people "$D/people.csv" -file "$D/records.csv" -batch 5000 | tee "$W/bare.txt"
  S_BARE=$(awk '{print $4}' "$W/bare.txt")
  echo "== tally on SQLite: score in process"
  "$W/lb" score -db "$DB" -key "$DB.key" -people "$D/people.csv" -n 20000 | tee "$W/score.txt"
  P50=$(awk '{print $4}' "$W/score.txt"); P99=$(awk '{print $6}' "$W/score.txt")
  echo "== tally on SQLite: score over HTTP under wrk (2 threads, 16 connections)"
  TOKEN=$("$T" tokens create --name bench --role reviewer --db "$DB" --json | sed -n 's/.*"token": "\(.*\)".*/\1/p')
  "$W/lb" wrk -people "$D/people.csv" -n 5000 >"$W/score.lua"
  "$T" serve --db "$DB" --addr 127.0.0.1:$PORT --rate 1000000000 --burst 1000000000 >"$W/serve.out" 2>"$W/serve.log" &
  SERVE_PID=$!
  until curl -sf http://127.0.0.1:$PORT/readyz >/dev/null; do sleep 0.2; kill -0 $SERVE_PID; done
  wrk -t2 -c16 -d15s --latency -s "$W/score.lua" -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$PORT | tee "$W/wrk.txt"
  H_RPS=$(awk '/Requests\/sec/{print int($2)}' "$W/wrk.txt"); H_P99=$(awk '$1=="99%"{print $2}' "$W/wrk.txt")
  kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true; SERVE_PID=
  echo "== tally close, $PERIOD, and a bare GROUP BY over the same records"
  CLOSE_S=$(secs "$T" close --scheme rongcheng-city --period "$PERIOD" --db "$DB"); CLOSE_RSS=$(cat "$W/rss")
  S_GROUP=$("$W/lb" groupby -db "$DB" | awk '{print $4}')
  echo "   close ${CLOSE_S}s (peak RSS ${CLOSE_RSS} MB), GROUP BY ${S_GROUP}s"
  echo "== tally on PostgreSQL: import"
  psql -q "$PGURL" -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" >/dev/null
  export TALLY_KEY_FILE="$W/pg-$P.key"
  "$T" init --db "$PGURL" >/dev/null 2>&1
  "$T" rules publish examples/city.yaml --db "$PGURL" >/dev/null 2>&1
  "$T" rules publish examples/market.yaml --db "$PGURL" >/dev/null 2>&1
  "$T" subjects import "$D/people.csv" --db "$PGURL" >/dev/null
  PG_IMPORT=$(secs "$T" import "$D/records.csv" --db "$PGURL")
  unset TALLY_KEY_FILE
  echo "   $R records in ${PG_IMPORT}s ($(rate "$R" "$PG_IMPORT")/s)"
  "$W/lb" score -db "$PGURL" -key "$W/pg-$P.key" -people "$D/people.csv" -n 5000 | tee "$W/pgscore.txt"
  PG_P50=$(awk '{print $4}' "$W/pgscore.txt"); PG_P99=$(awk '{print $6}' "$W/pgscore.txt")
  echo "== bare PostgreSQL: COPY of the same rows, SUM, GROUP BY"
  psql -q "$PGURL" -c "CREATE TABLE bare_raw (scheme text, subject text, rule text, at timestamptz, ref text, facts text, evidence text)"
  COPY_S=$(secs psql -q "$PGURL" -c "\\copy bare_raw FROM '$D/records.csv' CSV HEADER")
  "$W/lb" export -db "$DB" >"$W/points.csv"
  NSUBJ=$(psql -qtA "$PGURL" -c "SELECT count(*) FROM subjects")
  psql -q "$PGURL" -c "CREATE TABLE bare (subject bigint, points int, happened bigint, expires bigint)" \
    -c "\\copy bare FROM '$W/points.csv' CSV" -c "CREATE INDEX ON bare (subject, happened) INCLUDE (points, expires)" -c "VACUUM ANALYZE bare"
  NOW=$(($(date +%s) * 1000000))
  printf '\\set s random(1, %d)\nSELECT coalesce(sum(points), 0) FROM bare WHERE subject = :s AND happened <= %d AND expires > %d;\n' "$NSUBJ" "$NOW" "$NOW" >"$W/sum.sql"
  pgbench -n -M prepared -c 16 -j 2 -T 15 -f "$W/sum.sql" "$PGURL" | tee "$W/pgbench.txt"
  SUM_TPS=$(awk '/^tps/{print int($3)}' "$W/pgbench.txt"); SUM_MS=$(awk '/latency average/{print $4}' "$W/pgbench.txt")
  PEND=$(($(date -d "$END" +%s) * 1000000))
  GROUP_S=$(secs psql -qtA "$PGURL" -c "CREATE TABLE bare_close AS SELECT subject, sum(points) AS score FROM bare WHERE happened < $PEND AND expires > $PEND GROUP BY subject")
  echo "$P,$P,$R,$S_IMPORT,$S_RSS,$PG_IMPORT,$COPY_S,$P50,$P99,$PG_P50,$PG_P99,$H_RPS,$H_P99,$SUM_TPS,$SUM_MS,$CLOSE_S,$GROUP_S,$S_BARE,$S_GROUP,$CLOSE_RSS" >>"$OUT/scaling.csv"
  TABLE+="| $P persons, $R records | $(rate "$R" "$S_IMPORT")/s (RSS ${S_RSS} MB) | $(rate "$R" "$S_BARE")/s | $(ratio "$S_IMPORT" "$S_BARE") | $(rate "$R" "$PG_IMPORT")/s | $(rate "$R" "$COPY_S")/s | $(ratio "$PG_IMPORT" "$COPY_S") | ${P50} / ${P99} ms (PostgreSQL ${PG_P50} / ${PG_P99}) | $H_RPS/s, p99 $H_P99 | $SUM_TPS/s, ${SUM_MS} ms | ${CLOSE_S} s (RSS ${CLOSE_RSS} MB) | ${S_GROUP} s | $(ratio "$CLOSE_S" "$S_GROUP") |"$'\n'
done
echo
echo "machine: $MACHINE; run: bench/run.sh $*; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| dataset | tally import, SQLite | bare insert, SQLite | import ÷ bare (time) | tally import, PostgreSQL | bare COPY | import ÷ COPY (time) | tally score in process p50 / p99, SQLite | tally score over HTTP (wrk) | bare SUM (pgbench, 16 clients) | tally close, SQLite | bare GROUP BY, SQLite | close ÷ GROUP BY |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf "%s" "$TABLE" | tee "$OUT/table.md"
"$W/lb" plot -out "$OUT/scaling" <"$OUT/scaling.csv" && echo "plots: $OUT/scaling-{import,pgimport,close,score}.svg"
[ "${TALLY_BENCH_LISTS:-1}" = 0 ] && exit 0 # the scaling runs alone
echo
echo "== the blacklist: bench/lists.sh $LISTS $LISTDB"
TALLY_BENCH_PORT=$((PORT + 1)) "$ROOT/bench/lists.sh" "$LISTS" "$LISTDB" | tail -n 20
