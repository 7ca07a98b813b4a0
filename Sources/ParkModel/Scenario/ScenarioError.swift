import DataFiles
import Foundation

/// All input errors of a scenario, reported together. Each message names the file, the
/// JSON path or CSV line, the firm and asset, and the field.
public struct ScenarioError: Error, CustomStringConvertible {
    /// One line each: control characters that came from the input are escaped.
    public var messages: [String]
    public var description: String { messages.joined(separator: "\n") }
    public init(messages: [String]) { self.messages = messages.map { Printable.escaped($0, limit: 1000) } }
}

/// Collects errors while a scenario is read.
final class IssueLog {
    var messages: [String] = []
    /// Fields that failed without a message of their own (their cause was reported elsewhere).
    var silentFailures = 0
    /// The series each field named, by "<firm, asset or park>.<field>" (``Scenario/seriesNames``).
    var seriesNames: [String: String] = [:]
    func add(_ m: String) { messages.append(m) }
}

/// The documented bounds of a scenario's numbers (docs/park-model.md "Bounds"): wide
/// enough for any park (1 TW, 1 TWh, a price of 10⁹ per kWh), narrow enough that every
/// product the LP forms stays finite and well inside a double's range.
public enum ScenarioBounds {
    /// Largest magnitude of any number in scenario.json or timeseries.csv.
    public static let magnitude = 1e9
    /// Smallest battery charge or discharge efficiency.
    public static let efficiencyMinimum = 0.01
}

func format(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
}
