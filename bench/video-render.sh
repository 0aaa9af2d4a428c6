#!/usr/bin/env bash
# Video engine figures (issue 5): a 15 s showcase at 1080x1080 and at 1080x1920 through LocalVideoRenderer and, side by
# side in the same run, the identical ffmpeg argument list by hand (printed once per format); realtime factors, our
# overhead, and the peak RSS of two concurrent 1080x1920 renders (this process + its ffmpeg children, sampled from /proc).
#   bench/video-render.sh            # figures
#   bench/video-render.sh samples    # every template in 9:16, English and Chinese, kept for a look
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work="${COMMERCEOS_BENCH_VIDEO:-bench/BenchmarkDotNet.Artifacts/video}"
dotnet build -c Release bench/CommerceOS.Benchmarks -v q -nologo >/dev/null
run() { dotnet bench/CommerceOS.Benchmarks/bin/Release/net10.0/CommerceOS.Benchmarks.dll "$@"; }
if [[ "${1:-}" == samples ]]; then
  run video-samples "$work/samples"
else
  run video-render "$work"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(ffmpeg -version | head -1 | cut -d' ' -f1-3), .NET SDK $(dotnet --version)"
