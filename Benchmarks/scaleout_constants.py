#!/usr/bin/env python3
"""The communication and dense-algebra constants of docs/scale-out.md's cost model, measured.

    mpirun -n 2 python Benchmarks/scaleout_constants.py [--sizes 96,288,2016] [--repeat 200]

Per size L (the linking part: 96 park-balance rows of a day, 288 with grid and peak rows,
2016 for a week's three per step): the time of an MPI allreduce of an L × L matrix of doubles
(the blocks' Schur contributions summed), of an allreduce and a broadcast of an L-vector
(what each solve exchanges), and of LAPACK's dense Cholesky of L × L (numpy, one thread) on
rank 0. Median over --repeat calls, after a warm-up. Needs Open MPI (Debian: openmpi-bin,
libopenmpi-dev) and PyPI mpi4py and numpy; run it in a virtual environment.
"""
import os
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"
import argparse, statistics, time
import numpy as np
from mpi4py import MPI

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--sizes", default="96,288,2016")
ap.add_argument("--repeat", type=int, default=200)
a = ap.parse_args()
comm = MPI.COMM_WORLD
rank, ranks = comm.Get_rank(), comm.Get_size()


def timed(f, repeat):
    for _ in range(3):
        f()
    times = []
    for _ in range(repeat):
        comm.Barrier()
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


rows = []
for L in (int(s) for s in a.sizes.split(",")):
    rng = np.random.default_rng(L + rank)
    block = rng.standard_normal((L, L))
    block = block @ block.T / L + np.eye(L)
    out = np.empty_like(block)
    vec, vout = rng.standard_normal(L), np.empty(L)
    reduce_matrix = timed(lambda: comm.Allreduce(block, out, op=MPI.SUM), max(5, a.repeat // (1 + L // 300)))
    reduce_vector = timed(lambda: comm.Allreduce(vec, vout, op=MPI.SUM), a.repeat)
    broadcast_vector = timed(lambda: comm.Bcast(vec, root=0), a.repeat)
    cholesky = None
    if rank == 0:
        t = []
        for _ in range(max(3, a.repeat // (1 + L // 100))):
            t0 = time.perf_counter()
            np.linalg.cholesky(block)
            t.append(time.perf_counter() - t0)
        cholesky = statistics.median(t)
    rows.append((L, reduce_matrix, reduce_vector, broadcast_vector, cholesky))

if rank == 0:
    print(f"ranks {ranks}, MPI {MPI.Get_library_version().splitlines()[0]}")
    print(f"{'L':>6} {'allreduce L×L':>15} {'allreduce L':>13} {'bcast L':>11} {'Cholesky L×L':>14} {'Gflop/s':>8}")
    for L, rm, rv, bv, ch in rows:
        print(f"{L:>6} {rm * 1e3:>12.3f} ms {rv * 1e6:>10.1f} µs {bv * 1e6:>8.1f} µs {ch * 1e3:>11.3f} ms {L ** 3 / 3 / ch / 1e9:>8.2f}")
