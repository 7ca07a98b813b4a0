import DataFiles

/// One step of a plan, as the digital twin (`ParkTwin`) hands it to an asset to carry out
/// (``AssetKind/realise(_:progress:shedAllowanceKW:)``).
public struct PlannedStep {
    /// The step's index in the realised horizon, and its length in hours.
    public let step: Int
    public let stepHours: Double
    /// The plan's value of each of the asset's roles at this step (0 for a role it lacks).
    public let value: (ScheduleVariable) -> Double
    /// For an asset with a profile: the power the plan expected to be available.
    public let plannedAvailableKW: Double?

    public init(step: Int, stepHours: Double, value: @escaping (ScheduleVariable) -> Double, plannedAvailableKW: Double? = nil) {
        self.step = step
        self.stepHours = stepHours
        self.value = value
        self.plannedAvailableKW = plannedAvailableKW
    }
}

/// What carrying out one step did to an asset.
public struct RealisedStep: Sendable, Equatable {
    /// Its contribution to its owner's net consumption (kW; negative when it produces or sheds).
    public var netConsumptionKW: Double
    /// Its progress after the step (of ``AssetKind/progressKind``; nil when it has none).
    public var progress: Double?
    /// Its cost in the step, under its ``AssetKind/costPart``.
    public var cost: Double

    public init(netConsumptionKW: Double, progress: Double?, cost: Double) {
        self.netConsumptionKW = netConsumptionKW
        self.progress = progress
        self.cost = cost
    }
}
