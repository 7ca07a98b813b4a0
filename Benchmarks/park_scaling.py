#!/usr/bin/env python3
"""How the park LP's solve time grows with firms and with steps: ours against HiGHS, one run.

    python3 Benchmarks/park_scaling.py [--firms 25,50,100,200,400,800] [--days 1,2,4,7,14]
        [--threads 1] [--out out/park_scaling.csv] [--plot docs/park-scaling.svg]

Two series of parks from `flexdispatch generate` (seed 2025): one step count (96, one day)
with more and more firms, and 46 firms over more and more days (96 steps a day). Each park's
LP is written by `flexdispatch run --write-mps` and solved, in the same run, by `flexdispatch
lp solve --json` (OPENBLAS_NUM_THREADS set to --threads), by HiGHS IPX without crossover and by
HiGHS's dual simplex (`../shared/tools/lp_peer.py`, solve time only, reading excluded).
Prints a table, the objectives' largest relative difference (must be ≤ 1e-6), and for each
solver the slope of log(time) against log(firms) and log(steps) by least squares: 1 is
linear growth. Writes the table as CSV and, when matplotlib is importable, a log-log plot
(SVG). Needs highspy in this interpreter (e.g. the `.venv-pypsa` that
`Benchmarks/pypsa_vs_highs.py` sets up, which also has matplotlib).
"""
import argparse, csv, json, math, os, shutil, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("FLEXDISPATCH_SHARED", os.path.join(os.path.dirname(root), "shared"))
ap = argparse.ArgumentParser()
ap.add_argument("--firms", default="25,50,100,200,400,800")
ap.add_argument("--days", default="1,2,4,7,14")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--out", default=os.path.join(root, "out", "park_scaling.csv"))
ap.add_argument("--plot", default=None, help="SVG file for the log-log plot (default: next to --out)")
ap.add_argument("--from-csv", default=None, help="Plot the table of an earlier run instead of measuring")
a = ap.parse_args()

if not a.from_csv:
    subprocess.run(["swift", "build", "-c", "release", "--product", "flexdispatch"], cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
exe = os.path.join(root, ".build", "release", "flexdispatch")
peer = os.path.join(shared, "tools", "lp_peer.py")
work = None if a.from_csv else tempfile.mkdtemp(prefix="fd-park-scaling-")
env = dict(os.environ, OPENBLAS_NUM_THREADS=str(a.threads), OMP_NUM_THREADS=str(a.threads))


def highs(method, mps):
    extra = ["--crossover", "off"] if method == "ipm" else []
    r = subprocess.run([sys.executable, peer, "--solver", method, "--threads", str(a.threads)] + extra + [mps],
                       capture_output=True, text=True, check=True)
    line = r.stdout.strip().splitlines()[-1].split(",")
    if line[1] != "Optimal":
        sys.exit(f"HiGHS ({method}) did not solve {mps} to optimality: {line[1]}")
    return float(line[2]), float(line[3])


def case(series, firms, days):
    name = f"{firms}x{96 * days}"
    scenario = os.path.join(work, name)
    subprocess.run([exe, "generate", "--firms", str(firms), "--days", str(days), "--seed", "2025", "--out", scenario],
                   check=True, capture_output=True)
    mps = os.path.join(work, name + ".mps")
    subprocess.run([exe, "run", scenario, "--no-db", "--out", os.path.join(work, "out-" + name), "--write-mps", mps,
                    "--quiet"], check=True, capture_output=True, env=env)
    r = subprocess.run([exe, "lp", "solve", mps, "--json", "--threads", str(a.threads)], capture_output=True, text=True,
                       check=True, env=env)
    o = json.loads(r.stdout)
    ipx_obj, ipx = highs("ipm", mps)
    simplex_obj, simplex = highs("simplex", mps)
    rel = max(abs(o["objective"] - ipx_obj), abs(o["objective"] - simplex_obj)) / max(1, abs(ipx_obj))
    row = dict(series=series, firms=firms, steps=96 * days, rows=o["rowsAfterPresolve"], columns=o["columnsAfterPresolve"],
               ours=o["seconds"], iterations=o["iterations"], ipx=ipx, simplex=simplex, objective_rel_diff=rel)
    print(f"{series:>5} {firms:>5} firms × {96 * days:>5} steps: {row['rows']:>7} × {row['columns']:>7} | ours "
          f"{row['ours']:7.3f} s ({row['iterations']} it) | IPX {ipx:7.3f} s | simplex {simplex:7.3f} s | ours / faster "
          f"{row['ours'] / min(ipx, simplex):5.2f} | objective rel. diff {rel:.1e}" + ("" if rel <= 1e-6 else "  MISMATCH"),
          flush=True)
    return row


if a.from_csv:
    with open(a.from_csv) as f:
        rows = [{k: (v if k == "series" else float(v)) for k, v in r.items()} for r in csv.DictReader(f)]
else:
    rows = [case("firms", f, 1) for f in map(int, a.firms.split(","))]
    rows += [case("steps", 46, d) for d in map(int, a.days.split(","))]


def slope(points):
    """Least-squares slope of log y against log x."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


slopes = {}
for series, key in (("firms", "firms"), ("steps", "steps")):
    part = [r for r in rows if r["series"] == series]
    if len(part) < 2:
        continue
    for solver in ("ours", "ipx", "simplex"):
        slopes[(series, solver)] = slope([(r[key], r[solver]) for r in part])
    print(f"log-log slope of time against {series}: " +
          ", ".join(f"{s} {slopes[(series, s)]:.2f}" for s in ("ours", "ipx", "simplex")))

if not a.from_csv:
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {a.out}")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    plt.rcParams["svg.hashsalt"] = "flexdispatch"  # stable ids: the same figures give the same file
    plt.rcParams["svg.fonttype"] = "none"  # text as text, not outlines
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    labels = {"ours": "FlexDispatch IPM", "ipx": "HiGHS IPX", "simplex": "HiGHS dual simplex"}
    for ax, (series, key, title) in zip(axes, (("firms", "firms", "96 steps, more firms"),
                                               ("steps", "steps", "46 firms, more steps"))):
        part = [r for r in rows if r["series"] == series]
        for solver, marker in (("ours", "o"), ("ipx", "s"), ("simplex", "^")):
            if (series, solver) in slopes:
                ax.loglog([r[key] for r in part], [r[solver] for r in part], marker=marker,
                          label=f"{labels[solver]} (slope {slopes[(series, solver)]:.2f})")
        sizes = [r[key] for r in part]
        ax.set_xticks(sizes)
        ax.set_xticklabels([str(int(x)) for x in sizes])
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel(key)
        ax.set_ylabel("solve time (s)")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    plot = a.plot or os.path.splitext(a.out)[0] + ".svg"
    os.makedirs(os.path.dirname(os.path.abspath(plot)), exist_ok=True)
    fig.savefig(plot, metadata={"Date": None})
    print(f"wrote {plot}")
except ImportError:
    print("matplotlib not importable here: no plot")
if work:
    shutil.rmtree(work, ignore_errors=True)
bad = [r for r in rows if r["objective_rel_diff"] > 1e-6]
print(f"{len(rows) - len(bad)} passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
