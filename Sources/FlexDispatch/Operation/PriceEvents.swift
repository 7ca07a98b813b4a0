import Adapters
import DataFiles
import Foundation
import ParkModel

/// The VTN's price and limit events as a reason to re-plan: each poll asks the VTN (as
/// the park's VEN) for the signals from now to the scenario's end and writes them into the
/// scenario's time series (`ScenarioSignals`, relative to the time series as it was before
/// any signal, kept beside the service's outputs); a value at or after the present's step that differs from the last
/// poll's (set, changed or withdrawn) is an event.
final class PriceEvents: @unchecked Sendable {
    let client: VENClient
    let venName: String
    let scenarioDirectory: String
    let base: String
    private var registered = false
    /// The values the signals gave at the last poll (relative to `base`), by column and step.
    private var applied: [String: Double] = [:]

    /// `basePath` keeps the time series as it was before any signal, across restarts: it is
    /// taken when it holds the same times as the scenario's file, written afresh otherwise.
    init(venPath: String, scenarioDirectory: String, basePath: String) throws {
        let settings = try VENClient.Settings.read(path: venPath)
        client = try VENClient(settings)
        venName = settings.venName
        self.scenarioDirectory = scenarioDirectory
        let current = try ScenarioSignals.timeSeriesText(scenarioDirectory: scenarioDirectory)
        func times(_ text: String) -> [Substring] { text.split(whereSeparator: \.isNewline).map { $0.prefix { $0 != "," } } }
        if let kept = try? String(contentsOfFile: basePath, encoding: .utf8), times(kept) == times(current) {
            base = kept
        } else {
            base = current
            do { try Data(current.utf8).write(to: URL(fileURLWithPath: basePath), options: .atomic) } catch {
                throw ConfigError(basePath, "cannot keep the time series' own values: \(error)")
            }
        }
    }

    /// What changed at or after `now`'s step, in words; nil when nothing did.
    func poll(from now: Date, scenario s: Scenario) async throws -> String? {
        if !registered {
            try await client.register()
            registered = true
        }
        let end = s.stepStart(s.steps)
        guard now < end, let first = s.step(containing: now) else { return nil }
        // From the present step's start: a signal cut at the present instant would mix with
        // the step's own value in a proportion that changes at every look.
        let signals = try await client.signals(from: s.stepStart(first), to: end)
        let all = try ScenarioSignals.apply(signals, scenarioDirectory: scenarioDirectory, base: base)
        let current = Dictionary(all.map { ("\($0.column)/\($0.step)", $0.new) }, uniquingKeysWith: { _, b in b })
        defer { applied = current }
        // New since the last poll: a value the signals set or changed, or one they gave back.
        let changes = all.filter { $0.step >= first && applied["\($0.column)/\($0.step)"] != $0.new }
        let withdrawn = applied.keys.filter { current[$0] == nil }.compactMap { key -> Int? in
            key.split(separator: "/").last.flatMap { Int($0) }.flatMap { $0 >= first ? $0 : nil }
        }
        if changes.isEmpty, let step = withdrawn.min() {
            return "VTN: \(withdrawn.count) value(s) withdrawn from step \(step) (\(s.times[step]))"
        }
        guard let earliest = changes.min(by: { $0.step < $1.step }) else { return nil }
        let columns = Set(changes.map(\.column)).sorted().joined(separator: ", ")
        return "VTN: \(changes.count) value(s) of \(columns) changed from step \(earliest.step) (\(s.times[earliest.step]))"
    }
}
