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
    func add(_ m: String) { messages.append(m) }
}

/// Where in scenario.json a value sits, for messages:
/// `scenario.json firms[0].assets[2] (firm 'f01', asset 'f01_bat')`.
struct JSONContext {
    var path: String
    var label: String

    func child(_ key: String, label: String? = nil) -> JSONContext {
        JSONContext(path: path.isEmpty ? key : "\(path).\(key)", label: label ?? self.label)
    }

    func prefix(_ field: String) -> String {
        let place = path.isEmpty ? field : "\(path).\(field)"
        return "scenario.json \(place)" + (label.isEmpty ? "" : " (\(label))") + ": field '\(field)'"
    }
}

/// Typed, strict access to one JSON object: every key read is remembered so that
/// unknown keys can be reported; `null` counts as absent.
struct JSONObject {
    let values: [String: Any]
    let context: JSONContext
    let log: IssueLog
    private(set) var used: Set<String> = []

    init?(_ any: Any?, context: JSONContext, log: IssueLog, what: String) {
        guard let dict = any as? [String: Any] else {
            log.add("scenario.json \(context.path.isEmpty ? "(top level)" : context.path)"
                    + (context.label.isEmpty ? "" : " (\(context.label))") + ": \(what) must be a JSON object")
            return nil
        }
        values = dict
        self.context = context
        self.log = log
    }

    func present(_ key: String) -> Bool { values[key] != nil && !(values[key] is NSNull) }

    mutating func raw(_ key: String) -> Any? {
        used.insert(key)
        let v = values[key]
        return v is NSNull ? nil : v
    }

    mutating func string(_ key: String) -> String? {
        guard let v = raw(key) else { log.add("\(context.prefix(key)) is required"); return nil }
        guard let s = v as? String else { log.add("\(context.prefix(key)) must be a string"); return nil }
        return s
    }

    /// A number; `defaultValue` nil means required.
    mutating func number(_ key: String, default defaultValue: Double? = nil, required: Bool = true) -> Double? {
        guard let v = raw(key) else {
            if defaultValue == nil && required { log.add("\(context.prefix(key)) is required") }
            return defaultValue
        }
        // JSON booleans arrive as NSNumber with objCType "c"; they are not numbers here.
        guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
            log.add("\(context.prefix(key)) must be a number, got \(v)")
            return defaultValue
        }
        guard abs(n.doubleValue) <= ScenarioBounds.magnitude else {
            log.add("\(context.prefix(key)) must lie within ±\(format(ScenarioBounds.magnitude)), got \(n.doubleValue)")
            return defaultValue
        }
        return n.doubleValue
    }

    mutating func nonNegative(_ key: String, default defaultValue: Double? = nil) -> Double? {
        let v = number(key, default: defaultValue)
        if let v, v < 0 { log.add("\(context.prefix(key)) must be ≥ 0, got \(format(v))") }
        return v
    }

    mutating func positiveInteger(_ key: String) -> Int? {
        guard let v = number(key) else { return nil }
        guard v > 0, v == v.rounded(), v < 1e9 else {
            log.add("\(context.prefix(key)) must be a positive integer, got \(format(v))")
            return nil
        }
        return Int(v)
    }

    /// An optional boolean (absent means `defaultValue`).
    mutating func bool(_ key: String, default defaultValue: Bool = false) -> Bool {
        guard let v = raw(key) else { return defaultValue }
        guard let n = v as? NSNumber, String(cString: n.objCType) == "c" else {
            log.add("\(context.prefix(key)) must be true or false, got \(v)")
            return defaultValue
        }
        return n.boolValue
    }

    mutating func array(_ key: String) -> [Any]? {
        guard let v = raw(key) else { log.add("\(context.prefix(key)) is required"); return nil }
        guard let a = v as? [Any] else { log.add("\(context.prefix(key)) must be an array"); return nil }
        return a
    }

    /// Reports keys that were never read.
    func reportUnknownKeys() {
        for key in values.keys.sorted() where !used.contains(key) {
            log.add("\(context.prefix(key)) is not a known field (typo?)")
        }
    }
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
