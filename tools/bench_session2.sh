#!/usr/bin/env bash
# Issue 9's "must show" checks in one session (docs/PERFORMANCE.md, "Round 2"): peers and Mirage alternated, pinned to
# one core (taskset -c 0) except the 2-worker pairs, the load average printed beside every number, two rounds.
# usage: tools/bench_session2.sh OUT.txt        (from the repository root; ≈ 12–15 minutes on a quiet 2-core machine)
# Needs /usr/bin/python3 with keras_preprocessing, OpenCV, torchvision (Debian: python3-keras-preprocessing
# python3-opencv python3-torchvision python3-skimage python3-pil) and ../shared/peers (bench_peers.py, peers_scaling.py,
# make_dirdata.py, make_tree.py). Trees are made once under $TREES (default /tmp/mirage-bench2).
# SECONDS_PER (default 4) sets each timed window; ROUNDS (default 2) the rounds.
set -euo pipefail
out=${1:?usage: tools/bench_session2.sh OUT.txt}
peers=${PEERS:-$([ -d ../shared/peers ] && echo ../shared/peers || echo ../../shared/peers)} # /work/main or a worktree under /work/wt
trees=${TREES:-/tmp/mirage-bench2}
secs=${SECONDS_PER:-4}
rounds=${ROUNDS:-2}
py=/usr/bin/python3
export OMP_NUM_THREADS=1

dotnet build src/Mirage.Cli/Mirage.Cli.csproj -c Release -v q -nologo >/dev/null
mirage=(dotnet src/Mirage.Cli/bin/Release/net10.0/Mirage.Cli.dll)
load() { cut -d' ' -f1-3 /proc/loadavg; }
# Every output line gets the load average of the moment it was printed.
annotate() { while IFS= read -r line; do printf '%s   [load %s]\n' "$line" "$(load)"; done; }
step_out=$(mktemp)
trap 'rm -f "$step_out"' EXIT
# run NAME CMD...: prints the command, its output (annotated) into OUT and keeps the output for the summary.
run() {
  local name=$1; shift
  echo "## $name: $*   ($(date -u +%H:%M:%S), load $(load))"
  "$@" 2>&1 | annotate | tee "$step_out" || true
  cp "$step_out" "$tmpdir/$name"
}
# num FILE PATTERN: the first number (img/s) on the first line of FILE matching PATTERN.
num() { grep -m1 -- "$2" "$tmpdir/$1" 2>/dev/null | awk '{gsub(",", "", $1); print $1}'; }
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b > 0 && a > 0) printf "%.2fx", a / b; else printf "n/a" }'; }
tmpdir=$(mktemp -d)

[ -d "$trees/office224" ] || $py "$peers/make_dirdata.py" "$trees/office224" 17 70 224 >/dev/null
[ -d "$trees/photos512" ] || $py "$peers/make_tree.py" "$trees/photos512" 17 30 512 384 >/dev/null
[ -d "$trees/photos1500" ] || $py "$peers/make_tree.py" "$trees/photos1500" 17 8 1500 1000 >/dev/null

