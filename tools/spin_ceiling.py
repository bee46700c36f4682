"""The machine's own multi-core scaling, to read worker-scaling ratios against (docs/bench/workers-alternated.txt).
usage: /usr/bin/python3 tools/spin_ceiling.py N   -- runs N independent processes of a pure-Python integer loop and
prints loops per second; N=2 over N=1 is what two busy cores give right now (about 2.0 on an idle host)."""
import sys, time
from multiprocessing import Process

def work():
    s = 0
    for i in range(15_000_000):
        s += i * i

n = int(sys.argv[1])
ps = [Process(target=work) for _ in range(n)]
t = time.time()
for p in ps: p.start()
for p in ps: p.join()
print(f"{n / (time.time() - t):.3f}")
