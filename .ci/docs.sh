#!/usr/bin/env bash
# Docs site: regenerate the gallery and the CLI reference, build the site with docfx (warnings are errors), check
# every internal link, then open the home page, an API page and the gallery in headless Chromium and check they
# render. Output: docs/_site/ (the site), artifacts/docs-screenshots/*.png (the screenshots, kept as CI artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

# Chromium for the browser check; Debian's python3 with PIL for the checker (tools/docs_check.py).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
/usr/bin/python3 -c 'import PIL' 2>/dev/null || missing+=(python3 python3-pil)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

dotnet tool restore >/dev/null
# The gallery (docs/gallery/, not committed): drawn by Mirage from the sample photos at every build.
dotnet run --project tools/Gallery -c Release -- docs/gallery
# The CLI reference (docs/cli-reference.md, not committed): every command's --help as the code states it today.
dotnet build src/Mirage.Cli/Mirage.Cli.csproj -c Release --nologo -v quiet >/dev/null
{
  printf '# CLI reference\n\nThe `--help` text of `mirage` and of each command, captured when this site was built.\n\n'
  printf '## mirage\n\n```text\n%s\n```\n\n' "$(./mirage --help)"
  for c in preview apply augment stats clahe transforms bench experiment; do
    printf '## mirage %s\n\n```text\n%s\n```\n\n' "$c" "$(./mirage "$c" --help)"
  done
} > docs/cli-reference.md

rm -rf docs/_site
(cd docs && dotnet docfx docfx.json --warningsAsErrors)

# Serve the site on a free local port and look at it in a real browser.
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 --directory docs/_site >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
/usr/bin/python3 tools/docs_check.py docs/_site "http://127.0.0.1:$port" artifacts/docs-screenshots
echo "docs: site built and checked in $((SECONDS - start)) s; screenshots in artifacts/docs-screenshots/"
