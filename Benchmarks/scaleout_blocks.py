#!/usr/bin/env python3
"""Per-block costs of a block-angular KKT on a park LP, for docs/scale-out.md, measured.

    python Benchmarks/scaleout_blocks.py PARK.mps [--repeat 20] [--delta 1e-8]

PARK.mps is a park LP written by `flexdispatch run SCENARIO --write-mps PARK.mps`. Its rows and
columns are split by name: firm f's block is every row and column whose name starts with
`<f>_` (its balance, its assets' rows and columns, its exchange y[f,t]); the linking rows are
the park balance rows `grid_balance_t`; everything else (the grid's import and export, the
peak, the park's own assets) is block 0. With Θ = I (the structure, not an iterate's numbers),
each block's normal matrix M_f = A_f A_fᵀ + δI is factored with CHOLMOD (scikit-sparse), and
the block's Schur contribution to the linking rows is formed: W_f = A_f L_fᵀ (L_f: the linking
rows' entries in f's columns), X = M_f⁻¹ W_f (T right-hand sides at once), S_f = W_fᵀ X. Printed:
per block (median, max, sum over the blocks) the factor's nonzeros and the times of the
factorisation, of one solve pair (one right-hand side) and of the Schur contribution; then, for
comparison, the whole normal matrix A Aᵀ + δI factored and solved by the same CHOLMOD (AMD),
and the dense Cholesky of the summed Schur complement. Single thread. Needs PyPI highspy,
scipy and scikit-sparse (which builds against Debian's libsuitesparse-dev).
"""
import os
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"
import argparse, collections, re, statistics, sys, time
import numpy as np
import scipy.sparse as sp
import highspy
from sksparse.cholmod import cholesky

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("mps")
ap.add_argument("--repeat", type=int, default=20)
ap.add_argument("--delta", type=float, default=1e-8)
a = ap.parse_args()

h = highspy.Highs()
h.setOptionValue("output_flag", False)
if h.readModel(a.mps) != highspy.HighsStatus.kOk:
    sys.exit(f"{a.mps}: HiGHS could not read it")
lp = h.getLp()
m, n = lp.num_row_, lp.num_col_
A = sp.csc_matrix((np.array(lp.a_matrix_.value_), np.array(lp.a_matrix_.index_), np.array(lp.a_matrix_.start_)), shape=(m, n))
rows, cols = list(lp.row_names_), list(lp.col_names_)
if not rows or not cols:
    sys.exit(f"{a.mps}: rows and columns need their names")


def owner(name):
    g = re.match(r"^(f\d+)_", name)
    return g.group(1) if g else "park"


link = [i for i, r in enumerate(rows) if r.startswith("grid_balance_")]
link_set = set(link)
block_rows, block_cols = collections.defaultdict(list), collections.defaultdict(list)
for i, r in enumerate(rows):
    if i not in link_set:
        block_rows[owner(r)].append(i)
for j, c in enumerate(cols):
    block_cols[owner(c)].append(j)
T = len(link)


def median_time(f, repeat):
    f()
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return statistics.median(t)


per_block = []
S = np.zeros((T, T))
for b in sorted(block_rows):
    R, C = block_rows[b], block_cols[b]
    Ab = A[R, :][:, C]
    M = (Ab @ Ab.T + a.delta * sp.identity(len(R))).tocsc()
    W = (Ab @ A[link, :][:, C].T).toarray()
    factor = cholesky(M, ordering_method="amd")
    nnz = factor.L().nnz
    t_factor = median_time(lambda: factor.cholesky_inplace(M), a.repeat)
    rhs = np.ones(len(R))
    t_solve = median_time(lambda: factor(rhs), a.repeat)
    t_schur = median_time(lambda: W.T @ factor(W), a.repeat)
    S += W.T @ factor(W)
    per_block.append((b, len(R), len(C), nnz, t_factor, t_solve, t_schur))

firms = [p for p in per_block if p[0] != "park"]
print(f"{a.mps}: {m} rows, {n} columns; {len(firms)} firm blocks + the park's; {T} linking rows")
print(f"{'':>22} {'median':>10} {'max':>10} {'sum':>10}")
for k, label, scale, unit in [(1, "block rows", 1, ""), (3, "factor nonzeros", 1, ""), (4, "factorise", 1e3, "ms"),
                              (5, "solve pair", 1e3, "ms"), (6, f"Schur ({T} rhs)", 1e3, "ms")]:
    v = [p[k] * scale for p in firms]
    print(f"{label + (' ' + unit if unit else ''):>22} {statistics.median(v):>10.4g} {max(v):>10.4g} {sum(v):>10.4g}")
park = [p for p in per_block if p[0] == "park"]
if park:
    b, r, c, nnz, tf, ts, tsc = park[0]
    print(f"park block: {r} rows, factor {nnz} nonzeros, factorise {tf * 1e3:.3g} ms, Schur {tsc * 1e3:.3g} ms")

M = (A @ A.T + a.delta * sp.identity(m)).tocsc()
whole = cholesky(M, ordering_method="amd")
t_whole = median_time(lambda: whole.cholesky_inplace(M), max(3, a.repeat // 4))
rhs = np.ones(m)
t_whole_solve = median_time(lambda: whole(rhs), a.repeat)
Sd = S + np.eye(T)
t_dense = median_time(lambda: np.linalg.cholesky(Sd), a.repeat)
print(f"whole normal matrix (AMD): factor {whole.L().nnz} nonzeros, factorise {t_whole * 1e3:.3g} ms, solve pair {t_whole_solve * 1e3:.3g} ms")
print(f"dense Cholesky of the {T} × {T} Schur complement: {t_dense * 1e3:.3g} ms")
