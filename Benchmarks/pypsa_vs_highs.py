#!/usr/bin/env python3
"""PyPSA energy-system LPs, ours against HiGHS on the same MPS, in one run, same machine.

    python3 Benchmarks/pypsa_vs_highs.py [--models site-96,ac5-168,...] [--threads 1]
        [--time-limit 600] [--repeat 1] [--keep DIR] [--only-write] [--csv FILE]
        [--no-build] [--venv DIR]

Builds seven deterministic PyPSA networks (fixed seeds, synthetic profiles made with numpy:
PV as a bell over the hours of daylight scaled by a daily clearness, wind from AR(1) noise
through a logistic curve, loads with a morning and an evening peak), turns each into its
linopy model with `n.optimize.create_model()` and writes it as free MPS with explicit
row and column names (`Model.to_file(..., explicit_coordinate_names=True)`, written by HiGHS):

  site-96              one bus, 96 quarter hours: load, PV, wind, a battery (StorageUnit),
                       grid import and export at a time-varying price, fixed capacities
  ac5-168              5 AC buses, 7 lines (x, r, s_nom), nuclear, coal, gas, wind, solar,
                       storage, 168 hours, fixed capacities
  site-96-ext          site-96 with PV, wind and battery extendable (capital costs per day)
  ac30-168-ext         30 buses, 45 lines of a random geometric connected graph, 168 hours,
                       a CO2 cap (GlobalConstraint CO2Limit on co2_emissions) and every line
                       s_nom-extendable: each line's s_nom column enters both flow-limit rows
                       of every snapshot (capacity expansion, dense linking columns)
  ac30-168-fixed       the same network with fixed line capacities (large enough to be
                       feasible under the same CO2 cap)
  ac60-336             60 buses, 90 lines, 336 hours, fixed capacities
  site-96-infeasible   site-96 with a load above what all units together can supply at night

Before anything else it prints, per file: rows, columns, nonzeros and how the entries are
spread over the columns (largest column, columns with at least 50 entries, median), as
HiGHS reads the file. With `--only-write` it stops there (`--keep DIR` keeps the files).
Otherwise every MPS is solved by `flexdispatch lp solve FILE --json` (ours: presolve + solve
+ postsolve, reading excluded) and by HiGHS dual simplex and HiGHS IPX without crossover
(`../shared/tools/lp_peer.py --solver simplex|ipm`, Highs.run() only), each under the same
thread count and time limit; with `--repeat` the median time is kept. The table shows our
status, objective, time and iterations, both HiGHS times, the ratio of our time to the faster
HiGHS method, and |ours - HiGHS| / max(1, |HiGHS|) against the simplex objective (IPX when the
simplex has none); a model passes when that is at most 1e-8, or when both sides find it
infeasible. It ends with the geometric mean of the ratios. A failed or timed-out solve is a
row of the table. Exit status 1 when a model fails.

PyPSA runs in its own virtual environment: when this interpreter cannot import pypsa, linopy
and highspy, the script creates `<repo>/.venv-pypsa` (or `--venv DIR`), installs the pinned
versions there and runs itself again with that environment's python.
"""
import argparse, csv, io, json, math, os, shutil, statistics, subprocess, sys, tempfile, warnings

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("FLEXDISPATCH_SHARED", os.path.join(os.path.dirname(root), "shared"))
PACKAGES = ["pypsa==1.4.0", "linopy==0.10.1", "highspy==1.16.0"]
MODELS = ["site-96", "ac5-168", "site-96-ext", "ac30-168-ext", "ac30-168-fixed", "ac60-336", "site-96-infeasible"]
TOLERANCE = 1e-8

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of: " + ", ".join(MODELS))
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--time-limit", type=float, default=600, help="seconds per solve, for every solver")
ap.add_argument("--repeat", type=int, default=1, help="solves per model and solver; the median time is kept")
ap.add_argument("--keep", default="", help="write the MPS files to this folder and keep them")
ap.add_argument("--only-write", action="store_true", help="write the MPS files, print their sizes and stop")
ap.add_argument("--csv", default="", help="also write the table to this CSV file")
ap.add_argument("--no-build", action="store_true", help="use .build/release/flexdispatch as it is")
ap.add_argument("--venv", default=os.path.join(root, ".venv-pypsa"), help="virtual environment with PyPSA")
a = ap.parse_args()
models = [m for m in a.models.split(",") if m]
for m in models:
    if m not in MODELS:
        sys.exit(f"unknown model '{m}' (choose from {', '.join(MODELS)})")
