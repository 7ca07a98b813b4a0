#!/usr/bin/env python3
"""Adapter-layer throughput: `flexdispatch feeds run` polling real SunSpec peers.

    .venv-peers/bin/python Benchmarks/feeds_throughput.py [--flexdispatch PATH]
        [--firms 46] [--devices-per-firm 4] [--seconds 30] [--rates 1,10]
        [--out out/feeds_throughput.csv]

Starts one Tests/Peers/sunspec_device.py process serving firms x devices-per-firm
simulated SunSpec devices (pymodbus, one port each), then for each polling rate r (polls
per second per device; 1 = the nominal 1 s polling) writes a feeds configuration and runs
`flexdispatch feeds run CONFIG --db FRESH.sqlite --duration SECONDS --json`. Per firm the
devices are a meter (203.W, 203.TotWhImp), a PV inverter (103.W, 103.WH, 103.Hz), a
battery (802.SoC, 802.W, 124.ChaState) and a process meter (203.W); more devices per firm
repeat the cycle.

Measured per rate: polls/s achieved (successful polls / seconds) against the target
(devices x r), failed polls, samples stored per second (counted in the store with SQLite)
against the target, flexdispatch's CPU time (utime + stime from /proc while it runs;
the exact total from wait4's rusage at exit) as % of one core and of the machine, its
peak RSS (VmHWM; ru_maxrss at exit), the peer's CPU, and the whole machine's busy share
(from /proc/stat, so that other load on the machine shows). The verdict names the
highest rate that reached 95 % of its target polls/s with no failed poll.

The binary: --flexdispatch, else .build/release/flexdispatch when it exists and is newer
than .build/debug/flexdispatch, else the debug one (printed; the script does not build).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(ROOT, "Tests", "Peers", "sunspec_device.py")
TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1

# Device kinds, cycled through per firm: (kind, {"MODEL.POINT": (series suffix, series unit, min, max)}).
# The series units differ from the points' SunSpec units where a conversion exists
# (W -> kW, Wh -> kWh, % -> pu), so that conversion is part of what is measured.
KINDS = [
    ("meter", {"203.W": ("meter_w", "kW", -100000, 100000),
               "203.TotWhImp": ("meter_imp", "kWh", 0, 1e9)}),
    ("pv", {"103.W": ("pv_w", "kW", -100000, 100000),
            "103.WH": ("pv_wh", "kWh", 0, 1e9),
            "103.Hz": ("pv_hz", "Hz", 45, 55)}),
    ("battery", {"802.SoC": ("bat_soc", "%", 0, 100),
                 "802.W": ("bat_w", "kW", -100000, 100000),
                 "124.ChaState": ("bat_chastate", "pu", 0, 1)}),
    ("process", {"203.W": ("proc_w", "kW", -100000, 100000)}),
]


def build_config(firms: int, per_firm: int, base_port: int, rate: float) -> tuple[dict, int]:
    """The feeds configuration and the number of samples one round of polls yields."""
    series, feeds, samples = [], [], 0
    port = base_port
    for f in range(1, firms + 1):
        for d in range(per_firm):
            kind, points = KINDS[d % len(KINDS)]
            tag = kind if d < len(KINDS) else f"{kind}{d // len(KINDS) + 1}"
            mapping = {}
            for key, (suffix, unit, lo, hi) in points.items():
                name = f"f{f:02d}_{suffix}" if d < len(KINDS) else f"f{f:02d}_{suffix}{d // len(KINDS) + 1}"
                series.append({"name": name, "unit": unit, "min": lo, "max": hi, "maxAgeDays": 1})
                mapping[key] = {"series": name}
            feeds.append({"type": "modbus", "name": f"f{f:02d}-{tag}", "host": "127.0.0.1", "port": port,
                          "unitID": 1, "pollSeconds": 1.0 / rate, "timeoutSeconds": 2, "retries": 1,
                          "points": mapping})
            samples += len(mapping)
            port += 1
    return {"series": series, "feeds": feeds}, samples


def free_port_block(n: int) -> int:
    """A first port P such that P..P+n-1 are free on 127.0.0.1 right now."""
    for _ in range(50):
        base = random.randint(20000, 60000 - n)
        try:
            for p in range(base, base + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
    raise SystemExit("feeds_throughput: no free block of ports found")


def choose_binary(given: str | None) -> tuple[str, str]:
    if given:
        return os.path.abspath(given), "given"
    release = os.path.join(ROOT, ".build", "release", "flexdispatch")
    debug = os.path.join(ROOT, ".build", "debug", "flexdispatch")
    if os.path.exists(release) and (not os.path.exists(debug) or os.path.getmtime(release) > os.path.getmtime(debug)):
        return release, "release"
    if os.path.exists(debug):
        return debug, "debug"
    raise SystemExit("feeds_throughput: no .build/{release,debug}/flexdispatch; build it first or pass --flexdispatch")


def newest_source(root: str) -> float:
    newest = os.path.getmtime(os.path.join(root, "Package.swift"))
    for d, _, files in os.walk(os.path.join(root, "Sources")):
        for f in files:
            newest = max(newest, os.path.getmtime(os.path.join(d, f)))
    return newest


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a live process (all its threads), from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # fields 14 and 15 of stat(5)
    except (OSError, IndexError):
        return None


def status_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def machine_times() -> tuple[int, int]:
    """(busy, total) jiffies over all cores, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v[:8]) - idle, sum(v[:8])