{
  echo "# bench_session2 $(date -u +%FT%TZ), $(nproc --all) cores (affinity $(taskset -pc $$ | sed "s/.*: //")), $(lscpu | grep -m1 'Model name' | sed 's/Model name: *//'), load $(load)"
  echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (+ local changes)'), seconds per window: $secs"
  pin="taskset -c 0"
  for round in $(seq 1 "$rounds"); do
    echo
    echo "# ---------------- round $round"
    # 1. 224² tree: peers (Keras, OpenCV, torchvision) and Mirage's pipeline with its first 10 s, steady rate and limit.
    run peers224 $pin $py "$peers/bench_peers.py" "$trees/office224" "$secs"
    run torch224 $pin $py tools/peer_torchvision.py "$trees/office224" "$secs" both
    run mirage224 $pin "${mirage[@]}" bench "$trees/office224" --workers 1 --first-seconds 10 --seconds "$secs" --breakdown
    # 2. 512×384 → 224²: OpenCV imread + resize + warpAffine (and Keras); Mirage default and with --fine-scaled-decode.
    run peers512 $pin $py "$peers/peers_scaling.py" "$trees/photos512" "$secs"
    run mirage512 $pin "${mirage[@]}" bench "$trees/photos512" --workers 1 --first-seconds 0 --seconds "$secs"
    run mirage512fine $pin "${mirage[@]}" bench "$trees/photos512" --workers 1 --first-seconds 0 --seconds "$secs" --fine-scaled-decode
    # 3. 1500×1000 → 224²: OpenCV with DCT-scaled decode (IMREAD_REDUCED_COLOR_4) and Mirage (scaled decode, its default).
    run peers1500 $pin $py "$peers/peers_scaling.py" "$trees/photos1500" "$secs"
    run mirage1500 $pin "${mirage[@]}" bench "$trees/photos1500" --workers 1 --first-seconds 0 --seconds "$secs"
    # 4. 2 workers on 2 cores against 1 worker, alternated pairs (not pinned).
    for pair in 1 2; do
      run "w1_$pair" taskset -c 0,1 "${mirage[@]}" bench "$trees/office224" --workers 1 --first-seconds 0 --seconds "$secs"
      run "w2_$pair" taskset -c 0,1 "${mirage[@]}" bench "$trees/office224" --workers 2 --first-seconds 0 --seconds "$secs"
    done

    steady=$(num mirage224 "flow_from_directory, steady")
    echo
    echo "# round $round checks (load now $(load))"
    echo "  224² pipeline / its --breakdown limit (>= 0.85):         $(grep -m1 -o 'runs at [0-9.]* \?%' "$tmpdir/mirage224" | sed 's/runs at //')"
    echo "  224² pipeline / its own decode + fused warp (issue 10, >= 0.9): $(grep -m1 -o 'runs at [0-9.]*x of it' "$tmpdir/mirage224" | sed 's/runs at //; s/ of it//')"
    echo "  224² pipeline / Keras flow_from_directory (>= 12x):     $(ratio "$steady" "$(num peers224 'keras flow_from_directory')")"
    echo "  224² pipeline / torchvision ImageFolder nearest (>= 4x): $(ratio "$steady" "$(num torch224 'RandomAffine(nearest)')")"
    echo "  first 10 s of a fresh one-CPU process / steady (>= 0.85): $(ratio "$(num mirage224 'first 10 s')" "$steady")"
    echo "  512x384 -> 224², Mirage default / OpenCV imread+resize+warpAffine (>= 1.5x): $(ratio "$(num mirage512 'flow_from_directory')" "$(num peers512 'opencv imread + resize')")"
    echo "  512x384 -> 224², Mirage --fine-scaled-decode / the same OpenCV:            $(ratio "$(num mirage512fine 'flow_from_directory')" "$(num peers512 'opencv imread + resize')")"
    echo "  1500x1000 -> 224², Mirage / OpenCV with DCT-scaled decode (>= 1.3x):         $(ratio "$(num mirage1500 'flow_from_directory')" "$(num peers1500 'REDUCED_COLOR')")"
    echo "  2 workers / 1 worker, pairs (>= 1.8x): $(ratio "$(num w2_1 'flow_from_directory')" "$(num w1_1 'flow_from_directory')"), $(ratio "$(num w2_2 'flow_from_directory')" "$(num w1_2 'flow_from_directory')")"
    echo "  in-memory random transform / OpenCV fused warpAffine (>= 3x): $(ratio "$(num mirage224 'img/s  in-memory random transform')" "$(num peers224 'opencv warpAffine')")"
  done
  echo
  echo "# end $(date -u +%FT%TZ), load $(load)"
} 2>&1 | tee "$out"
rm -rf "$tmpdir"
