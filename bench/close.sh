#!/usr/bin/env bash
# bench/close.sh [SUBJECTS [RECORDS_PER_SUBJECT]]: closes a month of a
# village scheme on a SQLite file holding SUBJECTS enrolled subjects
# (default 1,000,000) with RECORDS_PER_SUBJECT records each (default 10),
# and prints the generation time, the close's time and its throughput.
# It runs ledger's BenchmarkClose once; the data is written straight
# through the store (not the recording path) and the database is left in
# a temporary folder that the test removes. See docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
subjects=${1:-1000000}
per=${2:-10}
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "go test ./ledger -run XXX -bench BenchmarkClose -benchtime 1x (TALLY_BENCH_SUBJECTS=$subjects TALLY_BENCH_RECORDS=$per)"
TALLY_BENCH_SUBJECTS=$subjects TALLY_BENCH_RECORDS=$per /usr/bin/time -v \
  go test ./ledger -run XXX -bench BenchmarkClose -benchtime 1x -timeout 3h 2>&1 |
  grep -E 'BenchmarkClose|generated|Maximum resident|Elapsed' 
