#!/usr/bin/env bash
# Workflow figures (issue 6): the Quick Product Shoot template (white-background cut-out, a lifestyle scene after it, an
# optional size chart) over 1,000 products with the local engines, through `cos run --template quick-shoot --products all
# --wait` (floor: under 20 minutes on 2 cores), and the engine's scheduling overhead per step on a chain of 10 cheap steps
# run one product at a time (floor: median under 50 ms), both read from the job and workflow rows of the database.
#   bench/workflow-batch.sh                 # 1,000 products
#   COMMERCEOS_BENCH_PRODUCTS=50 bench/workflow-batch.sh
# Everything happens in a fresh data folder (printed; removed unless COMMERCEOS_BENCH_KEEP=1). Photos are drawn once with
# ImageMagick and kept in bench/BenchmarkDotNet.Artifacts/workflow-photos. Needs sqlite3, python3, convert (ImageMagick).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MAGICK_THREAD_LIMIT=1
products="${COMMERCEOS_BENCH_PRODUCTS:-1000}"
photos="${COMMERCEOS_BENCH_PHOTOS:-bench/BenchmarkDotNet.Artifacts/workflow-photos}"
chain_products="${COMMERCEOS_BENCH_CHAIN:-5}"
# The wait is bounded: past this many seconds (the floor's 20 minutes) the waiting command is interrupted and the figures
# are those of the products finished by then; the rows say how far the batch got.
limit="${COMMERCEOS_BENCH_LIMIT:-1200}"
helper="python3 bench/workflow-batch.py"
for tool in sqlite3 python3 convert curl bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done

dotnet build -c Release src/CommerceOS.Cli -v q -nologo >/dev/null
cos_dll="$PWD/src/CommerceOS.Cli/bin/Release/net10.0/cos.dll"
data="$(mktemp -d /tmp/cos-wfbench.XXXXXX)"
db="$data/commerceos.db"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "${COMMERCEOS_BENCH_KEEP:-0}" != 1 ]; then rm -rf "$data"; fi
}
trap cleanup EXIT
# Host settings for every command: this data folder, and informational logs off (they go to stderr and cost time).
host=(--CommerceOS:DataDirectory "$data" --Serilog:MinimumLevel:Default Warning)
cos() { dotnet "$cos_dll" "$@"; }
echo "data folder: $data"

email=bench@example.com
cos user create --email "$email" --password 'Quiet-Harbor-Lantern-47' "${host[@]}" >/dev/null
# Enterprise: no monthly image limit (Creator has 200 images; the batch uses 1,000 products x up to 3 images).
sqlite3 "$db" "UPDATE Subscriptions SET PlanCode = 'enterprise';"
echo "plan: $(sqlite3 "$db" 'SELECT PlanCode FROM Subscriptions;')"

$helper photos "$photos" "$products"
$helper csv "$products" "$data/products.csv"
start=$(date +%s.%N)
cos products import "$data/products.csv" --email "$email" --mode create "${host[@]}"
echo "import: $(echo "$(date +%s.%N) - $start" | bc) s"

# A running server for the uploads and the chain (the API path a client uses); upload limits raised for the bulk load.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
key=$(cos apikey create --email "$email" --name bench "${host[@]}")
# Started as dotnet itself (not through the cos function) so that $! is the server's process and kill stops it.
dotnet "$cos_dll" serve --urls "$base" "${host[@]}" --RateLimits:UploadsPerMinute 100000 --RateLimits:ApiPerSecond 1000 --RateLimits:ApiBurst 1000 \
  >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -fs "$base/health/live" >/dev/null && break; sleep 0.5; done
curl -fs "$base/health/live" >/dev/null || { echo "the server did not start" >&2; cat "$data/serve.log" >&2; exit 1; }
$helper upload "$base" "$key" "$db" "$photos"
$helper idle "$db"

echo "== scheduling overhead: 10-step chain, $chain_products products one at a time, a worker always free"
$helper chain "$base" "$key" "$db" "$chain_products"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

echo "== quick-shoot over $products products"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
set +e
/usr/bin/time -o "$data/run.time" -f '%U %S %M' timeout -k 60 -s INT "$limit" dotnet "$cos_dll" run --template quick-shoot --products all --wait --email "$email" "${host[@]}" 2>"$data/run.err" | tee "$data/run.out"
status=${PIPESTATUS[0]}
set -e
seconds=$(echo "$(date +%s.%N) - $start" | bc)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
tail -c 2000 "$data/run.err" | tr '\r' '\n' | grep -v '^\s*$' | tail -n 5 || true
batch=$(head -n 1 "$data/run.out")
printf 'cos run --wait: exit %s (124 = stopped at the %s s limit), %.1f s wall\n' "$status" "$limit" "$seconds"
read -r user_s sys_s rss_kb < <(tail -n 1 "$data/run.time")
printf 'cos run CPU: %.0f s user + %.0f s system = %.2f CPU-s per finished product, peak RSS %.0f MB\n' "$user_s" "$sys_s" \
  "$(echo "($user_s + $sys_s) / $(sqlite3 "$db" "SELECT COUNT(*) FROM WorkflowRuns WHERE Status IN (2, 3) AND BatchId = upper('$batch');")" | bc -l)" \
  "$(echo "$rss_kb / 1024" | bc -l)"
$helper report "$db" "$batch"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, .NET SDK $(dotnet --version)"
