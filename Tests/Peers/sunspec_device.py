#!/usr/bin/env python3
"""SunSpec Modbus TCP device simulator (test peer for FlexDispatch's SunSpec adapter).

One process serves one or more independent SunSpec devices on 127.0.0.1, each on its
own port (P, P+1, ..., P+N-1) with its own register map, all in one asyncio loop.

    sunspec_device.py --port P [--devices N] [--models 1,103,120,123,124,802,203]
                      [--base 40000] [--unit-id 1]
                      [--fault none|timeout|exception|bad-marker]
                      [--values FILE.json] [--simulate] [-v]

Built on PyPI's pymodbus (server, framing, PDUs, SimDevice datastore; written against
pymodbus 3.16.1) and pysunspec2 (model definitions and point encoders; 1.3.7).

Register map (holding registers; FC 4 reads the same map):
  base:      "SunS" (0x5375 0x6E53), or "SunT" with --fault bad-marker
  base + 2:  each model in order: [ID, L, points...], L = fixed-block length from the
             model's definition (repeating groups whose count is a point are given 0
             instances and that point reads 0)
  then:      end model 0xFFFF 0x0000
Nothing else is mapped: any address outside the map is exception 2 (so 0 and 50000
are not SunSpec either). Points not given a value read as SunSpec's "not implemented"
value of their type (pysunspec2's table; pad reads 0x8000).

Access: writes (FC 6, FC 16) to registers of points whose definition says "RW" are
stored; writes touching any read-only register, or outside the map, get exception 2.
Function codes other than 3, 4, 6, 16 get exception 1; a request of a supported code
that does not decode (e.g. a count over 125) gets exception 3. Every unit id is answered
(0, 1, 255, ...); responses echo the request's unit id and transaction id.

--values FILE.json: {"103": {"W": 4200, "W_SF": 0}, "1": {"SN": "X"}} raw register
values (before scale factors) per model id, applied to every instance of that model.

--simulate: measured values change once per wall-clock second (computed lazily when
the device is read, so idle devices cost nothing): inverter W follows a smooth curve
(capped by model 123's WMaxLimPct when WMaxLim_Ena=1, 0 when Conn=0) and integrates
into WH; meter W follows another curve (positive = import) into TotWhImp/TotWhExp;
battery W (model 802, positive = discharge) follows a curve, or model 124's
StorCtl_Mod/InWRte/OutWRte when set, and moves SoC (802 SoC and 124 ChaState).

Faults: timeout = accept connections, never answer; exception = every request gets
exception 4 (server device failure); bad-marker = "SunT" at base.

Prints exactly one line "READY <first-port> <N>" on stdout once all ports listen;
everything else (only with -v, or errors) goes to stderr. SIGTERM/SIGINT exit 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import signal
import struct
import sys
import time

from pymodbus.constants import ExcCodes
from pymodbus.exceptions import ModbusIOException
from pymodbus.pdu import ExceptionResponse
from pymodbus.server import ModbusTcpServer
from pymodbus.server.requesthandler import ServerRequestHandler
from pymodbus.simulator import DataType, SimData, SimDevice

import sunspec2
import sunspec2.device as ss_device
import sunspec2.mb as ss_mb
import sunspec2.mdef as ss_mdef

# Only the definitions shipped in the package (pysunspec2 also looks in the current
# directory first by default).
ss_device.set_model_defs_path([os.path.join(os.path.dirname(sunspec2.__file__), "models")])

SUPPORTED_FUNCTION_CODES = (3, 4, 6, 16)
DEFAULT_MODELS = "1,103,120,123,124,802,203"
MARKER = (0x5375, 0x6E53)  # "SunS"
BAD_MARKER = (0x5375, 0x6E54)  # "SunT"
END_MODEL = (0xFFFF, 0x0000)

log = logging.getLogger("sunspec_device")

# ---------------------------------------------------------------------------------------
# Default point values (raw register units)
# ---------------------------------------------------------------------------------------


def _inverter_defaults(phases: int) -> dict:
    w = 4200
    a_phase = w / phases / 230.0
    v = {
        "A": round(a_phase * phases * 100), "A_SF": -2,
        "AphA": round(a_phase * 100),
        "PhVphA": 2300, "V_SF": -1,
        "W": w, "W_SF": 0,
        "Hz": 5000, "Hz_SF": -2,
        "VA": w, "VA_SF": 0,
        "VAr": 0, "VAr_SF": 0,
        "PF": 1000, "PF_SF": -1,
        "WH": 1234567, "WH_SF": 0,
        "DCA": 660, "DCA_SF": -2,
        "DCV": 6500, "DCV_SF": -1,
        "DCW": 4290, "DCW_SF": 0,
        "TmpCab": 452, "TmpSnk": 510, "Tmp_SF": -1,
        "St": 4,  # MPPT
        "Evt1": 0, "Evt2": 0,
    }
    if phases >= 2:
        v.update({"AphB": round(a_phase * 100), "PhVphB": 2300, "PPVphAB": 4600})
    if phases == 3:
        v.update({"AphC": round(a_phase * 100), "PhVphC": 2300,
                  "PPVphAB": 3984, "PPVphBC": 3984, "PPVphCA": 3984})
    return v


def _meter_defaults(phases: int) -> dict:
    w = 1500
    per = w // phases
    v = {
        "A": round(w / 230.0 * 100), "A_SF": -2,
        "PhV": 2300, "V_SF": -1,
        "Hz": 5000, "Hz_SF": -2,
        "W": w, "W_SF": 0,
        "VA": 1550, "VA_SF": 0,
        "VAR": 200, "VAR_SF": 0,
        "PF": 968, "PF_SF": -1,
        "TotWhExp": 500000, "TotWhImp": 2000000, "TotWh_SF": 0,
        "Evt": 0,
    }
    names = ("A", "B", "C")[:phases]
    for ph in names:
        v[f"Aph{ph}"] = round(per / 230.0 * 100)
        v[f"PhVph{ph}"] = 2300
        v[f"Wph{ph}"] = per
    if phases == 3:
        v.update({"PPV": 3984, "PhVphAB": 3984, "PhVphBC": 3984, "PhVphCA": 3984,
                  "PPVphAB": 3984, "PPVphBC": 3984, "PPVphCA": 3984})
    return v


def default_values(model_id: int, port: int, unit_id: int, model_ids: list[int]) -> dict:
    """Realistic raw values for the points of a model (others read "not implemented")."""
    if model_id == 1:
        return {"Mn": "FlexDispatchSim", "Md": "SimDevice", "Vr": "1.0.0",
                "SN": f"SIM-{port}", "DA": unit_id}
    if model_id in (101, 102, 103):
        return _inverter_defaults(model_id - 100)
    if model_id == 120:
        storage = 124 in model_ids or 802 in model_ids
        return {
            "DERTyp": 82 if storage else 4,  # PV_STOR / PV
            "WRtg": 10000, "WRtg_SF": 0,
            "VARtg": 10000, "VARtg_SF": 0,
            "VArRtgQ1": 5000, "VArRtgQ2": 5000, "VArRtgQ3": -5000, "VArRtgQ4": -5000,
            "VArRtg_SF": 0,
            "ARtg": 160, "ARtg_SF": -1,
            "PFRtgQ1": 800, "PFRtgQ2": 800, "PFRtgQ3": -800, "PFRtgQ4": -800, "PFRtg_SF": -3,
            "WHRtg": 10000, "WHRtg_SF": 0,
            "AhrRtg": 200, "AhrRtg_SF": 0,
            "MaxChaRte": 5000, "MaxChaRte_SF": 0,
            "MaxDisChaRte": 5000, "MaxDisChaRte_SF": 0,
        }
    if model_id == 121:
        return {"WMax": 10000, "WMax_SF": 0, "VRef": 2300, "VRef_SF": -1,
                "VRefOfs": 0, "VRefOfs_SF": 0, "VMax": 2530, "VMin": 2070, "VMinMax_SF": -1,
                "VAMax": 10000, "VAMax_SF": 0, "WGra": 100, "WGra_SF": 0,
                "ECPNomHz": 5000, "ECPNomHz_SF": -2, "ConnPh": 1}
    if model_id == 123:
        return {
            "Conn_WinTms": 0, "Conn_RvrtTms": 0, "Conn": 1,
            "WMaxLimPct": 100, "WMaxLimPct_WinTms": 0, "WMaxLimPct_RvrtTms": 0,
            "WMaxLimPct_RmpTms": 0, "WMaxLim_Ena": 0,
            "OutPFSet": 1000, "OutPFSet_WinTms": 0, "OutPFSet_RvrtTms": 0,
            "OutPFSet_RmpTms": 0, "OutPFSet_Ena": 0,
            "VArWMaxPct": 0, "VArMaxPct": 0, "VArAvalPct": 0,
            "VArPct_WinTms": 0, "VArPct_RvrtTms": 0, "VArPct_RmpTms": 0,
            "VArPct_Mod": 1, "VArPct_Ena": 0,
            "WMaxLimPct_SF": 0, "OutPFSet_SF": -3, "VArPct_SF": 0,
        }
    if model_id == 124:
        return {
            "WChaMax": 5000, "WChaMax_SF": 0,
            "WChaGra": 100, "WDisChaGra": 100, "WChaDisChaGra_SF": 0,
            "StorCtl_Mod": 0,
            "VAChaMax": 5000, "VAChaMax_SF": 0,
            "MinRsvPct": 100, "MinRsvPct_SF": -1,
            "ChaState": 5000, "ChaState_SF": -2,
            "StorAval": 1000, "StorAval_SF": -1,
            "InBatV": 4000, "InBatV_SF": -1,
            "ChaSt": 6,  # HOLDING
            "OutWRte": 0, "InWRte": 0, "InOutWRte_SF": -2,
            "InOutWRte_WinTms": 0, "InOutWRte_RvrtTms": 0, "InOutWRte_RmpTms": 0,
            "ChaGriSet": 1,  # GRID
        }
    if model_id in (201, 202, 203, 204):
        return _meter_defaults({201: 1, 202: 2, 203: 3, 204: 3}[model_id])
    if model_id == 802:
        return {
            "AHRtg": 200, "AHRtg_SF": 0,
            "WHRtg": 10000, "WHRtg_SF": 0,
            "WChaRteMax": 5000, "WDisChaRteMax": 5000, "WChaDisChaMax_SF": 0,
            "SoCMax": 10000, "SoCMin": 500, "SocRsvMax": 10000, "SoCRsvMin": 1000,
            "SoC": 5000, "SoC_SF": -2,  # 0.01 % steps: 1 Wh of the 10 kWh battery
            "DoD": 500, "DoD_SF": -1,
            "SoH": 980, "SoH_SF": -1,
            "NCyc": 123,
            "ChaSt": 6,  # HOLDING
            "LocRemCtl": 0,  # REMOTE
            "Hb": 0, "CtrlHb": 0, "AlmRst": 0,
            "Typ": 4,  # LITHIUM_ION
            "State": 3,  # CONNECTED
            "Evt1": 0, "Evt2": 0, "EvtVnd1": 0, "EvtVnd2": 0,
            "V": 4000, "VMax": 4500, "VMin": 3500, "V_SF": -1,
            "CellVMax": 3350, "CellVMin": 3300, "CellVAvg": 3320, "CellV_SF": -3,
            "A": 0, "A_SF": -1,
            "AChaMax": 125, "ADisChaMax": 125, "AMax_SF": -1,
            "W": 0, "W_SF": 0,
            "ReqInvState": 0,
            "SetOp": 1, "SetInvState": 3,
        }
    return {}


# ---------------------------------------------------------------------------------------
# Register encoding
# ---------------------------------------------------------------------------------------

def _bytes_to_regs(data: bytes) -> list[int]:
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def encode_point(ptype: str, size: int, value) -> list[int]:
    """Registers of a point value (None = not implemented), via pysunspec2's encoders."""
    nbytes = size * 2
    if value is None:
        if ptype == ss_mdef.TYPE_PAD:
            data = b"\x80\x00"  # SunSpec: pad reads 0x8000
        else:
            data = ss_mb.create_unimpl_value(ptype, len=nbytes)
    else:
        data = ss_mb.point_type_info[ptype].to_data(value, nbytes)
    data = bytes(data)
    if len(data) != nbytes:
        raise ValueError(f"{ptype} value {value!r} encodes to {len(data)} bytes, expected {nbytes}")
    return _bytes_to_regs(data)


