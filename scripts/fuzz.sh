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
  "./parse FuzzRecordsFile"
  "./parse FuzzSubjectsFile"
  "./parse FuzzListEntriesFile"
  "./parse FuzzRecordsWorkbook"
  "./checkindex FuzzCheckIndexLoad"
)
# A run that fails without writing a failing input (the fuzzing engine's
# own deadline on a loaded machine) is tried once more; a failing input
# always fails the run.
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  for try in 1 2; do
    echo "fuzz $name ($pkg) for $fuzztime"
    if out=$(go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "$pkg" 2>&1); then
      echo "$out" | tail -n 1
      break
    fi
    echo "$out"
    if [ "$try" = 2 ] || grep -q "Failing input written to" <<<"$out"; then
      exit 1
    fi
    echo "fuzz $name stopped without a failing input; trying once more"
  done
done
