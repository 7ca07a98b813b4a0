#!/usr/bin/env python3
"""S2 resource manager for a battery, fill-rate based control (FRBC), built on s2-python.

Run it with the interpreter of `.venv-s2`. It connects to the CEM at --url, completes the handshake,
sends ResourceManagerDetails (offering FILL_RATE_BASED_CONTROL), and once the CEM selects FRBC it sends

  FRBC.SystemDescription  one actuator with one operation mode "charge/discharge": fill level
                          0..capacity kWh, fill rate -P/3600..+P/3600 kWh/s, power -P..+P W
                          (ELECTRIC.POWER.3_PHASE_SYMMETRIC); operation_mode_factor f in [0, 1]
                          means power = -P + f * 2P (0 = full discharge, 0.5 = idle, 1 = full charge)
  FRBC.StorageStatus      present_fill_level = --soc-kwh
  FRBC.ActuatorStatus     the mode, factor 0.5 (idle)
  PowerMeasurement        --measured-w
  PowerForecast           --forecast-w per --forecast-step-s for the next steps

each of which the CEM must acknowledge with ReceptionStatus OK. It then waits for FRBC.Instruction(s),
answers OK when the instruction names its actuator and operation mode and a factor in [0, 1]
(INVALID_CONTENT otherwise, and exits 1), and prints one JSON object on stdout.
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
    PowerForecast,
    PowerForecastElement,
    PowerForecastValue,
    PowerMeasurement,
    PowerRange,
    PowerValue,
    Role,
    RoleType,
)
from s2python.connection.asset_details import AssetDetails  # noqa: E402
from s2python.connection.async_ import S2AsyncConnection  # noqa: E402
from s2python.connection.async_.control_type.class_based import FRBCControlType  # noqa: E402
from s2python.frbc import (  # noqa: E402
    FRBCActuatorDescription,
    FRBCActuatorStatus,
    FRBCInstruction,
    FRBCOperationMode,
    FRBCOperationModeElement,
    FRBCStorageDescription,
    FRBCStorageStatus,
    FRBCSystemDescription,
)

QUANTITY = CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC


CLOCK_OFFSET = dt.timedelta(0)


def now() -> dt.datetime:
    """The time the battery stamps its messages with: the wall clock, or the CEM's simulated time (--now)."""
    return dt.datetime.now(dt.timezone.utc) + CLOCK_OFFSET


class BatteryFRBC(FRBCControlType):
    def __init__(self, session: Session, args) -> None:
        self.session = session
        self.capacity_kwh = args.capacity_kwh
        self.max_power_w = args.max_power_w
        self.soc_kwh = args.soc_kwh
        self.measured_w = args.measured_w
        self.forecast_w = args.forecast_w
        self.forecast_step_ms = int(args.forecast_step_s * 1000)
        self.actuator_id = uuid.uuid4()
        self.mode_id = uuid.uuid4()

    def power_for_factor(self, factor: float) -> float:
        return -self.max_power_w + factor * 2 * self.max_power_w

    async def activate(self, connection: S2AsyncConnection) -> None:
        try:
            rate = self.max_power_w / 1000.0 / 3600.0  # kWh per second at full power
            await send_checked(self.session, connection, FRBCSystemDescription(
                message_id=uuid.uuid4(),
                valid_from=now(),
                actuators=[FRBCActuatorDescription(
                    id=self.actuator_id,
                    diagnostic_label="battery inverter",
                    supported_commodities=[Commodity.ELECTRICITY],
                    operation_modes=[FRBCOperationMode(
                        id=self.mode_id,
                        diagnostic_label="charge/discharge",
                        elements=[FRBCOperationModeElement(
                            fill_level_range=NumberRange(start_of_range=0.0, end_of_range=self.capacity_kwh),
                            fill_rate=NumberRange(start_of_range=-rate, end_of_range=rate),
                            power_ranges=[PowerRange(start_of_range=-self.max_power_w, end_of_range=self.max_power_w,
                                                     commodity_quantity=QUANTITY)],
                        )],
                        abnormal_condition_only=False,
                    )],
                    transitions=[],
                    timers=[],
                )],
                storage=FRBCStorageDescription(
                    diagnostic_label="battery",
                    fill_level_label="kWh",
                    provides_leakage_behaviour=False,
                    provides_fill_level_target_profile=False,
                    provides_usage_forecast=False,
                    fill_level_range=NumberRange(start_of_range=0.0, end_of_range=self.capacity_kwh),
                ),
            ))
            await send_checked(self.session, connection, FRBCStorageStatus(message_id=uuid.uuid4(), present_fill_level=self.soc_kwh))
            await send_checked(self.session, connection, FRBCActuatorStatus(
                message_id=uuid.uuid4(), actuator_id=self.actuator_id, active_operation_mode_id=self.mode_id,
                operation_mode_factor=0.5,
            ))
            await send_checked(self.session, connection, PowerMeasurement(
                message_id=uuid.uuid4(), measurement_timestamp=now(),
                values=[PowerValue(commodity_quantity=QUANTITY, value=self.measured_w)],
            ))
            if self.forecast_w:
                await send_checked(self.session, connection, PowerForecast(
                    message_id=uuid.uuid4(), start_time=now(),
                    elements=[PowerForecastElement(
                        duration=Duration.from_milliseconds(self.forecast_step_ms),
                        power_values=[PowerForecastValue(value_expected=w, commodity_quantity=QUANTITY)],
                    ) for w in self.forecast_w],
                ))
            self.session.notes["activated"] = True
        except Exception as exc:  # noqa: BLE001
            self.session.fail(f"while sending the FRBC description: {type(exc).__name__}: {exc}")

    async def deactivate(self, connection: S2AsyncConnection) -> None:
        return None

    async def handle_instruction(self, connection: S2AsyncConnection, msg, send_okay) -> None:
        if not isinstance(msg, FRBCInstruction):
            self.session.fail(f"expected FRBC.Instruction, got {type(msg).__name__}")
            return
        problems = []
        if msg.actuator_id != self.actuator_id:
            problems.append(f"unknown actuator_id {msg.actuator_id}")
        if msg.operation_mode != self.mode_id:
            problems.append(f"unknown operation_mode {msg.operation_mode}")
        if not 0.0 <= msg.operation_mode_factor <= 1.0:
            problems.append(f"operation_mode_factor {msg.operation_mode_factor} outside [0, 1]")
        record = msg.to_json_dict()
        record["planned_power_w"] = self.power_for_factor(msg.operation_mode_factor)
        record["accepted"] = not problems
        self.session.instructions.append(record)
        if problems:
            await reject(connection, msg.message_id, send_okay, "; ".join(problems))
            self.session.fail("rejected FRBC.Instruction: " + "; ".join(problems))
            return
        await send_okay()
        self.session.check_done()


