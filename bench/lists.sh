#!/usr/bin/env bash
# bench/lists.sh: the speed of the verifier check, measured on this machine
# beside PostgreSQL and Redis doing the same lookup.
#
#   bench/lists.sh [ENTRIES [DB_ENTRIES]]
#
# ENTRIES (default 15000000) sizes the in-process index benchmark and the
# PostgreSQL and Redis sets; DB_ENTRIES (default ENTRIES) sizes the SQLite
# database that `tally serve` loads its index from (generating it runs at
# about 25,000 entries a second). Installs wrk, hey, redis and PostgreSQL
# from Debian if missing. All traffic stays on 127.0.0.1. Prints a table.
set -euo pipefail
N=${1:-15000000}
DBN=${2:-$N}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/tally-bench.XXXXXX)
chmod 755 "$W"
PORT=${TALLY_BENCH_PORT:-18471} PGPORT=55490 REDISPORT=6390
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null || true
  redis-cli -p $REDISPORT shutdown nosave >/dev/null 2>&1 || true
  "$ROOT/scripts/postgres.sh" stop "$W/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk; need hey hey; need redis-server redis-server; need pgbench postgresql-client

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GB; $(go version)"
cd "$ROOT"
go build -o "$W/tally" ./cmd/tally
go build -o "$W/gen" ./bench/gen
go build -o "$W/batch" ./bench/batch

echo "== in-process index, $N entries, one core"
TALLY_BENCH_ENTRIES=$N go test -run XXX -bench . -benchtime 3s -cpu 1 ./checkindex | tee "$W/inproc.txt"
INPROC=$(awk '/^BenchmarkCheck /{for(i=1;i<=NF;i++) if($(i+1)=="checks/s") print $i}' "$W/inproc.txt")
INMANY=$(awk '/^BenchmarkCheckMany /{for(i=1;i<=NF;i++) if($(i+1)=="checks/s") print $i}' "$W/inproc.txt")
HEAP=$(grep -o 'heap [0-9]* MB' "$W/inproc.txt" | awk '{print $2}')

echo "== generating a SQLite ledger with $DBN listed persons"
"$W/gen" -db "$W/bench.db" -n "$DBN" -sample "$W/ids.txt" -sample-n 200000
DBKEY="$W/bench.db.key"
SECRET=$("$W/tally" tokens create --name bench --role verifier --db "$W/bench.db" --key-file "$DBKEY" --json | sed -n 's/.*"token": "\(.*\)".*/\1/p')

