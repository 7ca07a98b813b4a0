import DataFiles
import Foundation

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
    /// Fields whose value named a time series (for messages about the series' values).
    private(set) var seriesFields: Set<String> = []

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

    /// Fields that were required but missing, or of the wrong type or out of bounds: their
    /// values are placeholders, and rules about them are not reported a second time.
    private(set) var failed: Set<String> = []

    mutating func markSeries(_ key: String) { seriesFields.insert(key) }

    /// Logs `message` about `key` (nil: reported elsewhere) and marks the field as failed.
    mutating func fail(_ key: String, _ message: String?) {
        failed.insert(key)
        if let message { log.add(message) } else { log.silentFailures += 1 }
    }

    /// Logs the rules `problems` name, with this object's place in scenario.json and, for a
    /// field that names a time series, the series; rules about a failed field are left out.
    func log(_ problems: [FieldProblem]) {
        for p in problems where !failed.contains(p.field) && failed.isDisjoint(with: p.related) {
            let series = seriesFields.contains(p.field) ? (values[p.field] as? String).map { " (series '\($0)')" } ?? "" : ""
            log.add("\(context.prefix(p.field))\(series) \(p.message)")
        }
    }

    func present(_ key: String) -> Bool { values[key] != nil && !(values[key] is NSNull) }

    mutating func raw(_ key: String) -> Any? {
        used.insert(key)
        let v = values[key]
        return v is NSNull ? nil : v
    }

    mutating func string(_ key: String) -> String? {
        guard let v = raw(key) else { fail(key, "\(context.prefix(key)) is required"); return nil }
        guard let s = v as? String else { fail(key, "\(context.prefix(key)) must be a string"); return nil }
        return s
    }

    /// A number; `defaultValue` nil means required.
    mutating func number(_ key: String, default defaultValue: Double? = nil, required: Bool = true) -> Double? {
        guard let v = raw(key) else {
            if defaultValue == nil && required { fail(key, "\(context.prefix(key)) is required") }
            return defaultValue
        }
        // JSON booleans arrive as NSNumber with objCType "c"; they are not numbers here.
        guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
            fail(key, "\(context.prefix(key)) must be a number, got \(v)")
            return defaultValue
        }
        guard abs(n.doubleValue) <= ScenarioBounds.magnitude else {
            fail(key, "\(context.prefix(key)) must lie within ±\(format(ScenarioBounds.magnitude)), got \(n.doubleValue)")
            return defaultValue
        }
        return n.doubleValue
    }

    mutating func positiveInteger(_ key: String) -> Int? {
        guard let v = number(key) else { return nil }
        guard v > 0, v == v.rounded(), v < 1e9 else {
            fail(key, "\(context.prefix(key)) must be a positive integer, got \(format(v))")
            return nil
        }
        return Int(v)
    }

    /// An optional boolean (absent means `defaultValue`).
    mutating func bool(_ key: String, default defaultValue: Bool = false) -> Bool {
        guard let v = raw(key) else { return defaultValue }
        guard let n = v as? NSNumber, String(cString: n.objCType) == "c" else {
            fail(key, "\(context.prefix(key)) must be true or false, got \(v)")
            return defaultValue
        }
        return n.boolValue
    }

    mutating func array(_ key: String) -> [Any]? {
        guard let v = raw(key) else { fail(key, "\(context.prefix(key)) is required"); return nil }
        guard let a = v as? [Any] else { fail(key, "\(context.prefix(key)) must be an array"); return nil }
        return a
    }

    /// Reports keys that were never read.
    func reportUnknownKeys() {
        for key in values.keys.sorted() where !used.contains(key) {
            log.add("\(context.prefix(key)) is not a known field (typo?)")
        }
    }
}
