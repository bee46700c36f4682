"""The torchvision pipeline a PyTorch user picks instead of flow_from_directory, on one thread (issue 9's peer):
ImageFolder + RandomAffine (the reference config: 40 degrees, shifts 0.2, zoom 0.8-1.2, shear 0.2) + RandomHorizontalFlip
+ ToTensor through a DataLoader(num_workers=0), batch 32, float32. Nearest (torchvision's default) and bilinear.
A shorter cut of ../shared/peers/torch_bench.py, for tools/bench_session2.sh.
usage: OMP_NUM_THREADS=1 taskset -c 0 /usr/bin/python3 tools/peer_torchvision.py DIR SECONDS [nearest|bilinear|both]"""
import sys, time
import torch
torch.set_num_threads(1)
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from torchvision.transforms import InterpolationMode

d, secs = sys.argv[1], float(sys.argv[2])
which = sys.argv[3] if len(sys.argv) > 3 else 'both'
modes = {'nearest': InterpolationMode.NEAREST, 'bilinear': InterpolationMode.BILINEAR}
for name in (['nearest', 'bilinear'] if which == 'both' else [which]):
    tf = T.Compose([T.RandomAffine(degrees=40, translate=(0.2, 0.2), scale=(0.8, 1.2), shear=0.2, interpolation=modes[name]),
                    T.RandomHorizontalFlip(), T.ToTensor()])
    dl = DataLoader(datasets.ImageFolder(d, transform=tf), batch_size=32, shuffle=True, num_workers=0)
    it = iter(dl)
    def batch():
        global it
        try: x, _ = next(it)
        except StopIteration:
            it = iter(dl); x, _ = next(it)
        return x.shape[0]
    batch(); batch()  # warm-up
    t0 = time.perf_counter(); n = 0
    while time.perf_counter() - t0 < secs: n += batch()
    print(f"{n / (time.perf_counter() - t0):10.1f} img/s  torchvision ImageFolder+RandomAffine({name})+HFlip+ToTensor, DataLoader nw=0 b=32", flush=True)
