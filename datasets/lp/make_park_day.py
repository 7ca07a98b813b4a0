#!/usr/bin/env python3
"""Writes park-day.mps: a small, self-made day-ahead dispatch LP (24 hourly steps) used
by the Quick start until the park model lands. All numbers are synthetic and defined
here (no external data): a flat-plus-shift industrial load, a clear-sky-shaped PV day,
a battery, grid import/export with a time-of-use price, shedding and a demand charge.

    python3 datasets/lp/make_park_day.py > datasets/lp/park-day.mps
"""
import math

T = 24
load = [4200 + 600 * math.sin(math.pi * (t - 6) / 12) * (6 <= t <= 18) + (300 if 8 <= t <= 17 else 0) for t in range(T)]
pv = [max(0.0, 3500 * math.sin(math.pi * (t - 6) / 12)) if 6 <= t <= 18 else 0.0 for t in range(T)]
price = [0.35 if 8 <= t < 12 or 17 <= t < 21 else (0.22 if 7 <= t < 23 else 0.12) for t in range(T)]
eta, soc0, soc_min, soc_max, p_max = 0.95, 2000.0, 400.0, 4000.0, 1000.0
rows, cols, bounds, rhs = [], {}, [], []

def col(name, obj=0.0):
    cols[name] = {"obj": obj, "entries": []}
    return name

def entry(c, r, v):
    cols[c]["entries"].append((r, v))

for t in range(T):
    rows.append(("E", f"balance_{t}")); rhs.append((f"balance_{t}", round(load[t], 6)))
    rows.append(("E", f"soc_{t}"))
    if t == 0:
        rhs.append((f"soc_{t}", soc0))
    rows.append(("L", f"peak_{t}"))
peak = col("peak", 8.0)
for t in range(T):
    imp = col(f"import_{t}", price[t]); exp = col(f"export_{t}", -0.3 * price[t])
    ch = col(f"charge_{t}", 0.005); dis = col(f"discharge_{t}", 0.005)
    soc = col(f"soc_{t}"); curt = col(f"curtail_{t}", 0.0); shed = col(f"shed_{t}", 2.0)
    entry(imp, f"balance_{t}", 1); entry(exp, f"balance_{t}", -1)
    entry(dis, f"balance_{t}", 1); entry(ch, f"balance_{t}", -1)
    entry(curt, f"balance_{t}", -1); entry(shed, f"balance_{t}", 1)
    rhs[[r for r, _ in rhs].index(f"balance_{t}")] = (f"balance_{t}", round(load[t] - pv[t], 6))
    entry(soc, f"soc_{t}", 1); entry(ch, f"soc_{t}", -eta); entry(dis, f"soc_{t}", 1 / eta)
    if t + 1 < T:
        entry(soc, f"soc_{t + 1}", -1)
    entry(imp, f"peak_{t}", 1); entry(peak, f"peak_{t}", -1)
    bounds += [("UP", imp, 6000), ("UP", exp, 2000), ("UP", ch, p_max), ("UP", dis, p_max),
               ("LO", soc, soc_min), ("UP", soc, soc_max), ("UP", curt, round(pv[t], 6)), ("UP", shed, round(0.05 * load[t], 6))]
rows.append(("G", "soc_final"))
entry(f"soc_{T - 1}", "soc_final", 1)
rhs.append(("soc_final", soc0))

out = ["NAME park-day", "ROWS", " N cost"] + [f" {k} {n}" for k, n in rows] + ["COLUMNS"]
for name, c in cols.items():
    if c["obj"]:
        out.append(f"    {name} cost {c['obj']:.6g}")
    out += [f"    {name} {r} {v:.9g}" for r, v in c["entries"]]
out += ["RHS"] + [f"    RHS {r} {v:.9g}" for r, v in rhs if v != 0]
out += ["BOUNDS"] + [f" {k} BND {n} {v:.9g}" for k, n, v in bounds] + ["ENDATA"]
print("\n".join(out))
