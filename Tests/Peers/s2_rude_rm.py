"""A resource manager that misbehaves on purpose, for the CEM's fault tests.

Speaks S2 as raw JSON over `websockets` (the version s2-python pins, from `.venv-s2`), so that it
can do what s2-python never would: send a frame that is not JSON, a message type nobody knows,
and hang up after the CEM's instruction without acknowledging it.

Prints one JSON object: the CEM's ReceptionStatus values for the bad frames, and the instruction it
received before hanging up. Exit codes: 0 done, 1 failed or timed out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import sys
import uuid

import websockets


def message(kind: str, **fields) -> str:
    return json.dumps({"message_type": kind, "message_id": str(uuid.uuid4()), **fields})


async def next_of(ws, kinds: set[str]) -> dict:
    while True:
        frame = json.loads(await ws.recv())
        if frame.get("message_type") in kinds:
            return frame


async def main(url: str, name: str, ca: str | None = None, token: str | None = None) -> dict:
    out: dict = {}
    context = ssl.create_default_context(cafile=ca) if ca else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with websockets.connect(url, ssl=context, extra_headers=headers) as ws:
        await ws.send("{this is not json")
        out["invalid_json"] = (await next_of(ws, {"ReceptionStatus"}))["status"]
        await ws.send(message("Teleport", destination="moon"))
        out["unknown_type"] = (await next_of(ws, {"ReceptionStatus"}))["status"]
        await ws.send(message("Handshake", role="RM", supported_protocol_versions=["0.0.2-beta"]))
        await next_of(ws, {"HandshakeResponse"})
        await ws.send(message("ResourceManagerDetails", resource_id=str(uuid.uuid4()), name=name,
                              roles=[{"role": "ENERGY_STORAGE", "commodity": "ELECTRICITY"}],
                              available_control_types=["FILL_RATE_BASED_CONTROL"], provides_forecast=False,
                              provides_power_measurement_types=["ELECTRIC.POWER.L1"], instruction_processing_delay=0))
        out["selected"] = (await next_of(ws, {"SelectControlType"}))["control_type"]
        power = {"start_of_range": -5000.0, "end_of_range": 5000.0, "commodity_quantity": "ELECTRIC.POWER.L1"}
        await ws.send(message("FRBC.SystemDescription", valid_from="2025-01-01T00:00:00Z", storage={
            "provides_leakage_behaviour": False, "provides_fill_level_target_profile": False,
            "provides_usage_forecast": False, "fill_level_range": {"start_of_range": 0, "end_of_range": 100}},
            actuators=[{"id": "act-1", "supported_commodities": ["ELECTRICITY"], "timers": [], "transitions": [],
                        "operation_modes": [{"id": "mode-1", "abnormal_condition_only": False, "elements": [
                            {"fill_level_range": {"start_of_range": 0, "end_of_range": 100},
                             "fill_rate": {"start_of_range": -1, "end_of_range": 1}, "power_ranges": [power]}]}]}]))
        instruction = await next_of(ws, {"FRBC.Instruction"})
        out["instruction"] = {"id": instruction["message_id"], "factor": instruction["operation_mode_factor"]}
        # Hang up without a ReceptionStatus for the instruction.
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--url", required=True)
    p.add_argument("--name", default="battery")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--ca", default=None, help="CA certificate (PEM) for a wss:// CEM")
    p.add_argument("--bearer-token", default=None, help="sent as 'Authorization: Bearer ...' on the WebSocket upgrade")
    a = p.parse_args()
    try:
        print(json.dumps(asyncio.run(asyncio.wait_for(main(a.url, a.name, a.ca, a.bearer_token), a.timeout))))
    except Exception as e:  # noqa: BLE001 - any failure is the test's to report
        print(f"s2_rude_rm: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
