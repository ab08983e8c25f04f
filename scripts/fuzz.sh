#!/usr/bin/env bash
# A short fuzz run of every fuzz target: the import file parsers and the
# check-index loader, each for FUZZTIME (default 10s). The seed corpora
# under */testdata/fuzz/ also run as plain tests in `go test ./...`.
# A failing input is written to the package's testdata/fuzz/FuzzX/ folder:
# commit it with the fix, so it stays a test.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
targets=(
  "./ledger FuzzRecordsFile"
  "./ledger FuzzSubjectsFile"
  "./ledger FuzzListEntriesFile"
  "./checkindex FuzzCheckIndexLoad"
)
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "fuzz $name ($pkg) for $fuzztime"
  go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "$pkg"
done
