import DataFiles
import Foundation

/// Reads and validates a scenario folder (scenario.json + its time-series CSV) per the
/// spec; every rule violation is collected and thrown together as a `ScenarioError`.
public enum ScenarioReader {
    /// The series the scenario flags `"forecast": true` or leaves out of its time-series
    /// file are asked of `forecaster` (a ``ForecastRequest``) and its forecasts' p50 used;
    /// without one, such a scenario is an input error. `forecastFlagged: false` dispatches
    /// on the file's own values of flagged series (perfect foresight); missing series are
    /// forecast either way.
    public static func read(directory: String, forecastFlagged: Bool = true,
                            forecaster: (any SeriesForecaster)? = nil) throws -> Scenario {
        let log = IssueLog()
        let jsonPath = (directory as NSString).appendingPathComponent("scenario.json")
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: jsonPath)) } catch {
            throw ScenarioError(messages: ["\(jsonPath): cannot read the file (\(FileErrors.reason(error)))"])
        }
        var read = [InputContent(path: jsonPath, data: data)]
        let root: Any
        do { root = try JSONSyntax.parse(data) } catch {
            throw ScenarioError(messages: ["scenario.json: \(error.description)"])
        }
        for key in DuplicateKeys.find(in: data) { log.add("scenario.json: duplicate key '\(key)'") }
        guard var top = JSONObject(root, context: JSONContext(path: "", label: ""), log: log, what: "the scenario") else {
            throw ScenarioError(messages: log.messages)
        }
        let name = top.string("name") ?? ""
        let currency = top.string("currency") ?? ""
        let startText = top.string("start")
        let stepMinutes = top.positiveInteger("stepMinutes")
        let steps = top.positiveInteger("steps")
        let csvName = top.string("timeseries")
        let start = startText.flatMap { parseInstant($0) }
        if let startText, start == nil {
            log.add("scenario.json: field 'start': '\(startText)' is not an ISO-8601 timestamp with a UTC offset")
        }
        var table = TimeSeriesTable()
        if let csvName {
            let csvPath = (directory as NSString).appendingPathComponent(csvName)
            do {
                let csv = try Data(contentsOf: URL(fileURLWithPath: csvPath))
                read.append(InputContent(path: csvPath, data: csv))
                table = TimeSeriesTable.read(data: csv, file: "timeseries", start: start, stepMinutes: stepMinutes,
                                             steps: steps, log: log) ?? table
            } catch {
                log.add("timeseries: \(csvName): cannot read the file (\(FileErrors.reason(error)))")
            }
        }
        var forecasts: [SeriesForecast] = []
        let forecastSettings = ForecastSettings.read(top.raw("forecast"), log: log)
        let settings = forecastSettings ?? ForecastSettings()
        let plan = ForecastPlan(root: root, table: table, directory: directory, historyFolder: settings.history,
                                honourFlags: forecastFlagged)
        let forecasting = plan.isActive(settings: forecastSettings)
        var lastRequest: ForecastRequest?
        if forecasting || forecastSettings != nil, let start, let stepMinutes, let steps {
            var request = ForecastRequest(directory: directory, series: forecasting ? plan.needed : [], historyFolder: settings.history,
                                          hasHistory: plan.hasHistory, model: settings.model, models: settings.models,
                                          drivers: settings.drivers, start: start, stepMinutes: stepMinutes, steps: steps,
                                          columns: table.columns)
            request.sites = Dictionary(uniqueKeysWithValues: request.series.compactMap { s in
                settings.site(of: s.name, isPV: plan.pvProfiles.contains(s.name)).map { (s.name, $0) }
            })
            lastRequest = request
            if let forecaster {
                let response = forecaster.forecast(request)
                forecasts = response.forecasts
                for m in response.messages { log.add(m) }
                let given = Set(forecasts.map(\.series))
                for s in request.series where !given.contains(s.name) && !response.messages.contains(where: { $0.contains("'\(s.name)'") }) {
                    log.add("forecast: series '\(s.name)' was asked of the forecaster, which gave neither a forecast nor a reason")
                }
                read += response.files
                for f in forecasts { table.columns[f.series] = f.p50 }
            } else if !request.series.isEmpty {
                log.add("scenario.json: series " + request.series.map { "'\($0.name)'" }.joined(separator: ", ")
                        + " are to be forecast from the history, and no forecaster was given (DailyBatch.read forecasts them)")
            }
        }
        var ids = Set<String>()
        let series = SeriesResolver(table: table, log: log, hasHistory: plan.hasHistory,
                                    forecastAttempted: forecasting ? Set(plan.needed.map(\.name)) : [],
                                    forecast: Set(forecasts.map(\.series)), steps: steps ?? 0)
        let horizon = HorizonContext(start: start, stepMinutes: stepMinutes ?? 1, steps: steps ?? 0)
        let park = readPark(top.raw("park"), series: series, horizon: horizon, ids: &ids, log: log)
        var firms: [Firm] = []
        if let list = top.array("firms") {
            for (k, any) in list.enumerated() {
                if let firm = readFirm(any, index: k, series: series, horizon: horizon, ids: &ids, log: log) { firms.append(firm) }
            }
        }
        top.reportUnknownKeys()
        if log.messages.isEmpty && log.silentFailures > 0 {
            log.add("scenario.json: \(log.silentFailures) series could not be resolved, and nothing said why")
        }
        guard log.messages.isEmpty, let park, let start, let stepMinutes, let steps else {
            throw ScenarioError(messages: log.messages.isEmpty ? ["scenario.json: incomplete scenario"] : log.messages)
        }
        let historyFolder = (directory as NSString).appendingPathComponent(forecastSettings?.history ?? ForecastSettings().history)
        var scenario = Scenario(validated: name, currency: currency, start: start, stepMinutes: stepMinutes, steps: steps,
                                times: table.times, park: park, firms: firms)
        scenario.forecasts = forecasts
        scenario.inputContents = read
        scenario.seriesNames = log.seriesNames
        scenario.forecastRequest = lastRequest
        scenario.historyDirectory = plan.hasHistory ? InputContent.physical(historyFolder) : nil
        return scenario
    }

    static func parseInstant(_ s: String) -> Date? { TimeSeriesTable.parseInstant(s) }

    static func readPark(_ any: Any?, series: SeriesResolver, horizon: HorizonContext, ids: inout Set<String>,
                         log: IssueLog) -> Park? {
        guard any != nil else {
            log.add("scenario.json park: field 'park' is required")
            return nil
        }
        guard var o = JSONObject(any, context: JSONContext(path: "park", label: "park"), log: log, what: "'park'") else { return nil }
        let importMax = o.number("importMaxKW")
        let exportMax = o.number("exportMaxKW")
        let importPrice = series.values(&o, "importPrice")
        let exportPrice = series.values(&o, "exportPrice")
        let peak = o.number("peakChargePerKW", default: 0)
        let existing = o.number("existingPeakKW", default: 0)
        let intensity = o.raw("carbonIntensity") != nil ? series.values(&o, "carbonIntensity") : nil
        let carbonPrice = o.number("carbonPricePerKg", default: 0)
        var limits: [String: [Double]] = [:]
        for key in ["importLimit", "exportLimit"] where o.raw(key) != nil { limits[key] = series.values(&o, key) }
        let cap = o.number("carbonCapKg", required: false)
        var breachPrices = BreachPrices()
        if o.raw("breachPrices") != nil, var b = JSONObject(o.raw("breachPrices"), context: o.context.child("breachPrices"), log: log,
                                                            what: "'breachPrices'") {
            for f in BreachPrices.fields { breachPrices[keyPath: f.path] = b.number(f.name, required: false) }
            b.reportUnknownKeys()
            if !b.failed.isEmpty { o.fail("breachPrices", nil) }
        } else if o.raw("breachPrices") != nil {
            o.fail("breachPrices", nil)
        }
        // The spec asks for the field to be absent or null without an intensity; a 0 given
        // is refused as well (in code, a price of 0 is the default and means "none").
        if intensity == nil, o.raw("carbonIntensity") == nil, o.present("carbonPricePerKg"), carbonPrice == 0 {
            o.fail("carbonPricePerKg", "park: field 'carbonPricePerKg' is given but 'carbonIntensity' is omitted")
        }
        var assets: [Asset] = []
        if let list = o.array("assets") {
            for (k, a) in list.enumerated() {
                let ctx = JSONContext(path: "park.assets[\(k)]", label: "park")
                if let asset = AssetReader.read(a, context: ctx, owner: .park, reading: AssetReadingContext(series: series, horizon: horizon),
                                                ids: &ids, log: log) { assets.append(asset) }
            }
        }
        o.reportUnknownKeys()
        let park = Park(importMaxKW: importMax ?? 0, exportMaxKW: exportMax ?? 0, importPrice: importPrice ?? [], exportPrice: exportPrice ?? [],
                        peakChargePerKW: peak ?? 0, existingPeakKW: existing ?? 0, carbonIntensity: intensity,
                        carbonPricePerKg: carbonPrice ?? 0, carbonCapKg: cap, assets: assets,
                        importLimit: limits["importLimit"], exportLimit: limits["exportLimit"], breachPrices: breachPrices)
        o.log(park.problems(steps: horizon.steps))
        return o.failed.isEmpty ? park : nil
    }

    static func readFirm(_ any: Any?, index: Int, series: SeriesResolver, horizon: HorizonContext, ids: inout Set<String>,
                         log: IssueLog) -> Firm? {
        let id = ((any as? [String: Any])?["id"] as? String) ?? "#\(index)"
        let label = "firm '\(Identifier.printable(id))'"
        guard var o = JSONObject(any, context: JSONContext(path: "firms[\(index)]", label: label), log: log, what: "a firm") else {
            return nil
        }
        let firmID = o.string("id")
        Identifier.register(firmID, label: label, ids: &ids, log: log)
        let name = o.string("name")
        let connection = o.number("connectionKW")
        _ = o.bool("forecast")  // handled by ForecastPlan before the series are resolved
        let load = series.values(&o, "load")
        var assets: [Asset] = []
        if let list = o.array("assets") {
            for (k, a) in list.enumerated() {
                let ctx = JSONContext(path: "firms[\(index)].assets[\(k)]", label: label)
                let owner = AssetOwner.firm(load: load ?? [Double](repeating: 0, count: horizon.steps))
                if let asset = AssetReader.read(a, context: ctx, owner: owner, reading: AssetReadingContext(series: series, horizon: horizon),
                                                ids: &ids, log: log) { assets.append(asset) }
            }
        }
        o.reportUnknownKeys()
        let firm = Firm(id: firmID ?? "", name: name ?? "", connectionKW: connection ?? 0, load: load ?? [], assets: assets)
        o.log(firm.problems(steps: horizon.steps))
        return o.failed.isEmpty ? firm : nil
    }
}

