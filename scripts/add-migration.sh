#!/usr/bin/env bash
# Adds a migration with the same name to both provider assemblies (style.md 6: every model change
# needs both). Usage: scripts/add-migration.sh AddSomething
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for p in Sqlite Postgres; do dotnet build "src/CommerceOS.Migrations.$p" -v q -nologo; done
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project "src/CommerceOS.Migrations.$provider" --startup-project "src/CommerceOS.Migrations.$provider" --output-dir Migrations
done
