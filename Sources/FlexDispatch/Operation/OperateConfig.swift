import Adapters
import DataFiles
import Foundation
import LinearProgramming

/// What `flexdispatch operate` runs: the scenario it re-plans, the database that holds the
/// run history and the measurements, the feeds whose sinks receive the setpoints, how often
/// it re-plans and which events make it re-plan at once. A JSON file; relative paths are
/// taken from the file's folder.
///
/// ```json
/// {"scenario": "park", "database": "park.sqlite", "feeds": "feeds.json", "collect": true,
///  "out": "out/operate", "everyMinutes": 15, "horizonHours": 24, "maxAgeMinutes": 15,
///  "pollSeconds": 30, "cycleSeconds": 300,
///  "triggers": {"stateOfChargePercent": 10, "minGapMinutes": 5}, "ven": "ven.json",
///  "fallback": "release"}
/// ```
/// Only `scenario` and `database` are required.
public struct OperateConfig: Sendable {
    /// The scenario folder, read again at every cycle (the day-ahead batch may refresh it).
    public var scenario: String
    /// The run history and the measurement store: a SQLite file or a postgres:// URL.
    public var database: String
    /// The feeds configuration whose sinks receive every new plan (MQTT feeds with
    /// `setpointPrefix`, Modbus/SunSpec feeds with `setpoints`); nil: plans are only recorded.
    public var feeds: String?
    /// Whether the service also runs the feeds' sources into `database` (otherwise a
    /// separate `flexdispatch feeds run` fills it).
    public var collect = false
    /// Where each plan's outputs are written (replaced by the next plan).
    public var out: String
    /// Minutes between two scheduled re-plans, at the period's multiples since 1970-01-01 00:00 UTC.
    public var everyMinutes = 15.0
    /// How far each plan looks ahead (the scenario's end bounds it).
    public var horizonHours = 24.0
    /// The oldest telemetry a re-plan uses, in minutes before its instant.
    public var maxAgeMinutes = 15.0
    /// Seconds between two looks at the events, and the longest wait between two sends of the step in effect.
    public var pollSeconds = 30.0
    /// A cycle's budget in seconds: the solver's time limit, and the time after which a
    /// cycle that has not finished leaves the previous plan in force.
    public var cycleSeconds = 300.0
    /// A battery whose measured state of charge is this far from the plan's (percent of
    /// its capacity) triggers a re-plan; nil: never.
    public var stateOfChargePercent: Double? = 10
    /// The least time between two re-plans that events trigger.
    public var minGapMinutes = 5.0
    /// A VEN configuration: the VTN's price and limit events are written into the
    /// scenario and a change within the horizon triggers a re-plan; nil: none.
    public var ven: String?
    /// Hard limits instead of soft ones (a plan that cannot meet them is infeasible and not published).
    public var hard = false
    /// What the devices are told when no plan holds the present (the plan in force has
    /// ended, or none came out).
    public enum Fallback: String, Sendable, CaseIterable {
        /// Hand them back to their own control (`SetpointSink.release`): a battery's own
        /// mode, an inverter without a power limit, a gateway without a schedule.
        case release
        /// Send nothing: each keeps its last setpoint.
        case hold
    }
    public var fallback = Fallback.release
    /// The interior point's settings; the time limit is `cycleSeconds` unless set lower.
    public var settings = SolverSettings()

    public init(scenario: String, database: String, out: String? = nil) {
        self.scenario = scenario
        self.database = database
        self.out = out ?? ((database.hasPrefix("postgres") ? "out" : (database as NSString).deletingLastPathComponent) as NSString)
            .appendingPathComponent("operate")
    }

    /// Where a cycle reads the park's state: the measurement store in `database`, values no older than `maxAgeMinutes`.
    public var telemetry: TelemetryState.Source {
        TelemetryState.Source(location: database, maxAgeSeconds: maxAgeMinutes * 60)
    }

    /// The solver settings a cycle uses: `settings` with its time limit at most `cycleSeconds`.
    public var cycleSettings: SolverSettings {
        var s = settings
        s.timeLimit = min(s.timeLimit, cycleSeconds)
        return s
    }