/// The time grid that windows must lie on.
struct HorizonContext {
    var start: Date?
    var stepMinutes: Int
    var steps: Int
}

/// Resolves series names against the CSV (and the forecasts put into it) and reports
/// missing ones. A series whose values the time-series file could not give (a bad cell, a
/// value beyond the bounds, a row count other than `steps`) fails silently: the file's
/// error names the line; a forecast that is not finite or beyond the bounds is reported here.
struct SeriesResolver {
    let table: TimeSeriesTable
    let log: IssueLog
    let hasHistory: Bool
    /// Series the forecaster was asked for: a failure there has been reported already.
    let forecastAttempted: Set<String>
    /// Series that came from the forecaster.
    let forecast: Set<String>
    /// The horizon's steps.
    let steps: Int

    func values(_ o: inout JSONObject, _ key: String) -> [Double]? {
        guard let name = o.string(key) else { return nil }
        guard let v = table.columns[name] else {
            if forecastAttempted.contains(name) { o.fail(key, nil); return nil }
            let hint = hasHistory ? "" : " (nor forecast: the scenario has no history/ folder)"
            o.fail(key, "\(o.context.prefix(key)): series '\(name)' is not a column of the time-series file\(hint)")
            return nil
        }
        o.markSeries(key)
        log.seriesNames["\((o.values["id"] as? String) ?? "park").\(key)"] = name
        let usable = v.count == steps && v.allSatisfy { $0.isFinite && abs($0) <= ScenarioBounds.magnitude }
        guard usable else {
            o.fail(key, forecast.contains(name) ? "\(o.context.prefix(key)): the forecast of series '\(name)' has \(v.count) values "
                   + "for \(steps) steps, or values that are not finite or beyond ±\(format(ScenarioBounds.magnitude))" : nil)
            return nil
        }
        return v
    }
}
