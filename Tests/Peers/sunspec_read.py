#!/usr/bin/env python3
"""Independent SunSpec reader/writer built on pysunspec2's own Modbus TCP client.

    sunspec_read.py --port P [--host 127.0.0.1] [--unit-id 1] [--timeout 2]
                    [--model 123] [--points WMaxLimPct,WMaxLim_Ena]
                    [--write MODEL.POINT=VALUE ...]

Scans the device with sunspec2.modbus.client.SunSpecModbusClientDeviceTCP (which looks
for "SunS" at 40000, then 0, then 50000, and reads every model it finds) and prints one
JSON object on stdout:

    {"models": [1, 103, ...],
     "points": {"WMaxLimPct": {"raw": 50, "value": 50.0}, ...}}

raw is the point's register value (null when "not implemented"), value the same with
its scale factor applied (pysunspec2's cvalue; numbers as floats). Points are looked up
in --model (its first instance) or, without --model, in the first model that has them;
--model without --points lists every point of that model.

--write MODEL.POINT=VALUE (raw, repeatable; MODEL is an id such as 123) writes the point
with pysunspec2 (FC 6 for one register, FC 16 for more) before anything is reported,
reads that model back from the device and reports the point as read back.

Exit status: 0 ok; 1 scan failed (no connection, timeout, exception response, no
SunSpec marker) with the reason on stderr; 2 bad arguments or unknown model/point;
3 a write failed. A scan of a device that never answers takes up to 3 x --timeout
(one per base address pysunspec2 tries).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import sunspec2
import sunspec2.device as ss_device
import sunspec2.mdef as ss_mdef
import sunspec2.modbus.client as ss_client

# Only the definitions shipped in the package (pysunspec2 also looks in the current
# directory first by default).
ss_device.set_model_defs_path([os.path.join(os.path.dirname(sunspec2.__file__), "models")])


def fail(code: int, message: str):
    print(f"sunspec_read: {message}", file=sys.stderr)
    sys.exit(code)


def model_instance(dev, model_id):
    models = dev.models.get(model_id)
    if not models:
        fail(2, f"model {model_id} not found on the device (models: {model_ids(dev)})")
    return models[0]


def model_ids(dev) -> list:
    return [m.model_id for m in dev.model_list]


def describe(point) -> dict:
    raw = point.value
    try:
        value = point.cvalue
    except ss_device.ModelError:
        value = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = float(value)
    return {"raw": raw, "value": value}


def find_point(dev, name, model_id):
    if model_id is not None:
        model = model_instance(dev, model_id)
        point = model.points.get(name)
        if point is None:
            fail(2, f"model {model_id} has no point {name}")
        return point
    for model in dev.model_list:
        point = model.points.get(name)
        if point is not None:
            return point
    fail(2, f"no model on the device has a point {name}")


def parse_value(point, text: str):
    ptype = point.pdef.get(ss_mdef.TYPE)
    if ptype == ss_mdef.TYPE_STRING or ptype in (ss_mdef.TYPE_IPV6ADDR, ss_mdef.TYPE_EUI48):
        return text
    if ptype in (ss_mdef.TYPE_FLOAT32, ss_mdef.TYPE_FLOAT64):
        return float(text)
    try:
        return int(text, 0)
    except ValueError:
        fail(2, f"--write: {text!r} is not a raw integer for {ptype} point {point.pdef.get('name')}")


def parse_write(text: str):
    target, sep, value = text.partition("=")
    model, dot, point = target.partition(".")
    if not sep or not dot or not point:
        fail(2, f"--write expects MODEL.POINT=VALUE, got {text!r}")
    try:
        model = int(model)
    except ValueError:
        pass  # a model name such as "controls" also works with pysunspec2
    return model, point, value


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--unit-id", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=2.0, help="seconds per request")
    ap.add_argument("--model", type=int)
    ap.add_argument("--points", default="")
    ap.add_argument("--write", action="append", default=[], metavar="MODEL.POINT=VALUE")
    args = ap.parse_args(argv)
    writes = [parse_write(w) for w in args.write]

    dev = ss_client.SunSpecModbusClientDeviceTCP(slave_id=args.unit_id, ipaddr=args.host,
                                                 ipport=args.port, timeout=args.timeout)
    try:
        dev.scan()
    except Exception as exc:  # pysunspec2 raises several unrelated exception types here
        dev.close()
        reason = " ".join(str(exc).split())
        fail(1, f"scan of {args.host}:{args.port} unit {args.unit_id} failed: {reason}")
    if not dev.model_list:
        dev.close()
        fail(1, f"scan of {args.host}:{args.port} found no models")

    written = []
    for model_id, name, text in writes:
        model = model_instance(dev, model_id)
        point = model.points.get(name)
        if point is None:
            fail(2, f"model {model_id} has no point {name}")
        point.value = parse_value(point, text)
        try:
            point.write()
            model.read()  # read the whole model back from the device
        except Exception as exc:
            dev.close()
            fail(3, f"write {model_id}.{name}={text} failed: {exc}")
        written.append((name, model.points[name]))

    out = {"models": model_ids(dev), "points": {}}
    names = [n for n in args.points.split(",") if n]
    if args.model is not None and not names:
        model = model_instance(dev, args.model)
        names = [n for n in model.points if n not in ("ID", "L")]
    for name in names:
        out["points"][name] = describe(find_point(dev, name, args.model))
    for name, point in written:
        out["points"][name] = describe(point)
    dev.close()
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