def point_size(pdef: dict) -> int:
    size = pdef.get(ss_mdef.SIZE)
    if size is None:
        size = ss_mdef.point_type_info[pdef[ss_mdef.TYPE]]["len"]
    return int(size)


# ---------------------------------------------------------------------------------------
# Register map
# ---------------------------------------------------------------------------------------


class PointRef:
    __slots__ = ("index", "ptype", "size")

    def __init__(self, index: int, ptype: str, size: int):
        self.index = index  # register index from the map's base address
        self.ptype = ptype
        self.size = size


class RegisterMap:
    """The register image of one device: values and a writable flag per register."""

    def __init__(self, model_ids, base, unit_id, port, overrides, bad_marker):
        self.base = base
        self.regs: list[int] = list(BAD_MARKER if bad_marker else MARKER)
        self.writable: list[bool] = [False, False]
        self.points: dict[int, dict[str, PointRef]] = {}  # first instance of each model
        self.layout: list[tuple[int, int, int]] = []  # (model id, address of ID, L)
        for mid in model_ids:
            self._add_model(mid, port, unit_id, model_ids, overrides.get(mid, {}))
        self.regs += END_MODEL
        self.writable += [False, False]

    def _add_model(self, mid, port, unit_id, model_ids, override):
        mdef = ss_device.get_model_def(mid)
        top = mdef[ss_mdef.GROUP]
        start = len(self.regs)
        refs: dict[str, PointRef] = {}
        values = default_values(mid, port, unit_id, model_ids)
        unknown = set(override) - {p[ss_mdef.NAME] for p in top[ss_mdef.POINTS]}
        if unknown:
            raise SystemExit(f"sunspec_device: --values: model {mid} has no point(s) {sorted(unknown)}")
        values.update(override)
        # Repeating groups: a fixed count is laid out; a count given by a point is 0.
        zero_counts = {g.get(ss_mdef.COUNT) for g in top.get(ss_mdef.GROUPS, [])
                       if isinstance(g.get(ss_mdef.COUNT), str)}
        for name in zero_counts:
            values.setdefault(name, 0)
        self._add_group(top, values, refs, top_level=True)
        length = len(self.regs) - start - 2
        self.regs[start] = mid
        self.regs[start + 1] = length
        self.layout.append((mid, self.base + start, length))
        self.points.setdefault(mid, refs)

    def _add_group(self, gdef, values, refs, top_level):
        for pdef in gdef[ss_mdef.POINTS]:
            name, ptype = pdef[ss_mdef.NAME], pdef[ss_mdef.TYPE]
            size = point_size(pdef)
            value = values.get(name) if top_level else None
            if name in (ss_mdef.MODEL_ID_POINT_NAME, ss_mdef.MODEL_LEN_POINT_NAME) and top_level:
                value = 0  # filled in by _add_model
            regs = encode_point(ptype, size, value)
            if top_level:
                refs[name] = PointRef(len(self.regs), ptype, size)
            self.regs += regs
            self.writable += [pdef.get(ss_mdef.ACCESS, ss_mdef.ACCESS_R) == ss_mdef.ACCESS_RW] * size
        for sub in gdef.get(ss_mdef.GROUPS, []):
            count = sub.get(ss_mdef.COUNT, 1)
            if isinstance(count, str):
                try:
                    count = int(count, 0)
                except ValueError:
                    count = 0  # count given by a point: no instances
            for _ in range(count):
                self._add_group(sub, {}, refs, top_level=False)

    def simdata(self) -> list[SimData]:
        """Runs of registers with the same access as pymodbus SimData blocks."""
        blocks = []
        i = 0
        n = len(self.regs)
        while i < n:
            j = i
            while j < n and self.writable[j] == self.writable[i]:
                j += 1
            blocks.append(SimData(self.base + i, values=self.regs[i:j],
                                  datatype=DataType.REGISTERS, readonly=not self.writable[i]))
            i = j
        return blocks


