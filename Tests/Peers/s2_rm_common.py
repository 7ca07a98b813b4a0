"""Shared plumbing for the S2 resource-manager peers (s2_battery_rm.py, s2_process_rm.py).

Runs on the interpreter of `.venv-s2` (s2-python with its pinned websockets). A peer is a WebSocket
*client*: it connects to the CEM (FlexDispatch), and s2-python's ResourceManagerHandler drives the
session: Handshake -> (CEM: ReceptionStatus, Handshake, HandshakeResponse) -> ResourceManagerDetails
-> (CEM: SelectControlType) -> the control type's activate(), where the peer sends its system
description, status and measurements -> (CEM: instruction) -> ReceptionStatus. A RevokeObject for an
instruction received withdraws it (`in_force` in the summary leaves it out).

Everything that crosses the socket is recorded (`--record FILE` writes it as JSON lines), and the
peer prints one JSON object on stdout when it is done. Exit codes: 0 done, 1 failed or timed out,
2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, AsyncGenerator, Callable

from s2python.common import ReceptionStatusValues, RevokeObject
from s2python.connection.async_ import S2AsyncConnection
from s2python.connection.async_.control_type.class_based import ResourceManagerHandler, S2ControlType
from s2python.connection.async_.medium.websocket import WebsocketClientMedium
from s2python.connection.asset_details import AssetDetails
from s2python.version import S2_VERSION


def common_arguments(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--url", required=True, help="CEM WebSocket URL, e.g. ws://127.0.0.1:8765/s2/<resource-id>")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for the whole exchange (default 20)")
    p.add_argument("--resource-id", default=None, help="UUID of this resource (default: random)")
    p.add_argument("--name", default=None, help="resource name sent in ResourceManagerDetails")
    p.add_argument("--bearer-token", default=None, help="sent as 'Authorization: Bearer ...' on the WebSocket upgrade")
    p.add_argument("--instructions", type=int, default=1, help="number of instructions to wait for (default 1)")
    p.add_argument("--revocations", type=int, default=0,
                   help="number of RevokeObject messages to wait for as well (default 0)")
    p.add_argument("--ack-timeout", type=float, default=5.0,
                   help="seconds to wait for the CEM's ReceptionStatus of each message this peer sends (default 5)")
    p.add_argument("--record", default=None, help="write every message sent and received to this file (JSON lines)")
    p.add_argument("--insecure", action="store_true", help="do not verify the CEM's TLS certificate (wss:// only)")
    return p


def parse_resource_id(value: str | None) -> uuid.UUID:
    if value is None:
        return uuid.uuid4()
    try:
        return uuid.UUID(value)
    except ValueError:
        print(f"--resource-id must be a UUID, got {value!r}", file=sys.stderr)
        sys.exit(2)


@dataclass
class Session:
    """What the peer saw; filled in by the medium wrapper and the control type."""

    expected_instructions: int
    ack_timeout: float
    expected_revocations: int = 0
    exchange: list[dict[str, Any]] = field(default_factory=list)
    selected_control_type: str | None = None
    selected_protocol_version: str | None = None
    instructions: list[dict[str, Any]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    failure: str | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def stage(self) -> str:
        received = [m.get("message_type") for m in self._messages("cem->rm")]
        sent = [m.get("message_type") for m in self._messages("rm->cem")]
        if not self.exchange:
            return "connected, nothing exchanged"
        acked = {m.get("subject_message_id") for m in self._messages("cem->rm") if m.get("message_type") == "ReceptionStatus"}
        unacked = [m for m in self._messages("rm->cem") if "message_id" in m and m["message_id"] not in acked]
        if unacked:
            return f"waiting for the CEM's ReceptionStatus of {unacked[0].get('message_type')} {unacked[0]['message_id']}"
        if "Handshake" not in sent:
            return "before sending Handshake"
        if "HandshakeResponse" not in received:
            return "waiting for HandshakeResponse"
        if "ResourceManagerDetails" not in sent:
            return "sending ResourceManagerDetails"
        if "SelectControlType" not in received:
            return "waiting for SelectControlType"
        if len(self.instructions) < self.expected_instructions:
            return f"waiting for instruction {len(self.instructions) + 1} of {self.expected_instructions}"
        if len(self.revoked) < self.expected_revocations:
            return f"waiting for revocation {len(self.revoked) + 1} of {self.expected_revocations}"
        return "done"

    def check_done(self) -> None:
        """Done once the instructions and revocations waited for are in."""
        if len(self.instructions) >= self.expected_instructions and len(self.revoked) >= self.expected_revocations:
            self.done.set()

    def in_force(self) -> list[dict[str, Any]]:
        """The instructions received and not revoked, by execution time: what the device would run."""
        revoked = set(self.revoked)
        return sorted((i for i in self.instructions if str(i.get("id")) not in revoked), key=lambda i: str(i.get("execution_time")))

    def _messages(self, direction: str) -> list[dict[str, Any]]:
        return [e["message"] for e in self.exchange if e["direction"] == direction and isinstance(e["message"], dict)]

    def fail(self, reason: str) -> None:
        if self.failure is None:
            self.failure = reason
        self.done.set()


class RecordingMedium(WebsocketClientMedium):
    """The s2-python WebSocket client medium, recording each frame in both directions."""

    def __init__(self, session: Session, url: str, verify_certificate: bool, bearer_token: str | None) -> None:
        super().__init__(url=url, verify_certificate=verify_certificate, bearer_token=bearer_token)
        self._session = session
        self._t0 = time.monotonic()

    def _record(self, direction: str, raw: str | bytes) -> None:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        try:
            message: Any = json.loads(text)
        except ValueError:
            message = text
        self._session.exchange.append({"direction": direction, "t": round(time.monotonic() - self._t0, 3), "message": message})
        if direction == "cem->rm" and isinstance(message, dict):
            if message.get("message_type") == "HandshakeResponse":
                self._session.selected_protocol_version = message.get("selected_protocol_version")
            elif message.get("message_type") == "SelectControlType":
                self._session.selected_control_type = message.get("control_type")

    async def send(self, message: str) -> None:
        self._record("rm->cem", message)
        await super().send(message)

    async def messages(self) -> AsyncGenerator[str | bytes, None]:  # type: ignore[override]
        async for message in super().messages():
            self._record("cem->rm", message)
            yield message


async def send_checked(session: Session, connection: S2AsyncConnection, message: Any) -> None:
    """Send a message and require the CEM's ReceptionStatus OK for it."""
    try:
        status = await connection.send_msg_and_await_reception_status(
            message, timeout_reception_status=session.ack_timeout, raise_on_error=False
        )
    except (TimeoutError, asyncio.TimeoutError):
        raise RuntimeError(
            f"no ReceptionStatus from the CEM within {session.ack_timeout:g} s for {message.message_type} {message.message_id}"
        ) from None
    if status.status != ReceptionStatusValues.OK:
        raise RuntimeError(
            f"CEM answered {message.message_type} with ReceptionStatus {status.status.value}: {status.diagnostic_label}"
        )


