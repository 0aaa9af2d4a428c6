#!/usr/bin/env bash
# Image pipeline figures (issue 3): cut-out + Amazon main image for 100 photos of 4000x3000 with two
# workers (photos/s/core and peak RSS), and the local 4-image kit for one product. Each measurement runs
# in a fresh process, so the peak memory is that run's alone (photo generation happens before, apart).
#   bench/image-pipeline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
photos="${COMMERCEOS_BENCH_PHOTOS:-bench/BenchmarkDotNet.Artifacts/photos}"
dotnet build -c Release bench/CommerceOS.Benchmarks -v q -nologo >/dev/null
run() { dotnet bench/CommerceOS.Benchmarks/bin/Release/net10.0/CommerceOS.Benchmarks.dll "$@"; }
run prepare "$photos"
run pipeline "$photos"
run kit "$photos"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET SDK $(dotnet --version)"
