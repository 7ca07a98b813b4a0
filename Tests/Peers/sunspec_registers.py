"""The register image of a simulated SunSpec device (part of the sunspec_device.py peer).

Built from pysunspec2's model definitions (1.3.7): for each model in order, [ID, L,
points...] with L the fixed-block length of its definition; repeating groups with a
fixed count are laid out (their points read "not implemented"), those whose count is a
point get 0 instances and that point reads 0. The map starts with the "SunS" marker (or
"SunT" for the bad-marker fault) and ends with the end model 0xFFFF 0x0000.

Values: realistic raw register values (before scale factors) for the points of the
common, inverter, nameplate, settings, controls, storage, meter and battery models,
replaced per point by the --values overrides; points without a value read as SunSpec's
"not implemented" value of their type (pad reads 0x8000).

Access: a register is writable when its point's definition says "RW"; RegisterMap.simdata()
gives pymodbus SimData blocks with that flag, so pymodbus refuses other writes.
"""

from __future__ import annotations

import os

from pymodbus.simulator import DataType, SimData

import sunspec2
import sunspec2.device as ss_device
import sunspec2.mb as ss_mb
import sunspec2.mdef as ss_mdef

# Only the definitions shipped in the package (pysunspec2 also looks in the current
# directory first by default).
ss_device.set_model_defs_path([os.path.join(os.path.dirname(sunspec2.__file__), "models")])

MARKER = (0x5375, 0x6E53)  # "SunS"
BAD_MARKER = (0x5375, 0x6E54)  # "SunT"
END_MODEL = (0xFFFF, 0x0000)


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
