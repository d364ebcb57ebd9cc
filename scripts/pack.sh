#!/usr/bin/env bash
# Builds and packs the kit into the local feed artifacts/feed (what notebooks load with #i/#r), then makes sure
# the next kernel loads THIS build: NuGet and .NET Interactive cache a package by id+version and ignore a
# re-pack of the same version, so their copies of the kit's packages are removed.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

step "dotnet pack -> $FEED (Talk.Kit* $KIT_VERSION)"
# A stamp per pack, shown by #!kit, proves which build a kernel loaded.
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
rm -f "$FEED"/Talk.Kit*.nupkg
dotnet pack "$REPO/Talk.Kit.sln" -c Release --nologo -v quiet -p:ContinuousIntegrationBuild=true -p:KitBuildStamp="$STAMP"

packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
for id in talk.kit talk.kit.training talk.kit.interactive; do
  rm -rf "${packages:?}/$id/$KIT_VERSION"
done
# .NET Interactive keeps restore results per set of #r lines (<hash>.csx, <hash>.resolvedReferences.paths):
# drop every entry that mentions the kit.
cache="$HOME/.packagemanagement/nuget/Cache"
if [ -d "$cache" ]; then
  # grep finds nothing when no notebook ran since the last pack: not an error (pipefail would make it one).
  { grep -lis "talk.kit" "$cache"/* 2>/dev/null || true; } | while read -r f; do
    base="$(basename "$f")"; rm -f "$cache/${base%%.*}".*
  done
fi
echo "$STAMP" > "$FEED/build-stamp.txt"
ls -1 "$FEED"
