import Foundation

/// The adapters' configuration file (JSON): the series and what each accepts, and the
/// feeds that deliver them. Adding a firm is a few lines here, not code.
///
///     {"series": [{"name": "f01_load", "unit": "kW", "min": 0, "max": 60000, "maxAgeDays": 30}],
///      "feeds": [{"type": "files", "name": "erp", "folder": "drop/erp", "pollSeconds": 5,
///                 "columns": {"meter_f01_W": {"series": "f01_load", "unit": "W"}}}]}
public struct FeedConfig: Sendable {
    public struct ColumnMapping: Sendable, Equatable {
        public var series: String
        public var unit: String?
    }
    public struct FilesFeed: Sendable {
        public var name: String
        public var folder: String
        public var pollSeconds: Double
        /// Column (wide CSV) or series name (long CSV, JSON) → series and unit.
        public var columns: [String: ColumnMapping]
    }
    public var series: [SeriesSpec]
    public var files: [FilesFeed]

    public static func read(path: String) throws -> FeedConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path, "cannot read the file") }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ConfigError(path, "not a JSON object")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        try keys(root, ["series", "feeds"], path, "top level")
        var config = FeedConfig(series: [], files: [])
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
                try keys(o, ["type", "name", "folder", "pollSeconds", "columns"], path, at)
                guard let folder = o["folder"] as? String else { throw ConfigError(path, "\(at).folder: required") }
                var columns: [String: ColumnMapping] = [:]
                for (column, m) in (o["columns"] as? [String: Any]) ?? [:] {
                    guard let m = m as? [String: Any], let series = m["series"] as? String else {
                        throw ConfigError(path, "\(at).columns.\(column): needs 'series'")
                    }
                    columns[column] = ColumnMapping(series: series, unit: m["unit"] as? String)
                }
                let resolved = folder.hasPrefix("/") ? folder : base.appendingPathComponent(folder).path
                config.files.append(FilesFeed(name: name, folder: resolved, pollSeconds: (o["pollSeconds"] as? NSNumber)?.doubleValue ?? 5,
                                              columns: columns))
            default:
                throw ConfigError(path, "\(at).type: '\(type)' is not an adapter here yet (files)")
            }
        }
        let known = Set(config.series.map(\.name))
        for f in config.files { for (column, m) in f.columns where !known.contains(m.series) {
            throw ConfigError(path, "feed '\(f.name)' column '\(column)': series '\(m.series)' is not declared in 'series'")
        } }
        return config
    }

    static func keys(_ o: [String: Any], _ allowed: Set<String>, _ path: String, _ at: String) throws {
        if let bad = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ConfigError(path, "\(at): '\(bad)' is not a known field (\(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var description: String
    init(_ path: String, _ message: String) { description = "\(path): \(message)" }
}