# ---------------------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# pymodbus server glue
# ---------------------------------------------------------------------------------------


def _mbap_frame_len(data: bytes) -> int:
    return int.from_bytes(data[4:6], "big") + 6 if len(data) >= 6 else len(data)


class SunSpecRequestHandler(ServerRequestHandler):
    """Per-connection handler.

    Differs from pymodbus' own in three ways: every complete frame in the receive buffer
    is handled (pymodbus handles one per TCP segment and keeps one "last" request, so
    pipelined requests stall or get the wrong answer), responses are written without
    clearing the receive buffer (pymodbus' send() does), and the fault modes and the
    function-code filter are applied before the datastore is touched.
    """

    def callback_data(self, data: bytes, addr: tuple | None = None) -> int:
        peer: DevicePeer = self.server.peer
        if peer.fault == "timeout":
            return len(data)  # swallow everything, never answer
        consumed = 0
        while consumed < len(data):
            chunk = data[consumed:]
            try:
                used, pdu = self.framer.handleFrame(chunk, 0, 0)
            except ModbusIOException as exc:
                # A complete frame that does not decode: unknown function code
                # (exception 1), or a supported one with bad fields (exception 3).
                used = _mbap_frame_len(chunk)
                fc = chunk[7] & 0x7F if len(chunk) > 7 else 0
                code = (ExcCodes.ILLEGAL_VALUE if fc in SUPPORTED_FUNCTION_CODES
                        else ExcCodes.ILLEGAL_FUNCTION)
                self._write(ExceptionResponse(fc, code), exc.dev_id, exc.transaction_id)
                consumed += used
                continue
            if not used:
                break  # incomplete frame: wait for more data
            consumed += used
            if pdu is not None:
                task = self.loop.create_task(self._serve(pdu))
                peer.tasks.add(task)
                task.add_done_callback(peer.tasks.discard)
        return consumed

    async def _serve(self, pdu) -> None:
        peer: DevicePeer = self.server.peer
        fc = pdu.function_code
        if fc not in SUPPORTED_FUNCTION_CODES:
            response = ExceptionResponse(fc, ExcCodes.ILLEGAL_FUNCTION)
        elif peer.fault == "exception":
            response = ExceptionResponse(fc, ExcCodes.DEVICE_FAILURE)
        else:
            try:
                response = await pdu.datastore_update(self.server.context, pdu.dev_id)
            except Exception:  # pylint: disable=broad-except
                log.exception("request failed: %s", pdu)
                response = ExceptionResponse(fc, ExcCodes.DEVICE_FAILURE)
        self._write(response, pdu.dev_id, pdu.transaction_id)

    def _write(self, response, dev_id: int, tid: int) -> None:
        response.dev_id = dev_id
        response.transaction_id = tid
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(self.framer.buildFrame(response))


