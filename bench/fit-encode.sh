#!/usr/bin/env bash
# Fit-and-encode benchmark (issue 3): a 4000x3000 JPEG -> fit inside 2000x2000 -> centred on white 2000x2000 -> JPEG q90,
# one thread each, side by side in one BenchmarkDotNet run (ShortRun): CommerceOS (CanvasFit.Contain, in process),
# the vips command-line tools (vips thumbnail + vips gravity, VIPS_CONCURRENCY=1) and ImageMagick
# (/usr/bin/convert -limit thread 1 ... -resize -extent). Prints BenchmarkDotNet's table and one line with the ratios.
#   bench/fit-encode.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# /usr/local/bin/convert may be a stand-in script; the peer is the real ImageMagick at /usr/bin/convert.
if ! command -v vips >/dev/null 2>&1 || [ ! -x /usr/bin/convert ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libvips-tools imagemagick >/dev/null
  else
    echo "the peers are needed: apt-get install libvips-tools imagemagick" >&2
    exit 2
  fi
fi

artifacts=bench/BenchmarkDotNet.Artifacts
dotnet run -c Release --project bench/CommerceOS.Benchmarks -- --filter '*FitEncodeBenchmarks*' --artifacts "$artifacts"
echo
echo "machine: $(nproc) cores, $(vips --version), $(/usr/bin/convert -version | head -1 | cut -d' ' -f2-3), $(dotnet --version | sed 's/^/.NET SDK /')"
python3 - "$artifacts/results/CommerceOS.Benchmarks.FitEncodeBenchmarks-report.csv" <<'PY'
import csv, sys
units = {"ns": 1e-6, "us": 1e-3, "μs": 1e-3, "ms": 1.0, "s": 1000.0}
def ms(text):
    value, unit = text.replace(",", "").split()
    return float(value) * units[unit]
rows = {r["Method"]: ms(r["Mean"]) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
ours = next(v for k, v in rows.items() if "CommerceOS" in k)
vips = next(v for k, v in rows.items() if "vips" in k)
magick = next(v for k, v in rows.items() if "ImageMagick" in k)
ok = vips / ours >= 1.5 and magick / ours >= 4
print(f"fit-encode: CommerceOS {ours:.1f} ms, vips CLI {vips:.1f} ms ({vips / ours:.2f}x), ImageMagick {magick:.1f} ms ({magick / ours:.2f}x) per image, one thread; floors 1.5x and 4x: {'pass' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
PY
