#!/usr/bin/env python3
"""Our interior point against HiGHS on the same MPS files, in one run, same machine.

    python3 Benchmarks/lp_vs_highs.py [--set DIR] [--only a,b] [--threads 1] [--repeat 1]
                                      [--crossover off|on] [--time-limit 300] [--csv FILE]

Runs `flexdispatch lp check DIR --json` (our times: presolve + solve + postsolve, reading
excluded) and `../shared/tools/lp_peer.py --solver ipm` (HiGHS IPX, Highs.run() only) on
the same files, and prints per problem: status, iterations, both times and the ratio
ours/HiGHS, then the geometric means, the geometric mean of the ratios and the median
iteration count. Needs highspy (pip install highspy).
"""
import argparse, csv, io, json, math, os, statistics, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("FLEXDISPATCH_SHARED", os.path.join(os.path.dirname(root), "shared"))

ap = argparse.ArgumentParser()
ap.add_argument("--set", default=os.path.join(shared, "lp", "netlib"))
ap.add_argument("--only", default="")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--repeat", type=int, default=1)
ap.add_argument("--crossover", default="off", choices=["on", "off"])
ap.add_argument("--time-limit", type=float, default=300)
ap.add_argument("--csv", default="")
a = ap.parse_args()

files = sorted(f for f in os.listdir(a.set) if f.endswith(".mps.gz") or f.endswith(".mps"))
if a.only:
    wanted = set(a.only.split(","))
    files = [f for f in files if f.split(".mps")[0] in wanted]
paths = [os.path.join(a.set, f) for f in files]

subprocess.run(["swift", "build", "-c", "release", "--product", "flexdispatch"], cwd=root, check=True,
               stdout=subprocess.DEVNULL)
exe = os.path.join(root, ".build", "release", "flexdispatch")
ours = {}
for rep in range(a.repeat):
    cmd = [exe, "lp", "check", a.set, "--json", "--threads", str(a.threads), "--time-limit", str(a.time_limit)]
    if a.only:
        cmd += ["--only", a.only]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("{"):
            o = json.loads(line)
            ours.setdefault(o["name"], []).append(o)
    print(f"ours: run {rep + 1}/{a.repeat} done", file=sys.stderr)

peer = os.path.join(shared, "tools", "lp_peer.py")
cmd = [sys.executable, peer, "--solver", "ipm", "--threads", str(a.threads), "--repeat", str(a.repeat),
       "--time-limit", str(a.time_limit), "--crossover", a.crossover] + paths
print("highs: running", file=sys.stderr)
res = subprocess.run(cmd, capture_output=True, text=True)
if res.returncode != 0:
    sys.exit(f"lp_peer.py failed: {res.stderr.strip()}")
highs = {r["name"]: r for r in csv.DictReader(io.StringIO(res.stdout))}

rows, ratios, ours_t, highs_t, iters = [], [], [], [], []
print(f"{'name':12} {'ours':>10} {'pass':>5} {'iter':>5} {'ours s':>9} {'highs':>10} {'highs s':>9} {'ratio':>7}")
for name in sorted(ours):
    runs = ours[name]
    o = runs[0]
    t = statistics.median(r["seconds"] for r in runs)
    h = highs.get(name, {})
    ht = float(h["seconds"]) if h.get("seconds") else float("nan")
    ratio = t / ht if ht > 0 else float("nan")
    if o["pass"] and h.get("status") == "Optimal" or (o["status"] == "infeasible" and h.get("status") == "Infeasible"):
        ratios.append(ratio); ours_t.append(t); highs_t.append(ht)
    iters.append(o["iterations"])
    rows.append(dict(name=name, status=o["status"], passed=o["pass"], iterations=o["iterations"], seconds=t,
                     highs_status=h.get("status", ""), highs_seconds=ht, ratio=ratio))
    print(f"{name:12} {o['status']:>10} {'yes' if o['pass'] else 'NO':>5} {o['iterations']:5d} {t:9.4f} "
          f"{h.get('status', '-'):>10} {ht:9.4f} {ratio:7.2f}")

def gmean(v):
    v = [x for x in v if x > 0 and math.isfinite(x)]
    return math.exp(sum(map(math.log, v)) / len(v)) if v else float("nan")

passed = sum(1 for r in rows if r["passed"])
print(f"\n{passed} passed, {len(rows) - passed} failed (of {len(rows)})")
print(f"geometric mean time: ours {gmean(ours_t):.4f} s, HiGHS IPX {gmean(highs_t):.4f} s "
      f"(over {len(ratios)} problems both solved)")
print(f"geometric mean of ratios ours/HiGHS: {gmean(ratios):.2f}")
print(f"median iterations: {statistics.median(iters) if iters else float('nan')}")
if a.csv:
    with open(a.csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader(); w.writerows(rows)
