#!/usr/bin/env bash
# bench/exchange.sh: the exchange between a court and an airline's
# verifier, in one process on loopback (bench/exchangebench): how fast a
# bulk load travels from the court's ledger through NATS JetStream into
# the airline's ledger and check index, and how long a removal and a new
# listing take from the court's use case to the airline's answer.
#
#   bench/exchange.sh [ENTRIES [REMOVALS [more exchangebench flags]]]
#
# ENTRIES (default 1000000) are loaded first; REMOVALS (default 500)
# removals and as many new listings are then timed one at a time. Extra
# flags go to exchangebench (e.g. -staged to run import, publish and
# apply one after another). Progress goes to the terminal; the results
# (machine, rates, percentiles, a Markdown row) to stdout and to
# bench/out/exchange.txt.
set -euo pipefail
N=${1:-1000000}
K=${2:-500}
shift $(( $# < 2 ? $# : 2 ))
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/bench/out"; mkdir -p "$OUT"
BIN=$(mktemp -d /tmp/tally-exchangebench-bin.XXXXXX)
trap 'rm -rf "$BIN"' EXIT
cd "$ROOT"
go build -o "$BIN/exchangebench" ./bench/exchangebench
"$BIN/exchangebench" -entries "$N" -removals "$K" "$@" | tee "$OUT/exchange.txt"
