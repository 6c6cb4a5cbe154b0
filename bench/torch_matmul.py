# The matrix products behind one SAC update, timed in PyTorch on one thread (the anchor for
# bench/matmul.ts). Run with OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 (bench/matmul.ts does).
# Prints one JSON object: shape name -> median CPU ms per product, and the BLAS torch loaded.
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
sys.path.insert(0, __file__.rsplit('/', 1)[0])
from torch_sac import loaded_blas  # noqa: E402

REPS = int(sys.argv[sys.argv.index('--reps') + 1]) if '--reps' in sys.argv else 5
SHAPES = json.loads(sys.argv[sys.argv.index('--shapes') + 1])

out = {}
for name, (m, k, n) in SHAPES.items():
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    for _ in range(3):
        a @ b
    reps = max(1, int(2e8 // (2 * m * k * n)))
    times = []
    for _ in range(REPS):
        t0 = time.process_time()
        for _ in range(reps):
            a @ b
        times.append((time.process_time() - t0) / reps * 1000)
    out[name] = statistics.median(times)
out['blas'], out['blas_kind'] = loaded_blas()
print(json.dumps(out))
