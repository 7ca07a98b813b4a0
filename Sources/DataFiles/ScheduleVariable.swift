/// What a value of a dispatch schedule is: the `variable` column of `schedule.csv` and of
/// a recorded run (its raw value is that column's text). Asset types declare their
/// variables by these roles; the report, the setpoints and the adapters read the roles.
public enum ScheduleVariable: String, Sendable, CaseIterable, Codable {
    /// Power drawn from the grid at the park's connection (kW).
    case gridImport = "import_kW"
    /// Power fed into the grid at the park's connection (kW).
    case gridExport = "export_kW"
    /// A firm's net exchange with the park (kW, positive when the firm takes power).
    case exchange = "exchange_kW"
    /// Power an asset generates (kW).
    case generation = "generation_kW"
    /// Power a storage takes in (kW).
    case charge = "charge_kW"
    /// Power a storage gives out (kW).
    case discharge = "discharge_kW"
    /// Energy a storage holds at the end of the step (kWh).
    case stateOfCharge = "soc_kWh"
    /// Power a flexible consumer draws: a shiftable process, an electrolyzer (kW).
    case consumption = "power_kW"
    /// Load a firm does not serve (kW).
    case shed = "shed_kW"

    /// The sign with which the variable enters its owner's net consumption N (spec
    /// "Per asset"): +1 for power drawn, −1 for power supplied or load not served; nil for
    /// quantities that are not an asset's power (state of charge, grid, exchange).
    public var netConsumptionSign: Double? {
        switch self {
        case .charge, .consumption: return 1
        case .discharge, .generation, .shed: return -1
        case .stateOfCharge, .gridImport, .gridExport, .exchange: return nil
        }
    }

    /// The sign with which the variable enters an asset's setpoint (kW, positive = consume
    /// or charge); nil for results that are not sent to a device (state of charge, load
    /// shed, grid and exchange flows).
    public var setpointSign: Double? {
        switch self {
        case .charge, .consumption: return 1
        case .discharge, .generation: return -1
        case .stateOfCharge, .shed, .gridImport, .gridExport, .exchange: return nil
        }
    }
}