if a.repeat < 1:
    sys.exit("--repeat must be at least 1")


def ensure_environment():
    """Continue in this interpreter if it has PyPSA, else in the virtual environment (made on demand)."""
    try:
        import importlib.metadata as metadata
        import pypsa, linopy, highspy  # noqa: F401
        found = [f"{p.split('==')[0]}=={metadata.version(p.split('==')[0])}" for p in PACKAGES]
        if found != PACKAGES:
            print(f"note: this interpreter has {', '.join(found)}; the figures in docs/solver.md are for "
                  f"{', '.join(PACKAGES)}", file=sys.stderr, flush=True)
        return
    except ImportError:
        pass
    venv = os.path.abspath(a.venv)
    python = os.path.join(venv, "bin", "python")
    if os.environ.get("FLEXDISPATCH_PYPSA_VENV") == python:
        sys.exit(f"{python} still cannot import pypsa, linopy and highspy; remove {venv} and run again")
    probe = [python, "-c", "import pypsa, linopy, highspy"]
    if not os.path.exists(python) or subprocess.run(probe, capture_output=True).returncode != 0:
        if not os.path.exists(python):
            print(f"creating the virtual environment {venv}", file=sys.stderr, flush=True)
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        print(f"installing {' '.join(PACKAGES)} into {venv}", file=sys.stderr, flush=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + PACKAGES,
                       check=True, stdout=sys.stderr)
    os.environ["FLEXDISPATCH_PYPSA_VENV"] = python
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


ensure_environment()

import contextlib, ctypes, logging  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning)
import pypsa  # noqa: E402
import highspy  # noqa: E402

for _name in ("pypsa", "linopy"):
    logging.getLogger(_name).setLevel(logging.WARNING)