def main() -> int:
    p = common_arguments(__doc__.splitlines()[0])
    p.add_argument("--capacity-kwh", type=float, default=10.0)
    p.add_argument("--max-power-w", type=float, default=5000.0)
    p.add_argument("--soc-kwh", type=float, default=4.0)
    p.add_argument("--measured-w", type=float, default=-1200.0, help="present power, W (+ charging, - discharging)")
    p.add_argument("--forecast-w", default="-1200,0,2500,2500", help="comma-separated forecast power values, W (empty: none)")
    p.add_argument("--forecast-step-s", type=float, default=900.0)
    p.add_argument("--now", default=None, help="the time the CEM lives in (RFC 3339), when it simulates one: messages are stamped from it")
    args = p.parse_args()
    if args.now is not None:
        global CLOCK_OFFSET
        try:
            CLOCK_OFFSET = dt.datetime.fromisoformat(args.now.replace("Z", "+00:00")) - dt.datetime.now(dt.timezone.utc)
        except ValueError:
            p.error("--now must be an RFC 3339 time with a zone")
    try:
        args.forecast_w = [float(x) for x in args.forecast_w.split(",") if x.strip()]
    except ValueError:
        p.error("--forecast-w must be comma-separated numbers")
    if not 0.0 <= args.soc_kwh <= args.capacity_kwh:
        p.error("--soc-kwh must be within 0..--capacity-kwh")

    session = Session(expected_instructions=args.instructions, ack_timeout=args.ack_timeout,
                      expected_revocations=args.revocations)
    resource_id = parse_resource_id(args.resource_id)
    control = BatteryFRBC(session, args)
    asset = AssetDetails(
        resource_id=resource_id,
        name=args.name or "battery",
        provides_forecast=bool(args.forecast_w),
        provides_power_measurements=[QUANTITY],
        instruction_processing_delay=Duration.from_milliseconds(100),
        roles=[Role(role=RoleType.ENERGY_STORAGE, commodity=Commodity.ELECTRICITY)],
    )

    def summary(s: Session) -> dict:
        return {
            "control_type": "FILL_RATE_BASED_CONTROL",
            "actuator_id": str(control.actuator_id),
            "operation_mode_id": str(control.mode_id),
            "planned_power_w": [i["planned_power_w"] for i in s.instructions],
        }

    return run_peer(args, session, asset, [control], summary)


if __name__ == "__main__":
    sys.exit(main())
