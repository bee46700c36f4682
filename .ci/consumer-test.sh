#!/usr/bin/env bash
# Consumer test: use the packages as a user would, not through the solution's project references.
# Packs Mirage, Mirage.TorchSharp and Mirage.Cli into a temporary local feed under a unique version, builds and runs a
# new console project (.ci/consumer/Program.cs) that references Mirage from that feed, installs the mirage tool from it
# into a temporary tool path and runs `mirage preview` and `mirage augment`. Prints PASS or FAIL; exit code 1 on FAIL.
# The unique version keeps a later run from picking up a stale package from ~/.nuget/packages (dependencies such as
# SkiaSharp still come from the usual cache); the trap removes this run's packages from it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")-ci.$(date +%s).$$"
work="$(mktemp -d)"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
cleanup() {
  rm -rf "$work" "$cache/mirage/$version" "$cache/mirage.cli/$version" "$cache/mirage.torchsharp/$version"
  rmdir "$cache/mirage" "$cache/mirage.cli" "$cache/mirage.torchsharp" 2>/dev/null || true  # only when now empty
}
trap cleanup EXIT
trap 'echo "consumer test: FAIL (a command failed at line $LINENO)"' ERR
fail() { echo "consumer test: FAIL ($1)"; exit 1; }
step() { echo "consumer test: $1"; }

step "packing $version into $work/feed"
dotnet pack "$repo/Mirage.slnx" -c Release -o "$work/feed" -p:PackageVersion="$version" --nologo -v quiet \
  > "$work/pack.log" 2>&1 || { cat "$work/pack.log"; fail "dotnet pack"; }
ls -l "$work/feed"

# The feed first, then the usual source for the dependencies.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
# Keep the machine's own sources (nuget.org or a mirror): only add the local feed to the default configuration.
app="$work/app"
mkdir -p "$app"
cp "$work/nuget.config" "$app/nuget.config"
step "dotnet new console + dotnet add package Mirage $version"
(cd "$app" && dotnet new console --framework net10.0 --name ConsumerApp --output . > /dev/null \
  && cp "$repo/.ci/consumer/Program.cs" Program.cs \
  && dotnet add package Mirage --version "$version" > "$work/add.log" 2>&1) || { cat "$work/add.log" 2>/dev/null; fail "dotnet add package"; }
(cd "$app" && dotnet run -c Release -- "$work/data") || fail "the consumer program"

step "dotnet tool install Mirage.Cli $version --tool-path"
dotnet tool install Mirage.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed" > "$work/tool.log" 2>&1 || { cat "$work/tool.log"; fail "dotnet tool install"; }
du -sh "$work/tools"
mirage="$work/tools/mirage"
"$mirage" preview "$repo/samples/chelsea.jpg" --config "$repo/samples/config.json" --out "$work/preview.png" \
  || fail "mirage preview"
[ -s "$work/preview.png" ] || fail "mirage preview wrote no $work/preview.png"
"$mirage" augment "$work/data" "$work/augmented" --config "$repo/samples/config.json" --per-image 2 --seed 1 \
  || fail "mirage augment"
made=$(find "$work/augmented/cats" "$work/augmented/dogs" -type f \( -name '*.png' -o -name '*.jpg' -o -name '*.jpeg' \) | wc -l)
[ "$made" -eq 24 ] || fail "mirage augment made $made images, expected 24 (12 images x 2)"
echo "consumer test: PASS (package, console app, tool: preview and augment)"