@contextlib.contextmanager
def stdout_to_stderr():
    """Send file descriptor 1 to standard error meanwhile: HiGHS prints its banner and
    progress lines with C stdio, which a Python-level redirect does not catch."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        try:
            ctypes.CDLL(None).fflush(None)
        except (OSError, AttributeError):
            pass
        os.dup2(saved, 1)
        os.close(saved)


# ---------------------------------------------------------------------------------------
# Synthetic profiles
# ---------------------------------------------------------------------------------------

def hour_of_day(snapshots):
    return np.asarray(snapshots.hour + snapshots.minute / 60.0, dtype=float)


def day_index(snapshots):
    return np.asarray((snapshots.normalize() - snapshots[0].normalize()).days, dtype=int)


def ar1(rng, steps, count, phi, sigma):
    """`count` independent AR(1) series of `steps` values, started in their stationary law."""
    x = np.empty((steps, count))
    x[0] = rng.normal(0.0, sigma / math.sqrt(1.0 - phi * phi), count)
    for t in range(1, steps):
        x[t] = phi * x[t - 1] + rng.normal(0.0, sigma, count)
    return x


def solar_profiles(rng, snapshots, count):
    """Capacity factors of `count` PV plants: a bell from 06:00 to 20:00, a clearness per day
    shared by all plants with a local deviation, and short-lived cloud dips."""
    h, day = hour_of_day(snapshots), day_index(snapshots)
    bell = np.clip(np.sin(np.pi * (h - 6.0) / 14.0), 0.0, None) ** 1.4
    days = day.max() + 1
    clearness = np.clip(rng.uniform(0.45, 1.0, (days, 1)) + rng.normal(0.0, 0.08, (days, count)), 0.2, 1.0)
    steps_per_hour = max(1, int(round(3600 / (snapshots[1] - snapshots[0]).total_seconds())))
    clouds = ar1(rng, len(snapshots), count, 0.8 ** (1.0 / steps_per_hour), 0.12)
    cf = 0.85 * bell[:, None] * clearness[day] * np.clip(1.0 - np.abs(clouds), 0.3, 1.0)
    return np.clip(cf, 0.0, 1.0).round(4)


def wind_profiles(rng, snapshots, count):
    """Capacity factors of `count` wind farms: a shared and a local AR(1) weather signal (hourly
    persistence 0.97 and 0.9) through a logistic curve, mean near 0.33."""
    steps_per_hour = max(1, int(round(3600 / (snapshots[1] - snapshots[0]).total_seconds())))
    shared_part = ar1(rng, len(snapshots), 1, 0.97 ** (1.0 / steps_per_hour), 0.25 / math.sqrt(steps_per_hour))
    local_part = ar1(rng, len(snapshots), count, 0.9 ** (1.0 / steps_per_hour), 0.3 / math.sqrt(steps_per_hour))
    return (1.0 / (1.0 + np.exp(-(-0.8 + 1.6 * shared_part + 0.8 * local_part)))).round(4)


def load_profiles(rng, snapshots, count):
    """Per-unit loads of `count` buses: night trough, morning and evening peaks, 8 % less on
    weekends, 2 % noise; the peak is near 1."""
    h = hour_of_day(snapshots)
    shape = (0.62 + 0.22 * np.exp(-((h - 8.5) / 2.0) ** 2) + 0.32 * np.exp(-((h - 19.0) / 2.5) ** 2)
             - 0.08 * np.exp(-((h - 3.5) / 2.5) ** 2))
    weekend = np.where(np.asarray(snapshots.dayofweek) >= 5, 0.92, 1.0)
    noise = 1.0 + rng.normal(0.0, 0.02, (len(snapshots), count))
    return (shape * weekend)[:, None] * noise


# ---------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------

def site(extendable=False, infeasible=False):
    """One connection point over one day in quarter hours, quantities in MW and EUR."""
    rng = np.random.default_rng(96)
    snapshots = pd.date_range("2025-06-02", periods=96, freq="15min")
    n = pypsa.Network()
    n.set_snapshots(snapshots)
    n.snapshot_weightings = pd.DataFrame(0.25, index=snapshots, columns=n.snapshot_weightings.columns)
    n.add("Carrier", ["AC", "solar", "wind", "battery", "grid"])
    n.add("Bus", "site", v_nom=20.0)
    h = hour_of_day(snapshots)
    load = (0.9 * load_profiles(rng, snapshots, 1)[:, 0]).round(3)
    if infeasible:
        load = load + 3.0  # at night PV is 0 and PV + wind + battery + grid together reach 3.5 MW at most
    n.add("Load", "site-load", bus="site", p_set=pd.Series(load, snapshots))
    pv = solar_profiles(rng, snapshots, 1)[:, 0]
    wind = wind_profiles(rng, snapshots, 1)[:, 0]
    price = (55.0 + 45.0 * np.exp(-((h - 19.0) / 2.0) ** 2) + 20.0 * np.exp(-((h - 8.0) / 1.5) ** 2)
             - 30.0 * np.clip(np.sin(np.pi * (h - 6.0) / 14.0), 0.0, None) + rng.normal(0.0, 3.0, len(h)))
    price = np.clip(price, 5.0, None).round(2)
    day_share = 24.0 / 8760.0  # annualised capital costs, scaled to the one-day horizon
    n.add("Generator", "pv", bus="site", carrier="solar", p_nom=1.2, p_max_pu=pd.Series(pv, snapshots),
          marginal_cost=0.0, p_nom_extendable=extendable, p_nom_max=5.0, capital_cost=45000.0 * day_share)
    n.add("Generator", "wind", bus="site", carrier="wind", p_nom=0.8, p_max_pu=pd.Series(wind, snapshots),
          marginal_cost=1.0, p_nom_extendable=extendable, p_nom_max=3.0, capital_cost=110000.0 * day_share)
    n.add("StorageUnit", "battery", bus="site", carrier="battery", p_nom=0.5, max_hours=2.0,
          efficiency_store=0.95, efficiency_dispatch=0.95, standing_loss=0.0005, cyclic_state_of_charge=True,
          marginal_cost=0.5, p_nom_extendable=extendable, p_nom_max=3.0, capital_cost=60000.0 * day_share)
    n.add("Generator", "grid-import", bus="site", carrier="grid", p_nom=1.0,
          marginal_cost=pd.Series(price + 12.0, snapshots))
    n.add("Generator", "grid-export", bus="site", carrier="grid", p_nom=1.0, p_min_pu=-1.0, p_max_pu=0.0,
          marginal_cost=pd.Series(0.85 * price, snapshots))
    return n


def geometric_edges(xy, count):
    """A connected graph on the points: the minimum spanning tree, then the shortest other
    pairs until there are `count` edges."""
    k = len(xy)
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    in_tree, edges = {0}, []
    best = dist[0].copy()
    parent = np.zeros(k, dtype=int)
    while len(in_tree) < k:
        candidates = [j for j in range(k) if j not in in_tree]
        j = min(candidates, key=lambda c: best[c])
        edges.append((int(min(parent[j], j)), int(max(parent[j], j))))
        in_tree.add(j)
        for c in candidates:
            if dist[j, c] < best[c]:
                best[c], parent[c] = dist[j, c], j
    taken = set(edges)
    rest = sorted(((dist[i, j], i, j) for i in range(k) for j in range(i + 1, k) if (i, j) not in taken))
    edges += [(i, j) for _, i, j in rest[:max(0, count - len(edges))]]
    return edges, dist


# name, carrier, chance of a plant at a bus, p_nom range MW, marginal cost EUR/MWh, efficiency
THERMAL = [("nuclear", "nuclear", 0.10, (900, 1500), 10.0, 0.33),
           ("coal", "coal", 0.30, (400, 1100), 27.0, 0.40),
           ("CCGT", "gas", 0.50, (300, 900), 47.0, 0.57)]
CO2 = {"AC": 0.0, "coal": 0.34, "gas": 0.20, "nuclear": 0.0, "onwind": 0.0, "solar": 0.0, "battery": 0.0, "PHS": 0.0}


def transmission(buses, lines, hours, seed, extendable_lines=False, fixed_line_factor=1.0, co2_fraction=None):
    """An AC network at 380 kV: buses in an 800 km square, lines of a geometric graph (x 0.25 and
    r 0.03 ohm/km), thermal plants, wind, solar, batteries and pumped hydro at random buses and an
    OCGT at every bus sized at 1.1 times the local peak (so the network is feasible without the
    CO2 cap). With `co2_fraction` a CO2Limit caps the emissions that far from the least emissions
    the fleet allows on a copper plate (0) towards those of a copper-plate merit-order dispatch (1)."""
    rng = np.random.default_rng(seed)
    snapshots = pd.date_range("2025-01-06", periods=hours, freq="h")
    n = pypsa.Network()
    n.set_snapshots(snapshots)
    n.add("Carrier", list(CO2), co2_emissions=list(CO2.values()))
    xy = rng.uniform(0.0, 800.0, (buses, 2))
    names = [f"b{i:02d}" for i in range(buses)]
    n.add("Bus", names, x=xy[:, 0] / 100.0, y=xy[:, 1] / 100.0, v_nom=380.0)
    edges, dist = geometric_edges(xy, lines)
    length = np.array([round(1.25 * dist[i, j], 1) for i, j in edges])
    s_nom = rng.choice([500.0, 800.0, 1100.0, 1700.0], len(edges))
    line_names = [f"l{k:02d}" for k in range(len(edges))]
    n.add("Line", line_names, bus0=[names[i] for i, _ in edges], bus1=[names[j] for _, j in edges],
          x=0.25 * length, r=0.03 * length, length=length,
          s_nom=s_nom * (1.0 if extendable_lines else fixed_line_factor), s_nom_min=s_nom,
          s_nom_extendable=extendable_lines, capital_cost=35.0 * length * hours / 8760.0)

    peak = rng.uniform(400.0, 2000.0, buses)
    load = (load_profiles(rng, snapshots, buses) * peak).round(1)
    n.add("Load", [f"load-{b}" for b in names], bus=names, p_set=pd.DataFrame(load, snapshots, [f"load-{b}" for b in names]))

    merit = []  # (marginal cost, t CO2 per MWh electric, available MW per snapshot)
    for tech, carrier, chance, (lo, hi), cost, eff in THERMAL:
        at = [i for i in range(buses) if rng.random() < chance]
        if not at:
            continue
        p_nom = rng.uniform(lo, hi, len(at)).round(0)
        mc = (cost * rng.uniform(0.97, 1.03, len(at))).round(2)
        n.add("Generator", [f"{tech}-{names[i]}" for i in at], bus=[names[i] for i in at], carrier=carrier,
              p_nom=p_nom, marginal_cost=mc, efficiency=eff)
        merit += [(c, CO2[carrier] / eff, np.full(hours, p)) for c, p in zip(mc, p_nom)]
    ocgt = (1.1 * peak).round(0)
    mc = (68.0 * rng.uniform(0.97, 1.03, buses)).round(2)
    n.add("Generator", [f"OCGT-{b}" for b in names], bus=names, carrier="gas", p_nom=ocgt, marginal_cost=mc,
          efficiency=0.39)
    merit += [(c, CO2["gas"] / 0.39, np.full(hours, p)) for c, p in zip(mc, ocgt)]
    for tech, profiles, (lo, hi), cost in (("onwind", wind_profiles, (200, 1200), 0.5),
                                          ("solar", solar_profiles, (200, 1000), 0.1)):
        at = [i for i in range(buses) if rng.random() < 0.5]
        if not at:
            continue
        cf = profiles(rng, snapshots, len(at))
        gen = [f"{tech}-{names[i]}" for i in at]
        p_nom = rng.uniform(lo, hi, len(at)).round(0)
        n.add("Generator", gen, bus=[names[i] for i in at], carrier=tech, p_nom=p_nom,
              p_max_pu=pd.DataFrame(cf, snapshots, gen), marginal_cost=cost)
        merit += [(cost, 0.0, cf[:, k] * p_nom[k]) for k in range(len(at))]
    for tech, chance, (lo, hi), max_hours, eff in (("battery", 0.3, (100, 400), 4.0, 0.92),
                                                   ("PHS", 0.1, (300, 1000), 8.0, 0.87)):
        at = [i for i in range(buses) if rng.random() < chance]
        if at:
            n.add("StorageUnit", [f"{tech}-{names[i]}" for i in at], bus=[names[i] for i in at], carrier=tech,
                  p_nom=rng.uniform(lo, hi, len(at)).round(0), max_hours=max_hours, efficiency_store=eff,
                  efficiency_dispatch=eff, cyclic_state_of_charge=True, marginal_cost=0.2)

    if co2_fraction is not None:
        demand = load.sum(axis=1)

        def emissions(order):
            residual, total = demand.copy(), 0.0
            for _, intensity, available in sorted(merit, key=order):
                used = np.minimum(residual, available)
                total += intensity * used.sum()
                residual -= used
            return total
        cheapest = emissions(lambda m: (m[0], m[1]))
        cleanest = emissions(lambda m: (m[1], m[0]))
        cap = cleanest + co2_fraction * (cheapest - cleanest)
        n.add("GlobalConstraint", "CO2Limit", type="primary_energy", carrier_attribute="co2_emissions",
              sense="<=", constant=round(cap, 1))
    return n


BUILDERS = {
    "site-96": lambda: site(),
    "ac5-168": lambda: transmission(5, 7, 168, seed=5),
    "site-96-ext": lambda: site(extendable=True),
    "ac30-168-ext": lambda: transmission(30, 45, 168, seed=30, extendable_lines=True, co2_fraction=0.5),
    "ac30-168-fixed": lambda: transmission(30, 45, 168, seed=30, fixed_line_factor=2.0, co2_fraction=0.5),
    "ac60-336": lambda: transmission(60, 90, 336, seed=60),
    "site-96-infeasible": lambda: site(infeasible=True),
}


def write_mps(name, path):
    n = BUILDERS[name]()
    model = n.optimize.create_model()
    with stdout_to_stderr():
        model.to_file(path, progress=False, explicit_coordinate_names=True)


def column_statistics(path):
    """Size of the MPS as HiGHS reads it and the entries per column of the constraint matrix."""
    with stdout_to_stderr():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        if h.readModel(path) == highspy.HighsStatus.kError:
            raise RuntimeError(f"HiGHS cannot read {path}")
    lp = h.getLp()
    if any(v != highspy.HighsVarType.kContinuous for v in lp.integrality_):
        raise RuntimeError(f"{path} has integer columns")
    matrix = lp.a_matrix_
    if matrix.format_ != highspy.MatrixFormat.kColwise:
        raise RuntimeError(f"{path}: HiGHS did not read the matrix column-wise")
    counts = np.diff(np.asarray(matrix.start_))
    return dict(rows=lp.num_row_, cols=lp.num_col_, nnz=int(counts.sum()), max_col=int(counts.max()),
                cols_ge_50=int((counts >= 50).sum()), median_col=float(np.median(counts)))


# ---------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------

def run_ours(exe, path):
    """Median over --repeat runs of `flexdispatch lp solve --json`; status names a failure."""
    runs = []
    for _ in range(a.repeat):
        cmd = [exe, "lp", "solve", path, "--json", "--threads", str(a.threads), "--time-limit", str(a.time_limit)]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=a.time_limit + 120)
        except subprocess.TimeoutExpired:
            return dict(status="timeout")
        lines = [s for s in r.stdout.splitlines() if s.startswith("{")]
        if not lines:
            tail = (r.stderr.strip().splitlines() or [""])[-1]
            return dict(status=f"exit {r.returncode}", error=tail[:120])
        try:
            runs.append(json.loads(lines[-1]))
        except json.JSONDecodeError:
            return dict(status=f"bad json (exit {r.returncode})")
    o = dict(runs[0])
    o["seconds"] = statistics.median(float(x.get("seconds", float("nan"))) for x in runs)
    return o


def run_highs(path, solver):
    """HiGHS through lp_peer.py: (status, objective or None, seconds or nan)."""
    cmd = [sys.executable, os.path.join(shared, "tools", "lp_peer.py"), "--solver", solver,
           "--threads", str(a.threads), "--repeat", str(a.repeat), "--time-limit", str(a.time_limit)]
    if solver == "ipm":
        cmd += ["--crossover", "off"]
    try:
        r = subprocess.run(cmd + [path], capture_output=True, text=True, timeout=a.repeat * (a.time_limit + 120))
    except subprocess.TimeoutExpired:
        return "timeout", None, float("nan")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    if r.returncode != 0 or not rows:
        return f"error (exit {r.returncode})", None, float("nan")
    row = rows[-1]
    obj = float(row["objective"]) if row.get("objective") else None
    sec = float(row["seconds"]) if row.get("seconds") else float("nan")
    return row.get("status", ""), obj, sec


def verdict(status):
    s = (status or "").lower()
    if s == "optimal":
        return "optimal"
    return "infeasible" if "infeasible" in s else None


def gmean(values):
    v = [x for x in values if x > 0 and math.isfinite(x)]
    return math.exp(sum(map(math.log, v)) / len(v)) if v else float("nan")


def fmt(x, spec):
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else format(x, spec)


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------

work = os.path.abspath(a.keep) if a.keep else tempfile.mkdtemp(prefix="fd-pypsa-bench-")
os.makedirs(work, exist_ok=True)
exit_code, binary = 0, None
try:
    files, sizes = {}, {}
    print(f"{'model':20} {'rows':>8} {'cols':>8} {'nnz':>9} {'max col':>8} {'cols>=50':>9} {'median col':>10}", flush=True)
    for name in models:
        print(f"{name}: building and writing", file=sys.stderr, flush=True)
        path = os.path.join(work, f"{name}.mps")
        write_mps(name, path)
        files[name], sizes[name] = path, column_statistics(path)
        s = sizes[name]
        print(f"{name:20} {s['rows']:8d} {s['cols']:8d} {s['nnz']:9d} {s['max_col']:8d} {s['cols_ge_50']:9d} "
              f"{s['median_col']:10.1f}", flush=True)
    if a.only_write:
        print(f"MPS files in {work}" if a.keep else "MPS files written and removed again (--keep DIR keeps them)")
        sys.exit(0)

    exe = os.path.join(root, ".build", "release", "flexdispatch")
    if not a.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "flexdispatch"], cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
    if not os.path.isfile(exe):
        sys.exit(f"{exe} not found: build it with `swift build -c release --product flexdispatch`")
    binary = os.path.join(tempfile.mkdtemp(prefix="fd-pypsa-bin-"), "flexdispatch")
    shutil.copy2(exe, binary)  # a copy, so a rebuild meanwhile cannot change the binary under test

    table, ratios = [], []
    for name in models:
        path, s = files[name], sizes[name]
        print(f"{name}: ours", file=sys.stderr, flush=True)
        o = run_ours(binary, path)
        print(f"{name}: HiGHS simplex", file=sys.stderr, flush=True)
        hs_status, hs_obj, hs_sec = run_highs(path, "simplex")
        print(f"{name}: HiGHS IPX", file=sys.stderr, flush=True)
        hi_status, hi_obj, hi_sec = run_highs(path, "ipm")
        ours_status, ours_obj = o.get("status", "?"), o.get("objective")
        ours_sec = float(o["seconds"]) if o.get("seconds") is not None else float("nan")
        reference = hs_obj if verdict(hs_status) == "optimal" else hi_obj if verdict(hi_status) == "optimal" else None
        rel = abs(ours_obj - reference) / max(1.0, abs(reference)) if (
            reference is not None and ours_obj is not None and verdict(ours_status) == "optimal") else None
        highs_verdicts = {verdict(hs_status), verdict(hi_status)} - {None}
        if verdict(ours_status) == "optimal":
            passed = rel is not None and rel <= TOLERANCE
        else:
            passed = verdict(ours_status) == "infeasible" and highs_verdicts == {"infeasible"}
        solved = [t for st, t in ((hs_status, hs_sec), (hi_status, hi_sec)) if verdict(st) and math.isfinite(t)]
        fastest = min(solved) if solved else float("nan")
        ratio = ours_sec / fastest if verdict(ours_status) and fastest > 0 else float("nan")
        if math.isfinite(ratio) and passed:
            ratios.append(ratio)
        exit_code |= 0 if passed else 1
        table.append(dict(model=name, rows=s["rows"], cols=s["cols"], nnz=s["nnz"], max_col=s["max_col"],
                          cols_ge_50=s["cols_ge_50"], status=ours_status, objective=ours_obj, seconds=ours_sec,
                          iterations=o.get("iterations"), factor_nonzeros=o.get("factorNonzeros"),
                          dense_columns=o.get("denseColumns"), highs_simplex_status=hs_status,
                          highs_simplex_objective=hs_obj, highs_simplex_seconds=hs_sec, highs_ipx_status=hi_status,
                          highs_ipx_objective=hi_obj, highs_ipx_seconds=hi_sec, ratio=ratio, rel_diff=rel,
                          passed=passed))

    print(f"\n{'model':19} {'rows':>7} {'cols':>7} {'nnz':>8} {'ours':>10} {'objective':>16} {'ours s':>8} "
          f"{'iter':>4} {'fact nnz':>9} {'dense':>5} {'simplex s':>9} {'IPX s':>8} {'ratio':>6} {'rel diff':>8} "
          f"{'pass':>4}")
    for r in table:
        print(f"{r['model']:19} {r['rows']:7d} {r['cols']:7d} {r['nnz']:8d} {r['status'][:10]:>10} "
              f"{fmt(r['objective'], '16.9e'):>16} {fmt(r['seconds'], '8.3f'):>8} {fmt(r['iterations'], '4d'):>4} "
              f"{fmt(r['factor_nonzeros'], '9d'):>9} {fmt(r['dense_columns'], '5d'):>5} "
              f"{fmt(r['highs_simplex_seconds'], '9.3f'):>9} {fmt(r['highs_ipx_seconds'], '8.3f'):>8} "
              f"{fmt(r['ratio'], '6.2f'):>6} {fmt(r['rel_diff'], '8.1e'):>8} {'yes' if r['passed'] else 'NO':>4}")
        for side in ("simplex", "ipx"):
            if not verdict(r[f"highs_{side}_status"]):
                print(f"{'':19} HiGHS {side}: {r[f'highs_{side}_status']}")
    passed = sum(1 for r in table if r["passed"])
    print(f"\n{passed} passed, {len(table) - passed} failed")
    print(f"geometric mean of ratios ours / faster HiGHS: {gmean(ratios):.2f} (over the {len(ratios)} passed of {len(table)} models)")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(table[0].keys()))
            w.writeheader()
            w.writerows(table)
finally:
    if binary:
        shutil.rmtree(os.path.dirname(binary), ignore_errors=True)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
sys.exit(exit_code)
