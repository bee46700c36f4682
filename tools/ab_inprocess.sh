#!/usr/bin/env bash
# In-process A/B of two builds' Mirage.dll (tools/AbInProcess): PROCS fresh processes, each alternating A and B in
# ROUNDS pairs of SLICE-second slices after a warm-up, the side set up first alternating across processes (where a
# build's images land in memory moves its rate by several per cent). Prints each process's paired B/A median and their
# geometric mean. Finer than tools/bench_ab.sh, which compares whole processes and is at the mercy of the machine's drift.
# usage: tools/ab_inprocess.sh DIR_A DIR_B MODE [PROCS=4] [ROUNDS=20] [SLICE=0.25] [TREE=/tmp/mirage-bench2/office224]
#   DIR_A/DIR_B hold a Mirage.dll each (e.g. `dotnet publish src/Mirage.Cli -c Release -o DIR` of two commits);
#   MODE: warp | inmem | inmem2 | dir | dir2 (see tools/AbInProcess/Program.cs). PIN (default 0; 0,1 for the 2-thread modes).
set -euo pipefail
a=${1:?DIR_A}; b=${2:?DIR_B}; mode=${3:?MODE}; procs=${4:-4}; rounds=${5:-20}; slice=${6:-0.25}
tree=${7:-/tmp/mirage-bench2/office224}
here=$(cd "$(dirname "$0")/.." && pwd)
case $mode in inmem2|dir2) pin=${PIN:-0,1} ;; *) pin=${PIN:-0} ;; esac
dotnet build "$here/tools/AbInProcess" -c Release -v q -nologo >/dev/null
dll="$here/tools/AbInProcess/bin/Release/net10.0/AbInProcess.dll"
echo "# ab_inprocess $(date -u +%FT%TZ) A=$a B=$b mode=$mode procs=$procs rounds=$rounds slice=$slice pin=$pin load $(cut -d' ' -f1-3 /proc/loadavg)"
lines=$(for p in $(seq 1 "$procs"); do
  rev=$((p % 2))
  line=$(SETUP_REVERSE=$rev taskset -c "$pin" dotnet "$dll" "$a" "$b" "$tree" "$mode" "$rounds" "$slice" | tail -1)
  echo "process $p (B set up first: $rev): $line"
done)
echo "$lines"
echo "$lines" | awk '{ for (i = 1; i <= NF; i++) if ($i == "median" && $(i-1) == "B/A") { s += log($(i+1)); n++ } }
  END { if (n) printf "# geometric mean of the processes'\'' paired B/A: %.3f (%d processes)\n", exp(s / n), n }'
