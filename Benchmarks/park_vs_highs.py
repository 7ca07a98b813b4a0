#!/usr/bin/env python3
"""Park dispatch LPs, ours against HiGHS on the same MPS, in one run, same machine.

    python3 Benchmarks/park_vs_highs.py [--sizes day,week,200,1000] [--threads 1]

For each case it writes the park LP with `flexdispatch run --write-mps` (the bundled
46-firm day, a generated 46-firm week of 672 steps, generated 200- and 1000-firm days),
then solves that MPS with `flexdispatch lp solve --json`, with HiGHS IPX
(`../shared/tools/lp_peer.py --solver ipm --crossover off`) and with HiGHS's dual simplex
(`--solver simplex`), each under `/usr/bin/time -v` for the peak resident memory. Prints
objectives (they must agree to 1e-6 relative), times (solve only, reading excluded), the
time ratio ours/IPX and ours/(the faster of IPX and simplex), and the memory ratio against
IPX. Reading the MPS file is timed apart: ours from `lp solve --json`'s `readSeconds`,
HiGHS's as `Highs.readModel` in this process when highspy is importable here.
HiGHS runs inside Python, so its memory includes the interpreter and highspy. Both
processes are also measured on a one-row LP first, and the memory ratio is printed a second
time above those baselines (what the solve itself adds).
"""
import argparse, json, os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("FLEXDISPATCH_SHARED", os.path.join(os.path.dirname(root), "shared"))
ap = argparse.ArgumentParser()
ap.add_argument("--sizes", default="day,week,200,1000")
ap.add_argument("--threads", type=int, default=1)
a = ap.parse_args()

subprocess.run(["swift", "build", "-c", "release", "--product", "flexdispatch"], cwd=root, check=True, stdout=subprocess.DEVNULL)
exe = os.path.join(root, ".build", "release", "flexdispatch")
work = tempfile.mkdtemp(prefix="fd-park-bench-")

def timed(cmd):
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return r, (int(rss.group(1)) / 1024 if rss else float("nan"))

tiny = os.path.join(work, "tiny.mps")
with open(tiny, "w") as f:
    f.write("NAME tiny\nROWS\n N obj\n G r\nCOLUMNS\n    x obj 1 r 1\nRHS\n    rhs r 1\nENDATA\n")
_, ours_base = timed([exe, "lp", "solve", tiny, "--json"])
_, peer_base = timed([sys.executable, os.path.join(shared, "tools", "lp_peer.py"), "--solver", "ipm",
                      "--crossover", "off", tiny])
print(f"baseline (a one-row LP): ours {ours_base:.0f} MB, HiGHS in Python {peer_base:.0f} MB", flush=True)

cases = []
for size in a.sizes.split(","):
    if size == "day":
        scenario = os.path.join(root, "datasets", "ordos-park")
    else:
        firms, days = (46, 7) if size == "week" else (int(size), 1)
        scenario = os.path.join(work, f"gen-{size}")
        subprocess.run([exe, "generate", "--firms", str(firms), "--days", str(days), "--seed", "2025", "--out", scenario],
                       check=True, capture_output=True)
    mps = os.path.join(work, f"{size}.mps")
    subprocess.run([exe, "run", scenario, "--out", os.path.join(work, f"out-{size}"), "--write-mps", mps, "--quiet"],
                   check=True, capture_output=True)
    ours, ours_mb = timed([exe, "lp", "solve", mps, "--json", "--threads", str(a.threads)])
    o = json.loads(ours.stdout)
    peer, peer_mb = timed([sys.executable, os.path.join(shared, "tools", "lp_peer.py"), "--solver", "ipm",
                           "--crossover", "off", "--threads", str(a.threads), mps])
    line = peer.stdout.strip().splitlines()[-1].split(",")
    h_obj, h_sec = float(line[2]), float(line[3])
    simplex, _ = timed([sys.executable, os.path.join(shared, "tools", "lp_peer.py"), "--solver", "simplex",
                        "--threads", str(a.threads), mps])
    s_line = simplex.stdout.strip().splitlines()[-1].split(",")
    s_obj, s_sec = float(s_line[2]), float(s_line[3])
    rel = max(abs(o["objective"] - h_obj), abs(o["objective"] - s_obj)) / max(1, abs(h_obj))
    read = ""
    try:
        import time, highspy
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        t0 = time.perf_counter()
        ok = h.readModel(mps) == highspy.HighsStatus.kOk
        h_read = time.perf_counter() - t0
        if ok and "readSeconds" in o:
            read = f" | read ours {o['readSeconds']:.3f} s, HiGHS {h_read:.3f} s, ratio {o['readSeconds'] / h_read:.2f}"
    except ImportError:
        pass
    cases.append((size, o, ours_mb, h_obj, h_sec, peer_mb, rel))
    print(f"{size:>5}: {o['rowsAfterPresolve']} rows × {o['columnsAfterPresolve']} cols after presolve | "
          f"ours {o['seconds']:.3f} s {o['iterations']} it {ours_mb:.0f} MB | HiGHS IPX {h_sec:.3f} s {peer_mb:.0f} MB, "
          f"simplex {s_sec:.3f} s | time ratio to IPX {o['seconds'] / h_sec:.2f}, to the faster "
          f"{o['seconds'] / min(h_sec, s_sec):.2f}, memory ratio {ours_mb / peer_mb:.2f} "
          f"({(ours_mb - ours_base) / max(peer_mb - peer_base, 1e-9):.2f} above the baselines) | objective rel. diff {rel:.1e}"
          + read + ("" if rel <= 1e-6 else "  MISMATCH"), flush=True)
bad = [c for c in cases if c[6] > 1e-6]
print(f"{len(cases) - len(bad)} passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
