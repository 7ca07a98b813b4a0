import DataFiles
import Foundation

/// The adapters' configuration file (JSON): the series and what each accepts, and the
/// feeds that deliver them. Adding a firm is a few lines here, not code.
///
///     {"series": [{"name": "f01_load", "unit": "kW", "min": 0, "max": 60000, "maxAgeDays": 30}],
///      "feeds": [{"type": "files", "name": "erp", "folder": "drop/erp", "pollSeconds": 5,
///                 "columns": {"meter_f01_W": {"series": "f01_load", "unit": "W"}}}]}
public struct FeedConfig: Sendable {
    /// A column (or topic) mapped to a series, with its unit, a scale to the series' unit and, for MQTT, the payload's shape.
    public struct ColumnMapping: Sendable, Equatable {
        public var series: String
        public var unit: String?
        /// Multiplies the raw value before unit conversion (a CT ratio, a meter constant).
        public var scale: Double = 1
        /// MQTT only: where a payload of another shape keeps its value and time (nil: the
        /// documented schema).
        public var shape: PayloadShape?

        public init(series: String, unit: String?, scale: Double = 1, shape: PayloadShape? = nil) {
            self.series = series
            self.unit = unit
            self.scale = scale
            self.shape = shape
        }

        /// Reads `{"series", "unit"?, "scale"?}`; `at` names it in errors.
        static func read(_ any: Any?, _ path: String, _ at: String, seriesRequired: Bool = true) throws -> ColumnMapping {
            guard let m = any as? [String: Any] else { throw ConfigError(path, "\(at): expected an object with 'series'") }
            try FeedConfig.keys(m, seriesRequired ? ["series", "unit", "scale"] : ["series", "unit", "scale", "valuePath", "timePath", "timeFormat"],
                                path, at)
            let series = m["series"] as? String ?? ""
            if seriesRequired && series.isEmpty { throw ConfigError(path, "\(at): needs 'series'") }
            var scale = 1.0
            if let v = m["scale"] {
                guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite, n.doubleValue != 0 else {
                    throw ConfigError(path, "\(at).scale: must be a finite, non-zero number")
                }
                scale = n.doubleValue
            }
            var shape: PayloadShape?
            if m["valuePath"] != nil || m["timePath"] != nil || m["timeFormat"] != nil {
                var p = PayloadShape()
                if let v = m["valuePath"] { guard let v = v as? String, !v.isEmpty else { throw ConfigError(path, "\(at).valuePath: a dotted path such as data.power") }; p.valuePath = v }
                if let v = m["timePath"] { guard let v = v as? String, !v.isEmpty else { throw ConfigError(path, "\(at).timePath: a dotted path such as ts") }; p.timePath = v }
                if let v = m["timeFormat"] {
                    guard let v = v as? String, let f = PayloadShape.TimeFormat(rawValue: v) else {
                        throw ConfigError(path, "\(at).timeFormat: one of \(PayloadShape.TimeFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    p.timeFormat = f
                }
                shape = p
            }
            return ColumnMapping(series: series, unit: m["unit"] as? String, scale: scale, shape: shape)
        }
    }

    /// An MQTT payload of another shape than the documented one: the value (and time) at a
    /// dotted path inside a JSON object, or a bare number; the time as ISO 8601, Unix
    /// seconds or milliseconds, or the arrival time.
    public struct PayloadShape: Sendable, Equatable {
        /// How a payload gives its time: ISO 8601, seconds or milliseconds since 1970, or the time it was received.
        public enum TimeFormat: String, Sendable, CaseIterable { case iso8601, epochSeconds, epochMillis, received }
        public var valuePath = "value"
        public var timePath = "time"
        public var timeFormat = TimeFormat.iso8601
        public init() {}
    }
    /// A drop folder: where legacy systems put files, how often it is read, how its columns map to series and the series it may write.
    public struct FilesFeed: Sendable {
        public var name: String
        public var folder: String
        public var pollSeconds: Double
        /// Column (wide CSV) or series name (long CSV, JSON) → series and unit.
        public var columns: [String: ColumnMapping]
        /// The series this feed may write (`Feeds.allowed`).
        public var allowed: Set<String>

        public init(name: String, folder: String, pollSeconds: Double, columns: [String: ColumnMapping], allowed: Set<String>? = nil) {
            self.name = name
            self.folder = folder
            self.pollSeconds = pollSeconds
            self.columns = columns
            self.allowed = allowed ?? Set(columns.values.map(\.series))
        }
    }
    /// An MQTT broker: its settings, the topics read into series, where setpoints are published and the series it may write.
    public struct MQTTFeed: Sendable {
        public var name: String
        public var settings: MQTTClient.Settings
        /// Topic filter (MQTT wildcards allowed) → series and unit.
        public var topics: [String: ColumnMapping]
        /// Where setpoints are published (`<prefix>/<asset>/schedule`), when set.
        public var setpointPrefix: String?
        /// The series this feed may write.
        public var allowed: Set<String>

        public init(name: String, settings: MQTTClient.Settings, topics: [String: ColumnMapping], setpointPrefix: String?,
                    allowed: Set<String>? = nil) {
            self.name = name
            self.settings = settings
            self.topics = topics
            self.setpointPrefix = setpointPrefix
            self.allowed = allowed ?? Set(topics.values.map(\.series).filter { !$0.isEmpty })
        }
    }
    /// A Modbus TCP device speaking SunSpec: which points feed which series, which assets
    /// it takes setpoints for.
    public struct ModbusFeed: Sendable {
        public var name: String
        public var settings: ModbusTCPClient.Settings
        public var unitID: UInt8
        public var pollSeconds: Double
        /// "MODEL.POINT" (e.g. "103.W") → series and unit (nil: the point's SunSpec unit).
        public var points: [String: ColumnMapping]
        /// Asset → how its setpoint is written (`SunSpecSetpointSink.Control`).
        public var setpoints: [String: SunSpecSetpointSink.Control]
    }
    public var series: [SeriesSpec]
    public var files: [FilesFeed]
    public var mqtt: [MQTTFeed] = []
    public var modbus: [ModbusFeed] = []
    /// What the operator should know about the file (a password sent in clear, a file that
    /// holds one readable by every user).
    public var warnings: [String] = []

    public static func read(path: String) throws -> FeedConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path, "cannot read the file") }
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch { throw ConfigError(path, error.description) }
        guard let root = any as? [String: Any] else { throw ConfigError(path, "not a JSON object") }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        try keys(root, ["series", "feeds"], path, "top level")
        var config = FeedConfig(series: [], files: [], mqtt: [])
        for (k, any) in ((root["series"] as? [Any]) ?? []).enumerated() {
            let at = "series[\(k)]"
            guard let o = any as? [String: Any], let name = o["name"] as? String, let unit = o["unit"] as? String else {
                throw ConfigError(path, "\(at): needs 'name' and 'unit'")
            }
            try keys(o, ["name", "unit", "min", "max", "maxAgeDays", "maxFutureSeconds"], path, at)
            func number(_ key: String) throws -> Double? {
                guard let v = o[key] else { return nil }
                guard let n = v as? NSNumber, String(cString: n.objCType) != "c" else { throw ConfigError(path, "\(at).\(key): must be a number") }
                return n.doubleValue
            }
            config.series.append(SeriesSpec(name: name, unit: unit, min: try number("min") ?? -.infinity, max: try number("max") ?? .infinity,
                                            maxAgeSeconds: (try number("maxAgeDays") ?? 7) * 86400,
                                            maxFutureSeconds: try number("maxFutureSeconds") ?? 300))
        }
        for (k, any) in ((root["feeds"] as? [Any]) ?? []).enumerated() {
            let at = "feeds[\(k)]"
            guard let o = any as? [String: Any], let type = o["type"] as? String, let name = o["name"] as? String else {
                throw ConfigError(path, "\(at): needs 'type' and 'name'")
            }
            switch type {
            case "files":
                try keys(o, ["type", "name", "folder", "pollSeconds", "columns", "series"], path, at)
                guard let folder = o["folder"] as? String else { throw ConfigError(path, "\(at).folder: required") }
                var columns: [String: ColumnMapping] = [:]
                for (column, m) in (o["columns"] as? [String: Any]) ?? [:] {
                    columns[column] = try ColumnMapping.read(m, path, "\(at).columns.\(column)")
                }
                let resolved = folder.hasPrefix("/") ? folder : base.appendingPathComponent(folder).path
                config.files.append(FilesFeed(name: name, folder: resolved, pollSeconds: try seconds(o, "pollSeconds", default: 5, path, at),
                                              columns: columns,
                                              allowed: try allowList(o, mapped: columns.values.map(\.series), path, at)))
            case "mqtt":
                try keys(o, ["type", "name", "host", "port", "clientID", "username", "password", "caFile", "topics", "setpointPrefix", "series"],
                         path, at)
                for key in ["host", "clientID", "username", "password", "caFile", "setpointPrefix"] where o[key] != nil && !(o[key] is String) {
                    throw ConfigError(path, "\(at).\(key): must be a string")
                }
                var settings = MQTTClient.Settings()
                settings.host = o["host"] as? String ?? settings.host
                if let v = o["port"] {
                    guard let n = v as? NSNumber, String(cString: n.objCType) != "c", let port = Int(exactly: n.doubleValue), (1...65535).contains(port) else {
                        throw ConfigError(path, "\(at).port: a whole number from 1 to 65535")
                    }
                    settings.port = port
                }
                settings.clientID = o["clientID"] as? String ?? "flexdispatch-\(name)"
                settings.username = o["username"] as? String
                settings.password = o["password"] as? String
                settings.caFile = o["caFile"] as? String
                if settings.password != nil && settings.caFile == nil {
                    config.warnings.append("\(path): \(at): the MQTT password goes over plain TCP (no 'caFile'): anyone on the network can read it")
                }
                var topics: [String: ColumnMapping] = [:]
                for (topic, m) in (o["topics"] as? [String: Any]) ?? [:] {
                    topics[topic] = try ColumnMapping.read(m, path, "\(at).topics.\(topic)", seriesRequired: false)
                }
                guard !topics.isEmpty else { throw ConfigError(path, "\(at).topics: at least one topic") }
                config.mqtt.append(MQTTFeed(name: name, settings: settings, topics: topics, setpointPrefix: o["setpointPrefix"] as? String,
                                            allowed: try allowList(o, mapped: topics.values.map(\.series).filter { !$0.isEmpty }, path, at)))
            case "modbus":
                config.modbus.append(try modbusFeed(o, name: name, path, at))
            default:
                throw ConfigError(path, "\(at).type: '\(type)' is not an adapter here yet (files, mqtt, modbus)")
            }
        }
        if config.mqtt.contains(where: { $0.settings.password != nil }) {
            config.warnings += FilePermissions.exposed(path, holding: "MQTT passwords")
        }
        let known = Set(config.series.map(\.name))
        for (feed, allowed) in config.files.map({ ($0.name, $0.allowed) }) + config.mqtt.map({ ($0.name, $0.allowed) }) {
            if let unknown = allowed.sorted().first(where: { !known.contains($0) }) {
                throw ConfigError(path, "feed '\(feed)' series: '\(unknown)' is not declared in 'series'")
            }
        }
        for f in config.files { for (column, m) in f.columns where !known.contains(m.series) {
            throw ConfigError(path, "feed '\(f.name)' column '\(column)': series '\(m.series)' is not declared in 'series'")
        } }
        for f in config.mqtt { for (topic, m) in f.topics where !m.series.isEmpty && !known.contains(m.series) {
            throw ConfigError(path, "feed '\(f.name)' topic '\(topic)': series '\(m.series)' is not declared in 'series'")
        } }
        for f in config.modbus { for (point, m) in f.points where !known.contains(m.series) {
            throw ConfigError(path, "feed '\(f.name)' point '\(point)': series '\(m.series)' is not declared in 'series'")
        } }
        return config
    }

    static func modbusFeed(_ o: [String: Any], name: String, _ path: String, _ at: String) throws -> ModbusFeed {
        try keys(o, ["type", "name", "host", "port", "unitID", "pollSeconds", "timeoutSeconds", "retries", "points", "setpoints"], path, at)
        guard let host = o["host"] as? String, let port = (o["port"] as? NSNumber)?.intValue, (1...65535).contains(port) else {
            throw ConfigError(path, "\(at): needs 'host' and a 'port' in 1…65535")
        }
        var settings = ModbusTCPClient.Settings(host: host, port: port)
        settings.timeoutSeconds = try seconds(o, "timeoutSeconds", default: settings.timeoutSeconds, path, at)
        if let r = o["retries"] {
            guard let n = r as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue == n.doubleValue.rounded(),
                  (0...10).contains(n.doubleValue) else { throw ConfigError(path, "\(at).retries: a whole number from 0 to 10") }
            settings.retries = n.intValue
        }
        let unit = (o["unitID"] as? NSNumber)?.intValue ?? 1
        guard (0...255).contains(unit) else { throw ConfigError(path, "\(at).unitID: \(unit) is not in 0…255") }
        var points: [String: ColumnMapping] = [:]
        for (key, m) in (o["points"] as? [String: Any]) ?? [:] {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let model = Int(parts[0]), let definition = SunSpecModelDefinition.known(model) else {
                throw ConfigError(path, "\(at).points.\(key): expected MODEL.POINT with a known SunSpec model (e.g. 103.W)")
            }
            guard definition.point(parts[1]) != nil else {
                throw ConfigError(path, "\(at).points.\(key): model \(model) (\(definition.name)) has no point '\(parts[1])'")
            }
            points[key] = try ColumnMapping.read(m, path, "\(at).points.\(key)")
        }
        var setpoints: [String: SunSpecSetpointSink.Control] = [:]
        for (asset, c) in (o["setpoints"] as? [String: Any]) ?? [:] {
            guard let c = c as? String, let control = SunSpecSetpointSink.Control(rawValue: c) else {
                throw ConfigError(path, "\(at).setpoints.\(asset): one of \(SunSpecSetpointSink.Control.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            setpoints[asset] = control
        }
        guard !points.isEmpty || !setpoints.isEmpty else { throw ConfigError(path, "\(at): needs 'points' or 'setpoints'") }
        return ModbusFeed(name: name, settings: settings, unitID: UInt8(unit), pollSeconds: try seconds(o, "pollSeconds", default: 1, path, at),
                          points: points, setpoints: setpoints)
    }

    /// The series a feed may write: those its mapping names and those its `series` list adds
    /// (for long-form files and MQTT payloads that carry their series' names). A feed that may
    /// write none is an error: every sample it delivered would be refused.
    static func allowList(_ o: [String: Any], mapped: [String], _ path: String, _ at: String) throws -> Set<String> {
        var allowed = Set(mapped)
        if let v = o["series"] {
            guard let list = v as? [String], !list.isEmpty else { throw ConfigError(path, "\(at).series: a non-empty list of series names") }
            allowed.formUnion(list)
        }
        guard !allowed.isEmpty else {
            throw ConfigError(path, "\(at): names no series it may write (map them in 'columns' or 'topics', or list them in 'series')")
        }
        return allowed
    }

    /// A duration in seconds: a number from 0.01 s to one day (`default` when absent).
    static func seconds(_ o: [String: Any], _ key: String, default value: Double, _ path: String, _ at: String) throws -> Double {
        guard let v = o[key] else { return value }
        guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue >= 0.01, n.doubleValue <= 86_400 else {
            throw ConfigError(path, "\(at).\(key): seconds from 0.01 to 86400")
        }
        return n.doubleValue
    }

    static func keys(_ o: [String: Any], _ allowed: Set<String>, _ path: String, _ at: String) throws {
        if let bad = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ConfigError(path, "\(at): '\(bad)' is not a known field (\(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

/// A feeds configuration that cannot be used, naming the file and the field.
public struct ConfigError: Error, CustomStringConvertible {
    public var description: String
    public init(_ path: String, _ message: String) { description = "\(path): \(message)" }
}
