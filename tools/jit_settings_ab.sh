#!/usr/bin/env bash
# Alternates JIT settings for the first-10s check: default vs QuickJit off vs TieredPGO off, ROUNDS rounds, one core.
# usage: tools/jit_settings_ab.sh [CLI.dll] [TREE]   (TREE default /tmp/mirage-bench2/office224, made by bench_session2.sh)
set -uo pipefail
dll=${1:-src/Mirage.Cli/bin/Release/net10.0/Mirage.Cli.dll}; tree=${2:-/tmp/mirage-bench2/office224}
for r in $(seq 1 ${ROUNDS:-3}); do
  for v in "DEFAULT=1" "DOTNET_TC_QuickJit=0" "DOTNET_TieredPGO=0"; do
    out=$(env $v taskset -c 0 dotnet "$dll" bench "$tree" --workers 1 --first-seconds 10 --seconds 4 2>&1)
    first=$(echo "$out" | grep -m1 'first 10 s' | awk '{print $1}'); steady=$(echo "$out" | grep -m1 'steady (the next' | awk '{print $1}')
    fc=$(echo "$out" | grep -m1 'first 10 s' | grep -o 'processor time [0-9]*' | awk '{print $3}')
    sc=$(echo "$out" | grep -m1 'steady (the next' | grep -o 'processor time [0-9]*' | awk '{print $3}')
    printf '%s %-24s first %8s steady %8s ratio %s  cpu us/img first %s steady %s  load %s\n' "$r" "$v" "$first" "$steady" \
      "$(awk -v a=$first -v b=$steady 'BEGIN{printf "%.2f", a/b}')" "$fc" "$sc" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
