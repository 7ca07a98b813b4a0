import Forecasting
import Foundation

/// One series of a scenario that FlexDispatch forecast from the scenario's history
/// (extension of the v1 format, docs/park-model.md "Forecast series").
public struct SeriesForecast: Sendable {
    public init(series: String, role: String, model: String, historyFile: String, historyHours: Int, p10: [Double], p50: [Double],
                p90: [Double], actual: [Double]?, notes: [String] = []) {
        self.series = series
        self.role = role
        self.model = model
        self.historyFile = historyFile
        self.historyHours = historyHours
        self.p10 = p10
        self.p50 = p50
        self.p90 = p90
        self.actual = actual
        self.notes = notes
    }

    public var series: String
    /// "load" (kept ≥ 0) or "profile" (a pv/wind per-unit profile, kept in [0, 1]).
    public var role: String
    /// The fitted model (`auto:ridge` when `auto` chose ridge).
    public var model: String
    /// The history file (relative to the scenario folder) and its hours with a value.
    public var historyFile: String
    public var historyHours: Int
    /// Per step of the horizon; the dispatch uses p50.
    public var p10: [Double]
    public var p50: [Double]
    public var p90: [Double]
    /// The scenario's own column of the same name, when it has one (realised values to
    /// score the forecast against); nil when the series was missing from the CSV.
    public var actual: [Double]?
    /// What the model's fit had to say (e.g. `auto`'s candidates left out for want of history).
    public var notes: [String] = []
    /// For a forecast updated intraday: its day-ahead P50 before the update.
    public var dayAheadP50: [Double]? = nil

    /// Mean absolute error of p50 against `actual`, when there is one.
    public var maeAgainstActual: Double? {
        guard let actual, !actual.isEmpty else { return nil }
        return zip(actual, p50).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(actual.count)
    }
}

/// The optional top-level `"forecast"` object: `history` (folder, default "history"),
/// `model` (default "auto"), `models` (per-series model names) and `drivers` (per series,
/// the history columns used as exogenous drivers; their horizon values come from the
/// time-series file, e.g. an irradiance or temperature forecast), `site` (the site of every
/// pv asset's profile: `latitude`, `longitude`, optional `tilt`, `azimuth` and
/// `clockOffsetHours`) and `sites` (per series, the same fields).
struct ForecastSettings {
    var history = "history"
    var model = "auto"
    var models: [String: String] = [:]
    var drivers: [String: [String]] = [:]
    var site: SolarSite?
    var sites: [String: SolarSite] = [:]

    /// The site a series' models get: its own, else for a pv asset's profile the scenario's.
    func site(of series: String, isPV: Bool) -> SolarSite? { sites[series] ?? (isPV ? site : nil) }

    static func readSite(_ any: Any?, path: String, log: IssueLog) -> SolarSite? {
        guard var o = JSONObject(any, context: JSONContext(path: path, label: ""), log: log, what: "a site") else { return nil }
        let latitude = o.number("latitude"), longitude = o.number("longitude")
        let tilt = o.number("tilt", required: false), azimuth = o.number("azimuth", required: false)
        let clock = o.number("clockOffsetHours", default: 0)
        o.reportUnknownKeys()
        guard let latitude, let longitude else { return nil }
        let site = SolarSite(latitude: latitude, longitude: longitude, tilt: tilt, azimuth: azimuth, clockOffsetHours: clock ?? 0)
        if let problem = site.problem {
            log.add("scenario.json \(path): \(problem)")
            return nil
        }
        return site
    }

    /// The settings; model names are checked by the forecaster, which knows its models.
    static func read(_ any: Any?, log: IssueLog) -> ForecastSettings? {
        guard let any else { return nil }
        guard var o = JSONObject(any, context: JSONContext(path: "forecast", label: ""), log: log, what: "'forecast'") else {
            return nil
        }
        var s = ForecastSettings()
        if o.present("history") { s.history = o.string("history") ?? s.history }
        if o.present("model") { s.model = o.string("model") ?? s.model }
        if let m = o.raw("models") {
            if let dict = m as? [String: String] { s.models = dict } else {
                log.add("\(o.context.prefix("models")) must map series names to model names")
            }
        }
        if let d = o.raw("drivers") {
            if let dict = d as? [String: [String]] { s.drivers = dict } else {
                log.add("\(o.context.prefix("drivers")) must map series names to arrays of column names")
            }
        }
        if let site = o.raw("site") { s.site = readSite(site, path: "forecast.site", log: log) }
        if let sites = o.raw("sites") {
            if let dict = sites as? [String: Any] {
                for name in dict.keys.sorted() { s.sites[name] = readSite(dict[name], path: "forecast.sites.\(name)", log: log) }
            } else {
                log.add("\(o.context.prefix("sites")) must map series names to site objects")
            }
        }
        o.reportUnknownKeys()
        return s
    }
}

/// Which series a scenario asks to forecast: those flagged `"forecast": true` (a firm's
/// load, a pv/wind asset's profile) and those referenced but missing from the CSV.
struct ForecastPlan {
    /// Series name → role ("load" or "profile"), in first-reference order.
    private(set) var referenced: [(name: String, role: String)] = []
    private(set) var flagged: Set<String> = []
    /// The profiles of pv assets (the scenario-wide PV site applies to them).
    private(set) var pvProfiles: Set<String> = []
    let hasHistory: Bool
    let missing: Set<String>

    init(root: Any, table: TimeSeriesTable, directory: String, historyFolder: String, honourFlags: Bool = true) {
        var seen = Set<String>()
        var referenced: [(name: String, role: String)] = []
        var flagged: Set<String> = []
        var pv: Set<String> = []
        func note(_ name: Any?, _ role: String, _ flag: Any?) {
            guard let name = name as? String else { return }
            if seen.insert(name).inserted { referenced.append((name, role)) }
            if (flag as? NSNumber)?.boolValue == true, String(cString: (flag as! NSNumber).objCType) == "c" { flagged.insert(name) }
        }
        func assets(_ list: Any?) {
            for case let a as [String: Any] in (list as? [Any]) ?? [] where ["pv", "wind"].contains(a["type"] as? String ?? "") {
                note(a["profile"], "profile", a["forecast"])
                if a["type"] as? String == "pv", let name = a["profile"] as? String { pv.insert(name) }
            }
        }
        let top = root as? [String: Any] ?? [:]
        assets((top["park"] as? [String: Any])?["assets"])
        for case let f as [String: Any] in (top["firms"] as? [Any]) ?? [] {
            note(f["load"], "load", f["forecast"])
            assets(f["assets"])
        }
        self.referenced = referenced
        pvProfiles = pv
        self.flagged = honourFlags ? flagged : []
        missing = Set(referenced.map(\.name).filter { table.columns[$0] == nil })
        var isDirectory: ObjCBool = false
        hasHistory = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(historyFolder),
                                                    isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The series to forecast, with their roles.
    var needed: [(name: String, role: String)] { referenced.filter { flagged.contains($0.name) || missing.contains($0.name) } }

    /// Forecasting runs when something is flagged, or something is missing and there is a
    /// history to forecast it from; a v1 scenario (nothing flagged, no history) never does.
    func isActive(settings: ForecastSettings?) -> Bool {
        !flagged.isEmpty || (!missing.isEmpty && (hasHistory || settings != nil))
    }
}