async def reject(connection: S2AsyncConnection, subject_message_id: uuid.UUID, send_okay: Any, label: str) -> None:
    """Answer a message with ReceptionStatus INVALID_CONTENT instead of OK.

    s2-python sends OK by itself after a handler returns unless the handler called `send_okay`; its
    only public alternative is raising, which answers PERMANENT_ERROR and drops the connection. So mark
    this message's automatic OK as already sent (the flag s2-python checks), then answer.
    """
    flag = getattr(getattr(send_okay, "__self__", None), "_status_is_send", None)
    if flag is not None:
        flag.set()
    await connection.respond_with_reception_status(
        subject_message_id=subject_message_id,
        status=ReceptionStatusValues.INVALID_CONTENT,
        diagnostic_label=label,
    )


async def handle_revoke(session: Session, connection: S2AsyncConnection, msg: RevokeObject, send_okay: Any) -> None:
    """s2-python registers no handler for RevokeObject: withdraw an instruction received and not yet
    revoked (OK), refuse one this peer never received (INVALID_CONTENT)."""
    target = str(msg.object_id)
    known = any(str(i.get("id")) == target and i.get("message_type") == msg.object_type.value for i in session.instructions)
    if not known or target in session.revoked:
        await reject(connection, msg.message_id, send_okay, f"no {msg.object_type.value} {target} to revoke")
        session.fail(f"RevokeObject for {msg.object_type.value} {target}, which this peer does not hold")
        return
    session.revoked.append(target)
    await send_okay()
    session.check_done()


async def _run(args: argparse.Namespace, session: Session, asset: AssetDetails, control_types: list[S2ControlType]) -> None:
    medium = RecordingMedium(session, url=args.url, verify_certificate=not args.insecure, bearer_token=args.bearer_token)
    await medium.connect()
    connection = S2AsyncConnection(medium=medium, eventloop=asyncio.get_running_loop())
    ResourceManagerHandler(asset_details=asset, control_types=control_types).register_handlers(connection)
    connection.register_handler(RevokeObject, lambda c, msg, send_okay: handle_revoke(session, c, msg, send_okay))
    runner = asyncio.create_task(connection.run())
    waiter = asyncio.create_task(session.done.wait())
    try:
        done, _ = await asyncio.wait({runner, waiter}, timeout=args.timeout, return_when=asyncio.FIRST_COMPLETED)
        if not done:
            session.fail(f"timeout after {args.timeout:g} s ({session.stage()})")
        elif runner in done and not session.done.is_set():
            session.fail(f"the S2 connection ended early ({session.stage()})")
    finally:
        await connection.stop()
        # Give the last ReceptionStatus a moment to leave before closing the socket.
        await asyncio.sleep(0.05)
        await medium.disconnect()
        for task in (runner, waiter):
            if not task.done():
                task.cancel()
        await asyncio.gather(runner, waiter, return_exceptions=True)


def run_peer(
    args: argparse.Namespace,
    session: Session,
    asset: AssetDetails,
    control_types: list[S2ControlType],
    summary: Callable[[Session], dict[str, Any]],
) -> int:
    try:
        asyncio.run(_run(args, session, asset, control_types))
    except Exception as exc:  # noqa: BLE001 - connection refused, bad URL, handshake rejected ...
        session.fail(f"{type(exc).__name__}: {exc}")
    if args.record:
        with open(args.record, "w", encoding="utf-8") as f:
            for entry in session.exchange:
                f.write(json.dumps(entry) + "\n")
    if session.failure is not None:
        print(f"{sys.argv[0]}: {session.failure}", file=sys.stderr)
        return 1
    result = {
        "resource_id": str(asset.resource_id),
        "s2_version_offered": S2_VERSION,
        "selected_protocol_version": session.selected_protocol_version,
        "selected_control_type": session.selected_control_type,
        "sent": [e["message"].get("message_type") for e in session.exchange
                 if e["direction"] == "rm->cem" and isinstance(e["message"], dict)],
        "received": [e["message"].get("message_type") for e in session.exchange
                     if e["direction"] == "cem->rm" and isinstance(e["message"], dict)],
        "instructions": session.instructions,
        "instruction": session.instructions[0] if session.instructions else None,
        "revoked": session.revoked,
        "in_force": session.in_force(),
    }
    result.update(summary(session))
    print(json.dumps(result, sort_keys=True))
    return 0
