#!/usr/bin/env python3
"""S2 resource manager for a shiftable process, power-envelope based control (PEBC), built on s2-python.

Run it with the interpreter of `.venv-s2`. The process must take --energy-kwh within the next
--window-h hours and can draw 0..--max-power-w. It connects to the CEM at --url, completes the
handshake, sends ResourceManagerDetails (offering POWER_ENVELOPE_BASED_CONTROL), and once the CEM
selects PEBC it sends

  PEBC.PowerConstraints   valid now .. now+window, consequence DEFER, allowed limit ranges for
                          ELECTRIC.POWER.3_PHASE_SYMMETRIC: UPPER_LIMIT and LOWER_LIMIT both within
                          0..max power W
  PEBC.EnergyConstraint   the same window; upper = lower average power = energy / window (W)
  PowerMeasurement        --measured-w

each of which the CEM must acknowledge with ReceptionStatus OK. It then waits for PEBC.Instruction(s),
answers OK when the instruction refers to its power constraints and every envelope element has
lower <= upper within 0..max power (INVALID_CONTENT otherwise, and exits 1), and prints one JSON
object on stdout, including the energy the envelope allows at most and at least.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from s2_rm_common import Session, common_arguments, parse_resource_id, reject, run_peer, send_checked  # noqa: E402
from s2python.common import (  # noqa: E402
    Commodity,
    CommodityQuantity,
    Duration,
    NumberRange,
    PowerMeasurement,
    PowerValue,
    Role,
    RoleType,
)
from s2python.connection.asset_details import AssetDetails  # noqa: E402
from s2python.connection.async_ import S2AsyncConnection  # noqa: E402
from s2python.connection.async_.control_type.class_based import PEBCControlType  # noqa: E402
from s2python.pebc import (  # noqa: E402
    PEBCAllowedLimitRange,
    PEBCEnergyConstraint,
    PEBCInstruction,
    PEBCPowerConstraints,
    PEBCPowerEnvelope,
    PEBCPowerEnvelopeConsequenceType,
    PEBCPowerEnvelopeLimitType,
)

QUANTITY = CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC
TOLERANCE_W = 1e-6


class ProcessPEBC(PEBCControlType):
    def __init__(self, session: Session, args) -> None:
        self.session = session
        self.energy_kwh = args.energy_kwh
        self.window = dt.timedelta(hours=args.window_h)
        self.max_power_w = args.max_power_w
        self.measured_w = args.measured_w
        self.constraints_id = uuid.uuid4()
        self.energy_constraint_id = uuid.uuid4()

    async def activate(self, connection: S2AsyncConnection) -> None:
        try:
            start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            end = start + self.window
            boundary = NumberRange(start_of_range=0.0, end_of_range=self.max_power_w)
            await send_checked(self.session, connection, PEBCPowerConstraints(
                message_id=uuid.uuid4(),
                id=self.constraints_id,
                valid_from=start,
                valid_until=end,
                consequence_type=PEBCPowerEnvelopeConsequenceType.DEFER,
                allowed_limit_ranges=[
                    PEBCAllowedLimitRange(commodity_quantity=QUANTITY, limit_type=PEBCPowerEnvelopeLimitType.UPPER_LIMIT,
                                          range_boundary=boundary, abnormal_condition_only=False),
                    PEBCAllowedLimitRange(commodity_quantity=QUANTITY, limit_type=PEBCPowerEnvelopeLimitType.LOWER_LIMIT,
                                          range_boundary=boundary, abnormal_condition_only=False),
                ],
            ))
            average_w = self.energy_kwh * 1000.0 / (self.window.total_seconds() / 3600.0)
            await send_checked(self.session, connection, PEBCEnergyConstraint(
                message_id=uuid.uuid4(),
                id=self.energy_constraint_id,
                valid_from=start,
                valid_until=end,
                upper_average_power=average_w,
                lower_average_power=average_w,
                commodity_quantity=QUANTITY,
            ))
            await send_checked(self.session, connection, PowerMeasurement(
                message_id=uuid.uuid4(),
                measurement_timestamp=dt.datetime.now(dt.timezone.utc),
                values=[PowerValue(commodity_quantity=QUANTITY, value=self.measured_w)],
            ))
            self.session.notes["activated"] = True
        except Exception as exc:  # noqa: BLE001
            self.session.fail(f"while sending the PEBC constraints: {type(exc).__name__}: {exc}")

    async def deactivate(self, connection: S2AsyncConnection) -> None:
        return None

    async def handle_instruction(self, connection: S2AsyncConnection, msg, send_okay) -> None:
        if not isinstance(msg, PEBCInstruction):
            self.session.fail(f"expected PEBC.Instruction, got {type(msg).__name__}")
            return
        problems = []
        # s2-python does not enforce these two as required (its wrapper gives them a bogus default).
        if not isinstance(msg.power_constraints_id, uuid.UUID):
            problems.append("power_constraints_id missing")
        if not msg.power_envelopes or not all(isinstance(e, PEBCPowerEnvelope) for e in msg.power_envelopes):
            problems.append("power_envelopes missing")
            msg_envelopes = []
        else:
            msg_envelopes = msg.power_envelopes
        if not problems and msg.power_constraints_id != self.constraints_id:
            problems.append(f"unknown power_constraints_id {msg.power_constraints_id}")
        max_kwh = min_kwh = 0.0
        for envelope in msg_envelopes:
            env_id = getattr(envelope.id, "root", envelope.id)  # a constrained-string model, not a UUID
            if envelope.commodity_quantity != QUANTITY:
                problems.append(f"envelope {env_id} for {envelope.commodity_quantity.value}, expected {QUANTITY.value}")
            for n, element in enumerate(envelope.power_envelope_elements):
                if element.lower_limit > element.upper_limit + TOLERANCE_W:
                    problems.append(f"envelope {env_id} element {n}: lower_limit > upper_limit")
                if element.lower_limit < -TOLERANCE_W or element.upper_limit > self.max_power_w + TOLERANCE_W:
                    problems.append(f"envelope {env_id} element {n}: limits outside 0..{self.max_power_w:g} W")
                hours = element.duration.root / 3_600_000.0
                max_kwh += element.upper_limit * hours / 1000.0
                min_kwh += element.lower_limit * hours / 1000.0
        try:
            record = msg.to_json_dict()
        except Exception:  # noqa: BLE001 - the bogus defaults above do not serialize
            record = {"message_type": msg.message_type, "message_id": str(msg.message_id), "id": str(msg.id)}
        record["envelope_energy_kwh"] = {"max": max_kwh, "min": min_kwh}
        record["accepted"] = not problems
        self.session.instructions.append(record)
        if problems:
            await reject(connection, msg.message_id, send_okay, "; ".join(problems))
            self.session.fail("rejected PEBC.Instruction: " + "; ".join(problems))
            return
        await send_okay()
        self.session.check_done()


def main() -> int:
    p = common_arguments(__doc__.splitlines()[0])
    p.add_argument("--energy-kwh", type=float, default=6.0, help="energy the process needs within the window")
    p.add_argument("--window-h", type=float, default=24.0, help="hours from now in which the energy must be taken")
    p.add_argument("--max-power-w", type=float, default=3000.0)
    p.add_argument("--measured-w", type=float, default=0.0)
    args = p.parse_args()
    if args.window_h <= 0 or args.max_power_w <= 0 or args.energy_kwh < 0:
        p.error("--window-h and --max-power-w must be positive, --energy-kwh not negative")
    if args.energy_kwh * 1000.0 > args.max_power_w * args.window_h:
        p.error("--energy-kwh cannot be taken within --window-h at --max-power-w")

    session = Session(expected_instructions=args.instructions, ack_timeout=args.ack_timeout,
                      expected_revocations=args.revocations)
    resource_id = parse_resource_id(args.resource_id)
    control = ProcessPEBC(session, args)
    asset = AssetDetails(
        resource_id=resource_id,
        name=args.name or "shiftable-process",
        provides_forecast=False,
        provides_power_measurements=[QUANTITY],
        instruction_processing_delay=Duration.from_milliseconds(100),
        roles=[Role(role=RoleType.ENERGY_CONSUMER, commodity=Commodity.ELECTRICITY)],
    )

    def summary(s: Session) -> dict:
        return {
            "control_type": "POWER_ENVELOPE_BASED_CONTROL",
            "power_constraints_id": str(control.constraints_id),
            "energy_constraint_id": str(control.energy_constraint_id),
            "envelope_energy_kwh": [i["envelope_energy_kwh"] for i in s.instructions],
        }

    return run_peer(args, session, asset, [control], summary)


if __name__ == "__main__":
    sys.exit(main())
