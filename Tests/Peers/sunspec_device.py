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

Files: this script (server, request handling, faults, command line); the register map,
its values and access rules in sunspec_registers.py; the simulation in
sunspec_simulation.py (both next to this script, found wherever it is started from).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys

from pymodbus.constants import ExcCodes
from pymodbus.exceptions import ModbusIOException
from pymodbus.pdu import ExceptionResponse
from pymodbus.server import ModbusTcpServer
from pymodbus.server.requesthandler import ServerRequestHandler
from pymodbus.simulator import SimDevice

import sunspec2.device as ss_device
import sunspec2.mdef as ss_mdef

# The register map and the simulation live next to this script; make them importable
# however the script is started (by path from any directory, or with python -P / -I).
_HERE = os.path.dirname(os.path.realpath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from sunspec_registers import RegisterMap  # noqa: E402  (also fixes pysunspec2's definitions path)
from sunspec_simulation import Simulator  # noqa: E402

SUPPORTED_FUNCTION_CODES = (3, 4, 6, 16)
DEFAULT_MODELS = "1,103,120,123,124,802,203"

log = logging.getLogger("sunspec_device")

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
