#!/usr/bin/env bash
# Listing copy figure (issue 4): the local copy engine + SEO + listing score for 1,000 products on 3 marketplaces
# (Amazon and Shopify in English, Taobao in Chinese) on every core; the floor is under 10 s on 2 cores.
#   bench/copy-seo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release bench/CommerceOS.Benchmarks -v q -nologo >/dev/null
for run in 1 2 3; do
  dotnet bench/CommerceOS.Benchmarks/bin/Release/net10.0/CommerceOS.Benchmarks.dll copy-seo
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET SDK $(dotnet --version)"
