#!/usr/bin/env bash
# CSV import benchmark: CommerceOS's ImportProductsCsv (10,000 rows into a SQLite file built by the real
# migrations) against the sqlite3 shell's `.import` of the same file into a plain table, in one
# BenchmarkDotNet run (ShortRun). Prints BenchmarkDotNet's table and one line with the ratio.
#   bench/csv-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v sqlite3 >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sqlite3 >/dev/null
  else
    echo "sqlite3 is needed for the peer: apt-get install sqlite3" >&2
    exit 2
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet run -c Release --project bench/CommerceOS.Benchmarks -- --filter '*CsvImportBenchmarks*' --artifacts bench/BenchmarkDotNet.Artifacts | tee "$log"
echo
echo "machine: $(nproc) cores, $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'), $(dotnet --version | sed 's/^/.NET SDK /')"
grep '^csv-import:' "$log" || { echo "no ratio line: the benchmark failed" >&2; exit 1; }