    /// Reads and checks a configuration file.
    /// - Throws: `ConfigError` naming the file and the field.
    public static func read(path: String) throws -> OperateConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path, "cannot read the file") }
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch { throw ConfigError(path, error.description) }
        guard let root = any as? [String: Any] else { throw ConfigError(path, "not a JSON object") }
        let known = ["scenario", "database", "feeds", "collect", "out", "everyMinutes", "horizonHours", "maxAgeMinutes", "pollSeconds",
                     "cycleSeconds", "triggers", "ven", "hard", "solver", "fallback"]
        if let unknown = root.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigError(path, "unknown field '\(Printable.escaped(unknown))' (known: \(known.joined(separator: ", ")))")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolved(_ p: String) -> String {
            p.hasPrefix("/") || p.hasPrefix("postgres://") || p.hasPrefix("postgresql://") ? p : base.appendingPathComponent(p).path
        }
        func string(_ key: String, in o: [String: Any] = root, required: Bool = false) throws -> String? {
            guard let v = o[key] else {
                if required { throw ConfigError(path, "field '\(key)' is required") }
                return nil
            }
            guard let s = v as? String, !s.isEmpty else { throw ConfigError(path, "field '\(key)': a non-empty string") }
            return s
        }
        func number(_ key: String, in o: [String: Any] = root, at: String = "") throws -> Double? {
            guard let v = o[key] else { return nil }
            guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite, n.doubleValue > 0 else {
                throw ConfigError(path, "field '\(at)\(key)': a positive number")
            }
            return n.doubleValue
        }
        func flag(_ key: String) throws -> Bool? {
            guard let v = root[key] else { return nil }
            guard let n = v as? NSNumber, String(cString: n.objCType) == "c" else { throw ConfigError(path, "field '\(key)': true or false") }
            return n.boolValue
        }
        let scenario = try string("scenario", required: true)!, database = try string("database", required: true)!
        var c = OperateConfig(scenario: resolved(scenario), database: resolved(database), out: try string("out").map(resolved))
        c.feeds = try string("feeds").map(resolved)
        c.ven = try string("ven").map(resolved)
        c.collect = try flag("collect") ?? false
        c.hard = try flag("hard") ?? false
        if let f = root["fallback"] {
            guard let s = f as? String, let v = Fallback(rawValue: s) else {
                throw ConfigError(path, "field 'fallback': \(Fallback.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))")
            }
            c.fallback = v
        }
        if c.collect && c.feeds == nil { throw ConfigError(path, "field 'collect': there are no 'feeds' to collect from") }
        c.everyMinutes = try number("everyMinutes") ?? c.everyMinutes
        c.horizonHours = try number("horizonHours") ?? c.horizonHours
        c.maxAgeMinutes = try number("maxAgeMinutes") ?? c.maxAgeMinutes
        c.pollSeconds = try number("pollSeconds") ?? c.pollSeconds
        c.cycleSeconds = try number("cycleSeconds") ?? c.cycleSeconds
        if let t = root["triggers"] {
            guard let o = t as? [String: Any] else { throw ConfigError(path, "field 'triggers': an object") }
            if let unknown = o.keys.sorted().first(where: { !["stateOfChargePercent", "minGapMinutes"].contains($0) }) {
                throw ConfigError(path, "unknown field 'triggers.\(Printable.escaped(unknown))' (known: stateOfChargePercent, minGapMinutes)")
            }
            if o["stateOfChargePercent"] is NSNull { c.stateOfChargePercent = nil } else if let p = try number("stateOfChargePercent", in: o, at: "triggers.") {
                c.stateOfChargePercent = p
            }
            c.minGapMinutes = try number("minGapMinutes", in: o, at: "triggers.") ?? c.minGapMinutes
        }
        if let s = root["solver"] {
            guard let o = s as? [String: Any] else { throw ConfigError(path, "field 'solver': an object") }
            if let unknown = o.keys.sorted().first(where: { !["maxIterations", "timeLimitSeconds", "tolerance", "threads"].contains($0) }) {
                throw ConfigError(path, "unknown field 'solver.\(Printable.escaped(unknown))' (known: maxIterations, timeLimitSeconds, tolerance, threads)")
            }
            func whole(_ key: String, max: Int) throws -> Int? {
                guard let n = try number(key, in: o, at: "solver.") else { return nil }
                guard let i = Int(exactly: n), i <= max else { throw ConfigError(path, "field 'solver.\(key)': a whole number from 1 to \(max)") }
                return i
            }
            if let n = try whole("maxIterations", max: 100_000) { c.settings.maxIterations = n }
            if let n = try number("timeLimitSeconds", in: o, at: "solver.") { c.settings.timeLimit = n }
            if let n = try whole("threads", max: 1_024) { c.settings.threads = n }
            if let n = try number("tolerance", in: o, at: "solver.") {
                c.settings.primalTolerance = n
                c.settings.dualTolerance = n
                c.settings.gapTolerance = n
            }
            do { try c.settings.validate() } catch { throw ConfigError(path, "field 'solver': \(error)") }
        }
        if c.pollSeconds > c.everyMinutes * 60 {
            throw ConfigError(path, "field 'pollSeconds' (\(c.pollSeconds)) is longer than a cycle (everyMinutes \(c.everyMinutes))")
        }
        return c
    }
}
