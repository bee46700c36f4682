#!/usr/bin/env bash
# Issue 4's checks in one session: peers first, then Mirage, twice over (docs/PERFORMANCE.md, "Summary").
# usage: tools/bench_session.sh OUT.txt     (from the repository root; needs ../shared/peers, /usr/bin/python3 with
# Keras and OpenCV, and the JPEG sets: /tmp/office from ../shared/peers/make_dirdata.py /tmp/office 17 70 224,
# /tmp/cam4000 and /tmp/cam1024 from tools/make_large_jpegs.py)
set -euo pipefail
out=${1:?usage: tools/bench_session.sh OUT.txt}
dotnet build Mirage.slnx -c Release -v q -nologo >/dev/null
bench=bench/Mirage.Benchmarks/bin/Release/net10.0/Mirage.Benchmarks.dll
run() { echo "## $*   ($(date -u +%H:%M:%S))"; "$@"; }
{
  echo "# session $(date -u +%FT%TZ), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  for round in 1 2; do
    echo "# round $round"
    run env OMP_NUM_THREADS=1 /usr/bin/python3 ../shared/peers/bench_peers.py /tmp/office 5
    run ./mirage bench /tmp/office --workers 1 --json
    run ./mirage bench /tmp/office --workers 2 --json
    run dotnet "$bench" quick 2
    for src in cam4000 cam1024; do
      for interp in nearest bilinear; do
        run ./mirage bench /tmp/$src/photos --decode-compare --target-size 224x224 --interpolation $interp --seconds 3
      done
    done
  done
  echo "# 2 workers / 1 worker, alternated"
  for pair in 1 2 3; do
    for w in 1 2; do run ./mirage bench /tmp/office --workers $w --json | grep -E '^## |directory_images_per_second'; done
  done
  echo "# end $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
