#!/usr/bin/env bash
# A/B of two builds of the CLI, alternated in one session (issue 10's "the refactor costs nothing" check):
# in-memory and directory rates, one core (taskset -c 0) and two workers, ROUNDS rounds, load printed beside each.
# usage: tools/bench_ab.sh A.dll B.dll OUT.txt [TREE]   (TREE default /tmp/mirage-bench2/office224, made by bench_session2.sh)
# PINS (default "0 0,1") picks the core sets: "0" = one core, one worker; "0,1" = two cores, two workers.
set -euo pipefail
a=${1:?A.dll}; b=${2:?B.dll}; out=${3:?OUT.txt}; tree=${4:-/tmp/mirage-bench2/office224}
rounds=${ROUNDS:-4}; secs=${SECONDS_PER:-4}
load() { cut -d' ' -f1-3 /proc/loadavg; }
rate() { grep -m1 -- "$1" | awk '{gsub(",", "", $1); print $1}'; }
{
  echo "# bench_ab $(date -u +%FT%TZ) A=$a B=$b tree=$tree rounds=$rounds seconds=$secs load $(load)"
  printf '%-6s %-3s %-8s %12s %12s   %s\n' round bin cores in-memory directory load
  for r in $(seq 1 "$rounds"); do
    for side in A B; do
      dll=$a; [ "$side" = B ] && dll=$b
      for pin in ${PINS:-0 0,1}; do
        w=1; [ "$pin" = "0,1" ] && w=2
        res=$(taskset -c "$pin" dotnet "$dll" bench "$tree" --workers $w --first-seconds 0 --seconds "$secs" 2>&1)
        printf '%-6s %-3s %-8s %12s %12s   %s\n' "$r" "$side" "$w" "$(echo "$res" | rate 'img/s  in-memory')" \
          "$(echo "$res" | rate 'img/s  flow_from_directory')" "$(load)"
      done
    done
  done
  echo "# end $(date -u +%FT%TZ) load $(load)"
} | tee "$out"
# Medians per side and core count, and B/A.
awk '/^[0-9]/ { k=$2" "$3; m[k]=m[k]" "$4; d[k]=d[k]" "$5 }
  function med(s,  a, n, i, j, t) { n=split(s, a, " "); for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (a[j]<a[i]) { t=a[i]; a[i]=a[j]; a[j]=t }
    return n%2 ? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2 }
  END { for (c=1;c<=2;c++) { ka="A "c; kb="B "c; if (!(ka in m)) continue
    printf "# %d core(s)/worker(s): in-memory median A %.0f, B %.0f, B/A %.3f; directory median A %.0f, B %.0f, B/A %.3f\n", c,
      med(m[ka]), med(m[kb]), med(m[kb])/med(m[ka]), med(d[ka]), med(d[kb]), med(d[kb])/med(d[ka]) } }' "$out" | tee -a "$out"