class Peer:
    """The SunSpec device peer, one process for all devices."""

    def __init__(self, devices: int, log_path: str):
        self.devices = devices
        self.log_path = log_path
        self.proc = None
        self.port = 0

    def start(self) -> None:
        for _ in range(5):
            self.port = free_port_block(self.devices)
            with open(self.log_path, "w") as log:  # a file, not a pipe nobody drains
                self.proc = subprocess.Popen([sys.executable, PEER, "--port", str(self.port), "--devices",
                                              str(self.devices), "--simulate"], stdout=subprocess.PIPE, stderr=log,
                                             text=True, start_new_session=True)
            line = self.proc.stdout.readline().strip()  # READY, or "" when it exits
            if line == f"READY {self.port} {self.devices}":
                return
            self.proc.wait(timeout=10)
            with open(self.log_path) as log:
                err = log.read()
            if "Could not start listen" not in err:
                raise SystemExit(f"feeds_throughput: the peer did not start: {line!r} {err.strip()}")
        raise SystemExit("feeds_throughput: the peer could not get a free block of ports")

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid) or 0.0

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


LOG_LINE = re.compile(r"^\S+ (trace|debug|info|notice|warning|error|critical) (\S+) ?: (?:\[[^\]]*\] )?(.*)$")


def summarise_log(path: str) -> tuple[dict, list[str]]:
    """Counts of log lines per level, and the distinct warning/error messages (numbers masked)."""
    levels, distinct = {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            m = LOG_LINE.match(line.rstrip("\n"))
            level, msg = (m.group(1), m.group(3)) if m else ("other", line.strip())
            levels[level] = levels.get(level, 0) + 1
            if level in ("warning", "error", "critical", "other") and msg:
                key = re.sub(r"\d+", "N", msg)
                distinct.setdefault(key, [0, msg])[0] += 1
    return levels, [f"{n} x {msg}" for n, msg in sorted(distinct.values(), reverse=True)]


def run_rate(exe: str, peer: Peer, args, rate: float, work: str) -> dict:
    config, samples_per_round = build_config(args.firms, args.devices_per_firm, peer.port, rate)
    tag = f"{rate:g}x"
    cfg_path = os.path.join(work, f"feeds-{tag}.json")
    db = os.path.join(work, f"feeds-{tag}.sqlite")
    log_path = os.path.join(work, f"feeds-{tag}.log")
    with open(cfg_path, "w") as f:
        json.dump(config, f, indent=1)
    peer_cpu0, (busy0, total0) = peer.cpu(), machine_times()
    t0 = time.monotonic()
    with open(os.path.join(work, f"feeds-{tag}.out"), "w+") as out, open(log_path, "w") as log:
        proc = subprocess.Popen([exe, "feeds", "run", cfg_path, "--db", db, "--duration", str(args.seconds), "--json"],
                                stdout=out, stderr=log, start_new_session=True)
        try:
            cpu_seen, hwm = 0.0, 0
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                cpu_seen = cpu_seconds(proc.pid) or cpu_seen
                hwm = max(hwm, status_kb(proc.pid, "VmHWM") or 0)
                time.sleep(0.25)
        except BaseException:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                proc.wait()
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - t0
        peer_cpu, (busy1, total1) = peer.cpu() - peer_cpu0, machine_times()
        out.seek(0)
        lines = [ln for ln in out.read().splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        with open(log_path) as f:
            tail = f.read()[-2000:]
        raise SystemExit(f"feeds_throughput: flexdispatch exited {proc.returncode} at {tag}:\n{tail}")
    stats = json.loads(lines[-1])
    with sqlite3.connect(db) as con:
        stored = con.execute("SELECT COUNT(*) FROM measurements").fetchone()[0]
        per_series = [n for (n,) in con.execute("SELECT COUNT(*) FROM measurements GROUP BY series")]
        events = dict(con.execute("SELECT kind, COUNT(*) FROM feed_events GROUP BY kind").fetchall())
    fd_cpu = usage.ru_utime + usage.ru_stime  # exact, including the last moments /proc no longer shows
    seconds = stats["seconds"]
    devices = stats["devices"]
    ok_polls = stats["polls"] - stats["pollErrors"]
    levels, messages = summarise_log(log_path)
    return {
        "rate": rate, "devices": devices, "seconds": round(seconds, 2),
        "target_polls_s": devices * rate, "polls_s": ok_polls / seconds,
        "polls": stats["polls"], "failed_polls": stats["pollErrors"],
        "samples_s": stored / seconds, "target_samples_s": samples_per_round * rate,
        "ratio": ok_polls / seconds / (devices * rate),
        "stored": stored, "accepted": stats["accepted"], "duplicates": stats["duplicates"],
        "rejected": stats["rejected"], "malformed": stats["malformed"], "flushes": stats["flushes"],
        "series_min_s": min(per_series, default=0) / seconds, "series_max_s": max(per_series, default=0) / seconds,
        "fd_cpu_s": round(fd_cpu, 2), "fd_cpu_proc_s": round(cpu_seen, 2),
        "fd_core_pct": 100 * fd_cpu / wall, "fd_machine_pct": 100 * fd_cpu / wall / CORES,
        "fd_peak_rss_mb": max(hwm, usage.ru_maxrss) / 1024, "peer_core_pct": 100 * peer_cpu / wall,
        "machine_busy_pct": 100 * (busy1 - busy0) / max(1, total1 - total0),
        "log_levels": levels, "log_messages": messages, "events": events,
    }


COLUMNS = [  # (header, key, format)
    ("rate", "rate", "{:g}x"), ("devices", "devices", "{}"), ("target polls/s", "target_polls_s", "{:.0f}"),
    ("polls/s", "polls_s", "{:.1f}"), ("failed", "failed_polls", "{}"), ("samples/s", "samples_s", "{:.1f}"),
    ("target samples/s", "target_samples_s", "{:.0f}"), ("achieved/target", "ratio", "{:.3f}"),
    ("fd CPU % core", "fd_core_pct", "{:.1f}"), (f"fd CPU % of {CORES} cores", "fd_machine_pct", "{:.1f}"),
    ("fd peak RSS MB", "fd_peak_rss_mb", "{:.1f}"), ("peer CPU % core", "peer_core_pct", "{:.1f}"),
    ("machine busy %", "machine_busy_pct", "{:.1f}"),
]


def print_table(rows: list[dict]) -> None:
    cells = [[h for h, _, _ in COLUMNS]] + [[fmt.format(r[k]) for _, k, fmt in COLUMNS] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    for n, c in enumerate(cells):
        print("| " + " | ".join(v.rjust(w) for v, w in zip(c, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--flexdispatch", help="the binary (default: the newer of .build/release and .build/debug)")
    ap.add_argument("--firms", type=int, default=46)
    ap.add_argument("--devices-per-firm", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--rates", default="1,10", help="polls per second per device, comma-separated (1 = nominal)")
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "feeds_throughput.csv"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (configurations, stores, logs)")
    args = ap.parse_args()
    # Ctrl-C and SIGTERM end the run cleanly (the peer and flexdispatch are stopped by PID),
    # even when started from a shell that had SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    if args.firms < 1 or args.devices_per_firm < 1 or not rates or min(rates) <= 0:
        ap.error("--firms, --devices-per-firm and --rates must be positive")
    exe, kind = choose_binary(args.flexdispatch)
    print(f"flexdispatch: {exe} ({kind} build, {time.strftime('%Y-%m-%d %H:%M', time.localtime(os.path.getmtime(exe)))})")
    if kind != "given" and newest_source(ROOT) > os.path.getmtime(exe):
        print("  note: Sources/ has files newer than this binary; it may be stale")
    devices = args.firms * args.devices_per_firm
    work = tempfile.mkdtemp(prefix="fd-feeds-bench-")
    peer = Peer(devices, os.path.join(work, "peer.log"))
    rows = []
    try:
        peer.start()
        print(f"peer: {devices} SunSpec devices ({args.firms} firms x {args.devices_per_firm}) on 127.0.0.1:"
              f"{peer.port}-{peer.port + devices - 1}, pid {peer.proc.pid}; {CORES} cores; {args.seconds:g} s per rate",
              flush=True)
        for rate in rates:
            r = run_rate(exe, peer, args, rate, work)
            rows.append(r)
            print(f"  {rate:g}x: {r['polls']} polls ({r['failed_polls']} failed), {r['stored']} stored "
                  f"(flexdispatch: {r['accepted']} new, {r['duplicates']} duplicates, {r['rejected']} rejected, "
                  f"{r['flushes']} flushes), per series {r['series_min_s']:.2f}-{r['series_max_s']:.2f}/s, "
                  f"fd CPU {r['fd_cpu_s']} s (/proc saw {r['fd_cpu_proc_s']} s), log {r['log_levels']}, "
                  f"feed events {r['events'] or '{}'}", flush=True)
            for msg in r["log_messages"][:5]:
                print(f"      log: {msg[:200]}")
            if r["stored"] != r["accepted"]:
                print(f"      MISMATCH: the store holds {r['stored']}, flexdispatch reported {r['accepted']} new")
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        peer.stop()
        if os.path.exists(peer.log_path):
            with open(peer.log_path) as f:
                peer_log = f.read().strip()
            if peer_log:
                print(f"peer stderr ({len(peer_log.splitlines())} lines): {peer_log[:500]}")
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print_table(rows)
    ok = [r["rate"] for r in rows if r["ratio"] >= 0.95 and r["failed_polls"] == 0]
    nominal = min(rows, key=lambda r: r["rate"])
    if ok:
        best = max(ok)
        print(f"\nverdict: keeps up with {best:g}x the nominal rate (1 poll/s per device): "
              f"{best * nominal['devices']:.0f} polls/s, {best * nominal['target_samples_s'] / nominal['rate']:.0f} samples/s "
              f"({'meets' if best >= 10 else 'below'} the 10x requirement)")
    else:
        print("\nverdict: did not keep up with any of the rates tried")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    keys = [k for k in rows[0] if k not in ("log_levels", "log_messages", "events")] if rows else []
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["binary", "build", "cores"] + keys)
        for r in rows:
            w.writerow([exe, kind, CORES] + [round(r[k], 4) if isinstance(r[k], float) else r[k] for k in keys])
    print(f"written: {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