class SunSpecTcpServer(ModbusTcpServer):
    def __init__(self, peer: "DevicePeer", **kwargs):
        super().__init__(**kwargs)
        self.peer = peer

    def callback_new_connection(self):
        return SunSpecRequestHandler(self, self.trace_packet, self.trace_pdu, self.trace_connect)


class DevicePeer:
    """One simulated device on one port."""

    def __init__(self, port, args, overrides, index):
        self.port = port
        self.fault = args.fault
        self.tasks: set = set()
        self.map = RegisterMap(args.models, args.base, args.unit_id, port, overrides,
                               bad_marker=args.fault == "bad-marker")
        self.sim = Simulator(self.map, phase=index * 7.3) if args.simulate else None
        device = SimDevice(0, simdata=self.map.simdata(), action=self._action)  # id 0: any unit id
        self.server = SunSpecTcpServer(self, context=device, address=("127.0.0.1", port))

    async def _action(self, function_code, start_address, address, count, registers, set_values):
        # Called by pymodbus' SimRuntime with the live register list once the address
        # and access checks passed; the simulation updates it in place.
        if self.sim is not None:
            self.sim.maybe_step(registers)
        return None


def parse_models(text: str) -> list[int]:
    try:
        models = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise SystemExit(f"sunspec_device: --models: not a comma-separated list of model ids: {text}")
    for mid in models:
        try:
            ss_device.get_model_def(mid)
        except ss_mdef.ModelDefinitionError as exc:
            raise SystemExit(f"sunspec_device: --models: {exc}")
    return models


