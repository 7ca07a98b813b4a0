#!/usr/bin/env python3
"""S2 resource manager for a pump with fixed operation modes, operation-mode based control (OMBC), on s2-python.

Run it with the interpreter of `.venv-s2`. It offers only OPERATION_MODE_BASED_CONTROL; once the CEM
selects it, it sends an OMBC.SystemDescription with four modes (power in W, 3-phase symmetric):

  off    0 .. 0
  low    1000 .. 2000
  high   2500 .. 5000
  boost  2800 .. 3200, for abnormal conditions only

and waits for OMBC.Instruction(s): OK when the instruction names one of its normal modes with a factor
in 0..1 (INVALID_CONTENT otherwise, and exits 1). It prints one JSON object on stdout with the mode
chosen (by name) and the factor.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from s2_rm_common import Session, common_arguments, parse_resource_id, reject, run_peer, send_checked  # noqa: E402
from s2python.common import Commodity, CommodityQuantity, Duration, PowerRange, Role, RoleType  # noqa: E402
from s2python.connection.asset_details import AssetDetails  # noqa: E402
from s2python.connection.async_ import S2AsyncConnection  # noqa: E402
from s2python.connection.async_.control_type.class_based import OMBCControlType  # noqa: E402
from s2python.ombc import OMBCInstruction, OMBCOperationMode, OMBCSystemDescription  # noqa: E402

QUANTITY = CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC
MODES = {"off": (0.0, 0.0, False), "low": (1000.0, 2000.0, False), "high": (2500.0, 5000.0, False), "boost": (2800.0, 3200.0, True)}


class PumpOMBC(OMBCControlType):
    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids = {name: uuid.uuid4() for name in MODES}

    async def activate(self, connection: S2AsyncConnection) -> None:
        try:
            modes = [OMBCOperationMode(id=self.ids[name], diagnostic_label=name, abnormal_condition_only=abnormal,
                                       power_ranges=[PowerRange(start_of_range=low, end_of_range=high, commodity_quantity=QUANTITY)])
                     for name, (low, high, abnormal) in MODES.items()]
            await send_checked(self.session, connection, OMBCSystemDescription(
                message_id=uuid.uuid4(), valid_from=dt.datetime.now(dt.timezone.utc), operation_modes=modes, transitions=[], timers=[]))
            self.session.notes["activated"] = True
        except Exception as exc:  # noqa: BLE001
            self.session.fail(f"while sending the OMBC description: {type(exc).__name__}: {exc}")

    async def deactivate(self, connection: S2AsyncConnection) -> None:
        return None

    async def handle_instruction(self, connection: S2AsyncConnection, msg, send_okay) -> None:
        if not isinstance(msg, OMBCInstruction):
            self.session.fail(f"expected OMBC.Instruction, got {type(msg).__name__}")
            return
        names = {str(v): k for k, v in self.ids.items()}
        name = names.get(str(msg.operation_mode_id))
        problems = []
        if name is None:
            problems.append(f"unknown operation mode {msg.operation_mode_id}")
        elif MODES[name][2]:
            problems.append(f"mode {name} is for abnormal conditions only")
        if not 0.0 <= msg.operation_mode_factor <= 1.0:
            problems.append(f"factor {msg.operation_mode_factor} outside 0..1")
        record = msg.to_json_dict()
        record.update({"mode": name, "factor": msg.operation_mode_factor, "accepted": not problems})
        self.session.instructions.append(record)
        if problems:
            await reject(connection, msg.message_id, send_okay, "; ".join(problems))
            self.session.fail("rejected OMBC.Instruction: " + "; ".join(problems))
            return
        await send_okay()
        self.session.check_done()


def main() -> int:
    args = common_arguments(__doc__.splitlines()[0]).parse_args()
    session = Session(expected_instructions=args.instructions, ack_timeout=args.ack_timeout,
                      expected_revocations=args.revocations)
    control = PumpOMBC(session)
    asset = AssetDetails(
        resource_id=parse_resource_id(args.resource_id),
        name=args.name or "pump",
        provides_forecast=False,
        provides_power_measurements=[QUANTITY],
        instruction_processing_delay=Duration.from_milliseconds(100),
        roles=[Role(role=RoleType.ENERGY_CONSUMER, commodity=Commodity.ELECTRICITY)],
    )

    def summary(s: Session) -> dict:
        last = s.instructions[-1] if s.instructions else {}
        return {"control_type": "OPERATION_MODE_BASED_CONTROL", "mode": last.get("mode"), "factor": last.get("factor")}

    return run_peer(args, session, asset, [control], summary)


if __name__ == "__main__":
    sys.exit(main())
