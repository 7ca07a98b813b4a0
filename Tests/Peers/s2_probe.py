#!/usr/bin/env python3
"""Opens a WebSocket to an S2 CEM the way a resource manager would, sends nothing, and reports
how the CEM answered: the HTTP status when it refused the upgrade, else the close code and
reason it closed the connection with (or that it kept the connection open for --wait seconds).

Prints one JSON object: {"status": 101|4xx, "close_code": int|null, "reason": str|null, "open": bool}.
Exit codes: 0 reported, 1 could not connect at all, 2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

import websockets


async def probe(url: str, token: str | None, wait: float) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with websockets.connect(url, extra_headers=headers, open_timeout=10) as ws:
            try:
                await asyncio.wait_for(ws.recv(), wait)
                return {"status": 101, "close_code": None, "reason": None, "open": True}
            except asyncio.TimeoutError:
                return {"status": 101, "close_code": None, "reason": None, "open": True}
            except websockets.ConnectionClosed as e:
                code = e.rcvd.code if e.rcvd else None
                reason = e.rcvd.reason if e.rcvd else None
                return {"status": 101, "close_code": code, "reason": reason, "open": False}
    except websockets.InvalidStatusCode as e:
        return {"status": e.status_code, "close_code": None, "reason": None, "open": False}


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--url", required=True)
    p.add_argument("--bearer-token", default=None)
    p.add_argument("--wait", type=float, default=5.0, help="seconds to wait for the CEM to close an open connection")
    a = p.parse_args()
    try:
        print(json.dumps(asyncio.run(probe(a.url, a.bearer_token, a.wait))))
    except Exception as e:  # noqa: BLE001 - any failure is the test's to report
        print(f"s2_probe: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