def load_overrides(path: str | None) -> dict[int, dict]:
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    if not isinstance(raw, dict):
        raise SystemExit("sunspec_device: --values: expected a JSON object keyed by model id")
    return {int(k): dict(v) for k, v in raw.items()}


async def serve(args) -> int:
    overrides = load_overrides(args.values)
    peers = [DevicePeer(args.port + i, args, overrides, i) for i in range(args.devices)]
    for p in peers:
        try:
            await p.server.serve_forever(background=True)
        except RuntimeError as exc:
            for q in peers:
                await q.server.shutdown()
            print(f"sunspec_device: port {p.port}: {exc}", file=sys.stderr)
            return 1
    if args.verbose:
        for mid, addr, length in peers[0].map.layout:
            print(f"model {mid}: ID at {addr}, L={length}", file=sys.stderr)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # A parent may have spawned us with these blocked (the mask is inherited).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sys.stdout.write(f"READY {args.port} {args.devices}\n")
    sys.stdout.flush()
    await stop.wait()
    for p in peers:
        await p.server.shutdown()
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--devices", type=int, default=1)
    ap.add_argument("--models", default=DEFAULT_MODELS)
    ap.add_argument("--base", type=int, default=40000)
    ap.add_argument("--unit-id", type=int, default=1)
    ap.add_argument("--fault", choices=("none", "timeout", "exception", "bad-marker"), default="none")
    ap.add_argument("--values")
    ap.add_argument("--simulate", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    args = ap.parse_args(argv)
    if args.devices < 1 or not 1 <= args.port <= 65535 or args.port + args.devices - 1 > 65535:
        ap.error("ports P..P+N-1 must lie in 1..65535")
    args.models = parse_models(args.models)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO if args.verbose else logging.ERROR,
                        format="sunspec_device: %(message)s")
    # pymodbus logs through the "pymodbus.logging" logger; keep it quiet unless -v.
    logging.getLogger("pymodbus").setLevel(logging.WARNING if args.verbose else logging.CRITICAL)
    try:
        return asyncio.run(serve(args))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
