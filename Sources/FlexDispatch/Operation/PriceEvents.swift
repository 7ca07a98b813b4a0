import Adapters
import DataFiles
import Foundation
import ParkModel

/// The VTN's price and limit events as a reason to re-plan: each poll asks the VTN (as
/// the park's VEN) for the signals from now to the scenario's end and writes them into the
/// scenario's time series (`ScenarioSignals`, relative to the time series as it was when
/// the service started); a changed value at or after the present's step is an event.
final class PriceEvents: @unchecked Sendable {
    let client: VENClient
    let venName: String
    let scenarioDirectory: String
    let base: String
    private var registered = false

    init(venPath: String, scenarioDirectory: String) throws {
        let settings = try VENClient.Settings.read(path: venPath)
        client = try VENClient(settings)
        venName = settings.venName
        self.scenarioDirectory = scenarioDirectory
        base = try ScenarioSignals.timeSeriesText(scenarioDirectory: scenarioDirectory)
    }

    /// What changed at or after `now`'s step, in words; nil when nothing did.
    func poll(from now: Date, scenario s: Scenario) async throws -> String? {
        if !registered {
            try await client.register()
            registered = true
        }
        let end = s.start.addingTimeInterval(Double(s.steps * s.stepMinutes * 60))
        guard now < end else { return nil }
        let signals = try await client.signals(from: now, to: end)
        let first = s.step(containing: now) ?? 0
        let changes = try ScenarioSignals.apply(signals, scenarioDirectory: scenarioDirectory, base: base).filter { $0.step >= first }
        guard let earliest = changes.min(by: { $0.step < $1.step }) else { return nil }
        let columns = Set(changes.map(\.column)).sorted().joined(separator: ", ")
        return "VTN: \(changes.count) value(s) of \(columns) changed from step \(earliest.step) (\(s.times[earliest.step]))"
    }
}
