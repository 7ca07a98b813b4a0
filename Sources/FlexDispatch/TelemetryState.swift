import DataFiles
import Foundation
import Measurements
import ParkModel

/// The park's state read from the measurement store the adapters fill: for each asset and
/// each park figure, the newest measurement within `maxAgeSeconds` before the instant.
///
/// Series names: `<asset id>.soc_kWh` (or `<asset id>.soc_pct`, a percentage of the
/// battery's `energyKWh`, as SunSpec storage reports it), `<asset id>.delivered_kWh`,
/// `<asset id>.hydrogen_kg`, `<asset id>.shed_kWh`, `park.peak_kW`, `park.carbon_kg`. A
/// value older than `maxAgeSeconds`, or in another unit than its name says, is not used
/// and is named in the notes (one reported in the day before is named with its time); the
/// re-plan then takes it from the plan it replaces. A negative reading is taken as 0, with a note.
///
/// ```swift
/// let source = TelemetryState.Source(location: "out/flexdispatch.sqlite", maxAgeSeconds: 900)
/// let (state, notes) = try TelemetryState.read(source, scenario: s, at: Date())
/// ```
public enum TelemetryState {
    /// Where the measurements are and how old a usable one may be.
    public struct Source: Sendable, Equatable {
        /// A SQLite file or a postgres:// URL (the database the adapters write).
        public var location: String
        public var maxAgeSeconds: Double

        public init(location: String, maxAgeSeconds: Double = 900) {
            self.location = location
            self.maxAgeSeconds = maxAgeSeconds
        }
    }

    /// The series name of an asset's progress of `kind` (in the kind's unit).
    public static func series(_ kind: AssetProgress, asset: String) -> String {
        switch kind {
        case .stateOfCharge: "\(asset).soc_kWh"
        case .delivered: "\(asset).delivered_kWh"
        case .hydrogen: "\(asset).hydrogen_kg"
        case .shed: "\(asset).shed_kWh"
        }
    }

    static func unit(_ kind: AssetProgress) -> String { kind == .hydrogen ? "kg" : "kWh" }

    /// The state the store holds at `at`, and notes on the values it could not use.
    public static func read(_ source: Source, scenario s: Scenario, at: Date) throws -> (state: ParkState, notes: [String]) {
        let store = try MeasurementStores.open(source.location)
        var state = ParkState(), notes: [String] = []
        let from = at.addingTimeInterval(-source.maxAgeSeconds), to = at.addingTimeInterval(0.001)

        /// The newest usable value of `series` in `unit`, noting a stale or foreign one.
        func newest(_ series: String, unit: String) throws -> Double? {
            guard let m = try store.latest(series: series, before: to) else { return nil }
            guard ISO8601Formatting.string(m.time) >= ISO8601Formatting.string(from) else {  // as the store compares times
                notes.append("telemetry: series '\(series)' last reported at \(ISO8601Formatting.string(m.time)), "
                             + "more than \(Int(source.maxAgeSeconds)) s before \(ISO8601Formatting.string(at)); not used")
                return nil
            }
            guard m.unit == unit else {
                notes.append("telemetry: series '\(series)' is in \(m.unit), not \(unit); not used")
                return nil
            }
            if m.value < 0 {
                notes.append("telemetry: series '\(series)' reads \(m.value) \(unit); taken as 0")
                return 0
            }
            return m.value
        }

        for a in s.allAssets {
            guard let kind = a.kind.progressKind else { continue }
            if let v = try newest(series(kind, asset: a.id), unit: unit(kind)) {
                state[kind, a.id] = v
            } else if kind == .stateOfCharge, let capacity = a.kind.storageCapacityKWh, let pct = try newest("\(a.id).soc_pct", unit: "%") {
                state[kind, a.id] = pct / 100 * capacity
            }
        }
        state.peakKW = try newest("park.peak_kW", unit: "kW")
        state.carbonKg = try newest("park.carbon_kg", unit: "kg")
        return (state, notes)
    }
}
