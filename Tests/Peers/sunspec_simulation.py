"""Simulated measurements of a SunSpec device (part of the sunspec_device.py peer).

Measured values change once per wall-clock second, computed lazily when the device is
read (so idle devices cost nothing), directly in pymodbus' live register list: inverter
W follows a smooth curve (capped by model 123's WMaxLimPct when WMaxLim_Ena=1, 0 when
Conn=0) and integrates into WH; meter W follows another curve (positive = import) into
TotWhImp/TotWhExp; battery W (model 802, positive = discharge) follows a curve, or model
124's StorCtl_Mod/InWRte/OutWRte when set, and moves SoC (802 SoC and 124 ChaState).
"""

from __future__ import annotations

import math
import struct
import time

from sunspec_registers import RegisterMap


class Simulator:
    """Changes measured values once per second, directly in the live register list."""

    def __init__(self, rmap: RegisterMap, phase: float):
        self.points = rmap.points
        self.phase = phase  # per-device offset so that devices differ
        self.last_tick = int(time.time())
        self.last_time = time.time()
        self.wh = {}  # fractional energy accumulators
        self.soc = None

    # raw access ------------------------------------------------------------------
    def _ref(self, mid, name):
        return self.points.get(mid, {}).get(name)

    def get(self, regs, mid, name):
        ref = self._ref(mid, name)
        if ref is None:
            return None
        raw = regs[ref.index:ref.index + ref.size]
        if ref.ptype in ("int16", "sunssf"):
            v = struct.unpack(">h", struct.pack(">H", raw[0]))[0]
            return None if v == -32768 else v
        if ref.ptype in ("uint16", "enum16", "bitfield16"):
            return None if raw[0] == 0xFFFF else raw[0]
        if ref.size == 2 and ref.ptype in ("acc32", "uint32"):
            return (raw[0] << 16) | raw[1]
        return raw[0]

    def sf(self, regs, mid, name, default=0):
        v = self.get(regs, mid, name)
        return default if v is None else v

    def put(self, regs, mid, name, value):
        ref = self._ref(mid, name)
        if ref is None:
            return
        v = int(round(value))
        if ref.ptype in ("int16", "sunssf"):
            v = max(-32767, min(32767, v)) & 0xFFFF
            regs[ref.index] = v
        elif ref.size == 1:
            regs[ref.index] = max(0, min(0xFFFE, v))
        elif ref.size == 2:
            v &= 0xFFFFFFFF
            regs[ref.index] = v >> 16
            regs[ref.index + 1] = v & 0xFFFF

    def put_scaled(self, regs, mid, name, physical, sf_name):
        if self._ref(mid, name) is None:
            return
        sf = self.sf(regs, mid, sf_name)
        self.put(regs, mid, name, physical / (10.0 ** sf))

    def scaled(self, regs, mid, name, sf_name, default=None):
        v = self.get(regs, mid, name)
        if v is None:
            return default
        return v * 10.0 ** self.sf(regs, mid, sf_name)

    def accumulate(self, regs, mid, name, sf_name, watts, dt):
        """Add watts*dt to an acc32 energy register (Wh, scaled)."""
        if self._ref(mid, name) is None or watts <= 0:
            return
        sf = self.sf(regs, mid, sf_name)
        key = (mid, name)
        self.wh[key] = self.wh.get(key, 0.0) + watts * dt / 3600.0 / (10.0 ** sf)
        whole = int(self.wh[key])
        if whole:
            self.wh[key] -= whole
            self.put(regs, mid, name, (self.get(regs, mid, name) or 0) + whole)

    # step ------------------------------------------------------------------------
    def maybe_step(self, regs):
        now = time.time()
        tick = int(now)
        if tick == self.last_tick:
            return
        dt = min(max(now - self.last_time, 0.0), 60.0)
        self.last_tick = tick
        self.last_time = now
        t = tick + self.phase
        self._inverter(regs, t, dt)
        self._meter(regs, t, dt)
        self._battery(regs, t, dt)

    def _rated_w(self, regs):
        for mid, name, sf_name in ((121, "WMax", "WMax_SF"), (120, "WRtg", "WRtg_SF")):
            v = self.scaled(regs, mid, name, sf_name)
            if v:
                return v
        return 10000.0

    def _inverter(self, regs, t, dt):
        mid = next((m for m in (103, 102, 101) if m in self.points), None)
        if mid is None:
            return
        rated = self._rated_w(regs)
        w = rated * (0.45 + 0.25 * math.sin(2 * math.pi * t / 300.0)
                     + 0.03 * math.sin(2 * math.pi * t / 17.0))
        state = 4  # MPPT
        if 123 in self.points:
            if self.get(regs, 123, "Conn") == 0:
                w, state = 0.0, 8  # STANDBY
            elif self.get(regs, 123, "WMaxLim_Ena") == 1:
                pct = self.scaled(regs, 123, "WMaxLimPct", "WMaxLimPct_SF", 100.0)
                cap = max(0.0, pct) / 100.0 * rated
                if w > cap:
                    w, state = cap, 5  # THROTTLED
        phases = mid - 100
        self.put_scaled(regs, mid, "W", w, "W_SF")
        self.put_scaled(regs, mid, "VA", w, "VA_SF")
        self.put_scaled(regs, mid, "DCW", w * 1.02, "DCW_SF")
        dcv = self.scaled(regs, mid, "DCV", "DCV_SF", 650.0)
        self.put_scaled(regs, mid, "DCA", w * 1.02 / dcv if dcv else 0.0, "DCA_SF")
        per_phase = w / phases / 230.0
        self.put_scaled(regs, mid, "A", per_phase * phases, "A_SF")
        for ph in ("A", "B", "C")[:phases]:
            self.put_scaled(regs, mid, f"Aph{ph}", per_phase, "A_SF")
        self.put_scaled(regs, mid, "Hz", 50.0 + 0.02 * math.sin(2 * math.pi * t / 37.0), "Hz_SF")
        self.put(regs, mid, "St", state)
        self.accumulate(regs, mid, "WH", "WH_SF", w, dt)

    def _meter(self, regs, t, dt):
        mid = next((m for m in (203, 204, 202, 201) if m in self.points), None)
        if mid is None:
            return
        w = 1500.0 + 2500.0 * math.sin(2 * math.pi * t / 240.0 + 1.0)
        phases = {201: 1, 202: 2, 203: 3, 204: 3}[mid]
        self.put_scaled(regs, mid, "W", w, "W_SF")
        for ph in ("A", "B", "C")[:phases]:
            self.put_scaled(regs, mid, f"Wph{ph}", w / phases, "W_SF")
            self.put_scaled(regs, mid, f"Aph{ph}", abs(w) / phases / 230.0, "A_SF")
        self.put_scaled(regs, mid, "A", abs(w) / 230.0, "A_SF")
        self.put_scaled(regs, mid, "VA", abs(w) * 1.03, "VA_SF")
        self.put_scaled(regs, mid, "Hz", 50.0 + 0.02 * math.sin(2 * math.pi * t / 37.0), "Hz_SF")
        self.accumulate(regs, mid, "TotWhImp", "TotWh_SF", w, dt)
        self.accumulate(regs, mid, "TotWhExp", "TotWh_SF", -w, dt)

    def _battery(self, regs, t, dt):
        has802, has124 = 802 in self.points, 124 in self.points
        if not (has802 or has124):
            return
        if self.soc is None:
            soc = self.scaled(regs, 802, "SoC", "SoC_SF") if has802 else None
            if soc is None:
                soc = self.scaled(regs, 124, "ChaState", "ChaState_SF", 50.0)
            self.soc = soc
        cha_max = self.scaled(regs, 124, "WChaMax", "WChaMax_SF") or \
            self.scaled(regs, 802, "WChaRteMax", "WChaDisChaMax_SF") or 5000.0
        dis_max = self.scaled(regs, 802, "WDisChaRteMax", "WChaDisChaMax_SF") or cha_max
        mode = self.get(regs, 124, "StorCtl_Mod") if has124 else None
        if mode:
            w = 0.0
            if mode & 1:  # CHARGE
                w -= (self.scaled(regs, 124, "InWRte", "InOutWRte_SF", 0.0) or 0.0) / 100.0 * cha_max
            if mode & 2:  # DISCHARGE
                w += (self.scaled(regs, 124, "OutWRte", "InOutWRte_SF", 0.0) or 0.0) / 100.0 * dis_max
        else:
            w = 0.6 * dis_max * math.sin(2 * math.pi * t / 180.0 + 2.0)
        if has802 and self.get(regs, 802, "SetOp") == 2:  # DISCONNECT
            w = 0.0
        soc_min = self.scaled(regs, 802, "SoCMin", "SoC_SF", 5.0) if has802 else 5.0
        soc_max = self.scaled(regs, 802, "SoCMax", "SoC_SF", 100.0) if has802 else 100.0
        if (w > 0 and self.soc <= soc_min) or (w < 0 and self.soc >= soc_max):
            w = 0.0
        capacity = self.scaled(regs, 802, "WHRtg", "WHRtg_SF") or \
            self.scaled(regs, 120, "WHRtg", "WHRtg_SF") or 10000.0
        self.soc = min(soc_max, max(soc_min, self.soc - w * dt / 3600.0 / capacity * 100.0))
        cha_st = 3 if w > 0 else 4 if w < 0 else 6  # DISCHARGING / CHARGING / HOLDING
        if has802:
            v = self.scaled(regs, 802, "V", "V_SF", 400.0) or 400.0
            self.put_scaled(regs, 802, "W", w, "W_SF")
            self.put_scaled(regs, 802, "A", w / v, "A_SF")
            self.put_scaled(regs, 802, "SoC", self.soc, "SoC_SF")
            self.put_scaled(regs, 802, "DoD", 100.0 - self.soc, "DoD_SF")
            self.put(regs, 802, "ChaSt", cha_st)
            self.put(regs, 802, "Hb", ((self.get(regs, 802, "Hb") or 0) + 1) % 65535)
        if has124:
            self.put_scaled(regs, 124, "ChaState", self.soc, "ChaState_SF")
            self.put(regs, 124, "ChaSt", cha_st)
