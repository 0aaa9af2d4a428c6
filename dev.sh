#!/usr/bin/env bash
# The two README commands:
#   ./dev.sh start   install what is missing, migrate, and serve CommerceOS on http://localhost:5080
#   ./dev.sh test    install what is missing, build, and run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The image engine's font stacks fall back to Liberation and Noto CJK (Engines/Imaging/Graphics/FontStacks.cs).
apt_packages=(chromium fonts-noto-cjk fonts-liberation fonts-dejavu-core ffmpeg)

setup() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing=()
    for package in "${apt_packages[@]}"; do
      dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Installing ${missing[*]} ..."
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  fi
  dotnet tool restore >/dev/null
}

case "${1:-}" in
  setup)
    setup
    ;;
  start)
    setup
    dotnet run --project src/CommerceOS.Cli -c Release -- serve --urls http://localhost:5080
    ;;
  test)
    setup
    dotnet build CommerceOS.slnx -c Release -nologo -v q
    log=$(mktemp)
    status=0
    # One test module at a time: the browser tests start real server processes and Chromium, and on
    # two cores they starved when they shared the machine with the unit-test module (CI timeouts).
    dotnet test --solution CommerceOS.slnx -c Release --no-build --max-parallel-test-modules 1 2>&1 | tee "$log" || status=$?
    # One plain closing line for any reader of the log: "N passed, N failed, N skipped".
    awk '/succeeded:/{p=$2} /failed:/{f=$2} /skipped:/{s=$2} END{if (p!="") printf "%s passed, %s failed, %s skipped\n", p, f, s}' "$log"
    rm -f "$log"
    exit "$status"
    ;;
  *)
    echo "usage: ./dev.sh start|test" >&2
    exit 2
    ;;
esac
