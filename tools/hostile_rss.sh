#!/usr/bin/env bash
# Peak resident memory of flow_from_directory (2 workers, --on-error skip) over the hostile corpus plus camera-size
# photos: issue 11 asks for < 1 GB. Builds the tree in a temp folder (corpus, a FIFO, a broken link, N 4000x3000
# JPEGs from tools/make_large_jpegs.py and one 4000x3000 PNG), runs `mirage flow-bench` under /usr/bin/time -v and
# prints both VmHWM (from flow-bench) and time's maximum resident set size; exits 1 over the bound.
# usage: tools/hostile_rss.sh [N_PHOTOS=8] [BOUND_MIB=1024]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-8}"; bound="${2:-1024}"
tree="$(mktemp -d /tmp/mirage-hostile-rss.XXXXXX)"
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/tree/c"
cp "$here"/tests/Mirage.Tests/Fixtures/hostile/* "$tree/tree/c/"
mkfifo "$tree/tree/c/fifo.jpg"
ln -s nowhere.jpg "$tree/tree/c/broken-link.jpg"
/usr/bin/python3 "$here/tools/make_large_jpegs.py" "$tree/photos" 4000 3000 "$n" >/dev/null
cp "$tree"/photos/photos/*.jpg "$tree/tree/c/"
/usr/bin/python3 -c "from PIL import Image; Image.open('$tree/tree/c/000.jpg').save('$tree/tree/c/camera.png')"
echo '{"rotation_range": 20, "horizontal_flip": true}' > "$tree/config.json"
"$here/mirage" --help >/dev/null # build once, outside the measurement
dll="$here/src/Mirage.Cli/bin/Release/net10.0/Mirage.Cli.dll"
/usr/bin/time -v dotnet "$dll" flow-bench "$tree/tree" --workers 2 --on-error skip --target-size 224x224 --batch-size 8 \
  --config "$tree/config.json" > "$tree/out.txt" 2> "$tree/time.txt"
cat "$tree/out.txt"
max_kb=$(grep "Maximum resident set size" "$tree/time.txt" | awk '{print $NF}')
echo "/usr/bin/time -v: maximum resident set size $((max_kb / 1024)) MiB (bound ${bound} MiB)"
[ $((max_kb / 1024)) -lt "$bound" ] || { echo "over the bound" >&2; exit 1; }