echo "== tally serve: index load"
START=$(date +%s.%N)
"$W/tally" serve --db "$W/bench.db" --key-file "$DBKEY" --addr 127.0.0.1:$PORT --rate 1000000000 --burst 1000000000 >"$W/serve.out" 2>"$W/serve.log" &
SERVE_PID=$!
until grep -q '"check index ready"' "$W/serve.log" 2>/dev/null; do sleep 0.2; kill -0 $SERVE_PID; done
LOAD=$(grep '"check index ready"' "$W/serve.log" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')
RSS=$(awk '/VmRSS/{print int($2/1024)}' /proc/$SERVE_PID/status)
echo "index of $DBN entries loaded in ${LOAD}s; process RSS ${RSS} MB"

# One check a request: 1% listed identifiers (denied, logged), the rest not listed.
python3 - "$W/ids.txt" "$W/check.lua" <<'PY'
import sys
ids=[l.strip().split(',') for l in open(sys.argv[1])][:10000]
def check(body17):
    w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
    return body17+"10X98765432"[sum(int(c)*k for c,k in zip(body17,w))%11]
bodies=[]
for i,(id_,name) in enumerate(ids[:2000]):
    if i%100: id_=check("371083"+id_[6:17])
    bodies.append('{"subject":"%s","name":"%s","measure":"air-travel"}'%(id_,name))
with open(sys.argv[2],'w') as f:
    f.write('local bodies = {\n'+',\n'.join("[[%s]]"%b for b in bodies)+'}\nlocal i = 0\n')
    f.write('request = function()\n  i = i + 1\n  return wrk.format("POST", "/api/v1/checks", nil, bodies[(i % #bodies) + 1])\nend\n')
PY
echo "== single check over HTTP: wrk at full speed"
wrk -t2 -c32 -d15s --latency -s "$W/check.lua" -H "Authorization: Bearer $SECRET" -H "Content-Type: application/json" \
  http://127.0.0.1:$PORT | tee "$W/wrk.txt"
WRK_RPS=$(awk '/Requests\/sec/{print int($2)}' "$W/wrk.txt")
WRK_P99=$(awk '$1=="99%"{print $2}' "$W/wrk.txt")
echo "== single check over HTTP: hey at 10,000 requests a second (50 workers x 200/s)"
sed -n 's/^\[\[\(.*\)\]\],\{0,1\}$/\1/p' "$W/check.lua" | sed -n 2p > "$W/one.json"
hey -z 15s -c 50 -q 200 -m POST -T application/json -H "Authorization: Bearer $SECRET" -D "$W/one.json" \
  http://127.0.0.1:$PORT/api/v1/checks | tee "$W/hey.txt"
HEY_RPS=$(awk '/Requests\/sec/{print int($2)}' "$W/hey.txt")
HEY_P99=$(awk '/99% in/{print $3*1000}' "$W/hey.txt")
echo "== batch check over HTTP (10,000 a request, 1% listed)"
"$W/batch" -url http://127.0.0.1:$PORT -token "$SECRET" -ids "$W/ids.txt" -c 4 -d 15s | tee "$W/batch.txt"
BATCH=$(awk -F'\t' '{print int($3)}' "$W/batch.txt")
kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true; SERVE_PID=

echo "== PostgreSQL 15: the same lookup in an indexed table of $N hashes"
PGURL=$("$ROOT/scripts/postgres.sh" start "$W/pg" $PGPORT)
psql -q "$PGURL" -c "CREATE TABLE listed (h bytea PRIMARY KEY)" \
  -c "INSERT INTO listed SELECT sha256(int8send(g)) FROM generate_series(1, $N) g" -c "VACUUM ANALYZE listed"
printf '\\set k random(1, %d)\nSELECT 1 FROM listed WHERE h = sha256(int8send(:k::bigint));\n' $((2*N)) > "$W/pg.sql"
pgbench -n -M prepared -c 16 -j 2 -T 15 -f "$W/pg.sql" "$PGURL" | tee "$W/pgbench.txt"
PG_TPS=$(awk '/^tps/{print int($3)}' "$W/pgbench.txt")
PG_LAT=$(awk '/latency average/{print $4}' "$W/pgbench.txt")

echo "== Redis: SISMEMBER in a set of $N members"
redis-server --port $REDISPORT --save '' --appendonly no --daemonize yes --logfile "$W/redis.log"
until redis-cli -p $REDISPORT ping >/dev/null 2>&1; do sleep 0.1; done
seq 1 "$N" | awk '{printf "*3\r\n$4\r\nSADD\r\n$6\r\nlisted\r\n$%d\r\n%s\r\n", length($1), $1}' | redis-cli -p $REDISPORT --pipe >/dev/null
REDIS_MEM=$(redis-cli -p $REDISPORT info memory | awk -F: '/^used_memory:/{print int($2/1048576)}')
redis-benchmark -p $REDISPORT -n 2000000 -r $((2*N)) -c 50 -q SISMEMBER listed __rand_int__ | tee "$W/redis1.txt"
redis-benchmark -p $REDISPORT -n 5000000 -r $((2*N)) -c 50 -P 64 -q SISMEMBER listed __rand_int__ | tee "$W/redis64.txt"
R1=$(tr '\r' '\n' < "$W/redis1.txt" | awk '/requests per second/{for(i=1;i<=NF;i++) if($(i+1)=="requests") print int($i)}' | tail -1)
R64=$(tr '\r' '\n' < "$W/redis64.txt" | awk '/requests per second/{for(i=1;i<=NF;i++) if($(i+1)=="requests") print int($i)}' | tail -1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "-" }'; }
cat <<TABLE

| measure | result | goal |
| --- | --- | --- |
| in-process check, one core, $N entries | $(printf "%'d" "${INPROC%.*}")/s | >= 5,000,000/s |
| in-process batch lookup, one core | $(printf "%'d" "${INMANY%.*}")/s | |
| index memory (heap, $N entries) | ${HEAP} MB | < 1,536 MB |
| index load from SQLite, $DBN entries | ${LOAD} s (process RSS ${RSS} MB) | < 30 s |
| batch check over HTTP (10,000 a request, 1% listed) | $(printf "%'d" "$BATCH") identifiers/s | >= 1,000,000/s |
| single check over HTTP, hey at 10,000/s | $HEY_RPS req/s, p99 ${HEY_P99} ms | p99 < 2 ms |
| single check over HTTP, wrk flat out | $WRK_RPS req/s, p99 $WRK_P99 | |
| PostgreSQL indexed lookup (pgbench, 16 clients) | $PG_TPS/s, mean latency ${PG_LAT} ms | |
| Redis SISMEMBER (50 clients) | $R1/s | |
| Redis SISMEMBER (50 clients, pipeline 64) | $R64/s; set memory ${REDIS_MEM} MB | |

ratios: in-process vs PostgreSQL $(ratio "${INPROC%.*}" "$PG_TPS"), vs Redis $(ratio "${INPROC%.*}" "$R1") (pipelined $(ratio "${INPROC%.*}" "$R64"));
HTTP batch vs PostgreSQL $(ratio "$BATCH" "$PG_TPS"), vs Redis pipelined $(ratio "$BATCH" "$R64"); HTTP single (wrk) vs PostgreSQL $(ratio "$WRK_RPS" "$PG_TPS"), vs Redis $(ratio "$WRK_RPS" "$R1")
TABLE
