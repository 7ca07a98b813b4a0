import DataFiles
import Foundation

/// A park scenario (spec `dispatch-model.md`, v1), validated and with every series
/// resolved to its values. Units: kW, kWh, kg, the scenario's currency.
///
/// Read one from a scenario folder with ``ScenarioReader/read(directory:forecastFlagged:forecaster:)``
/// or build one in code; both apply the same rules (``problems()``):
///
/// ```swift
/// let flat = [Double](repeating: 0.10, count: 24)
/// let park = Park(importMaxKW: 5_000, exportMaxKW: 5_000, importPrice: flat, exportPrice: flat.map { $0 / 2 })
/// let firm = Firm(id: "f01", name: "Foundry", connectionKW: 2_000, load: [Double](repeating: 800, count: 24),
///                 assets: [Asset(id: "f01_pv", kind: Generator(.pv, capacityKW: 500, profile: [Double](repeating: 0.5, count: 24)))])
/// let scenario = try Scenario(name: "demo", currency: "EUR", start: Date(timeIntervalSince1970: 1_748_736_000),
///                             stepMinutes: 60, steps: 24, park: park, firms: [firm])
/// ```
public struct Scenario: Sendable {
    public var name: String
    public var currency: String
    public var start: Date
    public var stepMinutes: Int
    public var steps: Int
    /// The steps' start times as written in schedule.csv (ISO 8601 with the park's UTC offset).
    public var times: [String]
    public var park: Park
    public var firms: [Firm]
    /// The series forecast from the scenario's history (extension of v1; empty for v1).
    public var forecasts: [SeriesForecast] = []
    /// Every file the reader read (scenario.json, the time-series CSV, the history CSVs)
    /// with the bytes it read: what a run copies and hashes as its inputs. Empty for a
    /// scenario built in code.
    public var inputContents: [InputContent] = []
    /// The history folder the forecasts came from (physical path), when there is one.
    public var historyDirectory: String? = nil
    /// The series each field of scenario.json named, by "<firm id, asset id or park>.<field>"
    /// (e.g. "f01.load", "f01_pv.profile", "park.importPrice"). Empty for a scenario built in code.
    public var seriesNames: [String: String] = [:]
    /// What the reader asked the forecaster (nil when nothing was forecast): a simulation asks
    /// the same for other days.
    public var forecastRequest: ForecastRequest? = nil
    /// The physical paths of `inputContents`.
    public var inputFiles: [String] { inputContents.map(\.path) }

    /// Step length Δ in hours.
    public var stepHours: Double { Double(stepMinutes) / 60 }

    /// A scenario built in code, checked by the rules the file reader applies.
    /// `utcOffsetSeconds` is the park's offset from UTC, used to write the steps' times.
    /// - Throws: ``ScenarioError`` with every rule the values break.
    public init(name: String, currency: String, start: Date, stepMinutes: Int, steps: Int, utcOffsetSeconds: Int = 0,
                park: Park, firms: [Firm]) throws(ScenarioError) {
        self.init(validated: name, currency: currency, start: start, stepMinutes: stepMinutes, steps: steps, times: [],
                  park: park, firms: firms)
        // The rules first: a valid scenario's series have `steps` values, so its times are
        // formatted for a horizon the caller has already paid for.
        let found = problems()
        if !found.isEmpty { throw ScenarioError(messages: found) }
        times = Self.stepTimes(start: start, stepMinutes: stepMinutes, steps: steps, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The steps' start times as ISO 8601 with the park's offset from UTC.
    static func stepTimes(start: Date, stepMinutes: Int, steps: Int, utcOffsetSeconds: Int) -> [String] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds) ?? TimeZone(secondsFromGMT: 0)!
        return (0..<steps).map { formatter.string(from: start.addingTimeInterval(Double($0) * Double(stepMinutes) * 60)) }
    }

    /// The scenario as the reader assembles it, its rules checked as it read.
    init(validated name: String, currency: String, start: Date, stepMinutes: Int, steps: Int, times: [String],
         park: Park, firms: [Firm]) {
        self.name = name
        self.currency = currency
        self.start = start
        self.stepMinutes = stepMinutes
        self.steps = steps
        self.times = times
        self.park = park
        self.firms = firms
    }

    /// Every rule the scenario breaks, one message each naming the firm, asset and field;
    /// empty when it is valid. The file reader applies the same rules.
    public func problems() -> [String] {
        var found: [String] = []
        for (field, value) in [("stepMinutes", stepMinutes), ("steps", steps)] where !(value > 0 && value < 1_000_000_000) {
            found.append("scenario: field '\(field)' must be a positive integer below 10⁹, got \(value)")
        }
        guard found.isEmpty else { return found }
        var ids = Set<String>()
        found += park.problems(steps: steps).map { "park: \($0)" }
        for a in park.assets { found += a.problems(steps: steps, owner: .park, label: "park", ids: &ids) }
        for f in firms {
            let label = "firm '\(Identifier.printable(f.id))'"
            found += Identifier.problems(f.id, ids: &ids).map { "\(label): \($0)" }
            found += f.problems(steps: steps).map { "\(label): \($0)" }
            for a in f.assets { found += a.problems(steps: steps, owner: .firm(load: f.load), label: label, ids: &ids) }
        }
        return found
    }
}

extension Asset {
    func problems(steps: Int, owner: AssetOwner, label: String, ids: inout Set<String>) -> [String] {
        let label = "\(label), asset '\(Identifier.printable(id))'"
        return (Identifier.problems(id, ids: &ids) + kind.problems(steps: steps, owner: owner)).map { "\(label): \($0)" }
    }
}

/// The park's connection, prices and carbon, and the assets it owns itself.
public struct Park: Sendable {
    public var importMaxKW: Double
    public var exportMaxKW: Double
    /// Money per kWh, per step.
    public var importPrice: [Double]
    public var exportPrice: [Double]
    public var peakChargePerKW: Double
    public var existingPeakKW: Double
    /// kg per kWh imported; nil when the scenario omits it (carbon is then zero).
    public var carbonIntensity: [Double]?
    public var carbonPricePerKg: Double
    public var carbonCapKg: Double?
    public var assets: [Asset]
    /// Extension (beyond v1): per-step limits of the connection (kW) a grid operator
    /// announces, e.g. OpenADR IMPORT/EXPORT_CAPACITY_LIMIT events; each step's bound is the
    /// lower of this and `importMaxKW`/`exportMaxKW`. nil: the scalar alone (v1).
    public var importLimit: [Double]? = nil
    public var exportLimit: [Double]? = nil
    /// Extension (beyond v1): what breaching each limit costs when limits are soft
    /// (``LimitMode/soft``); unset prices take the documented defaults.
    public var breachPrices = BreachPrices()
    /// Extension (beyond v1, set in code): the net import (import − export, kW per step)
    /// nominated for the horizon, e.g. by the day-ahead plan; with a positive
    /// `imbalancePricePerKWh`, a plan pays that price per kWh away from it (intraday
    /// re-plans that track their nomination). nil: no nomination (v1).
    public var nomination: [Double]? = nil
    public var imbalancePricePerKWh: Double = 0

    /// A park; the defaults are those of scenario.json.
    public init(importMaxKW: Double, exportMaxKW: Double, importPrice: [Double], exportPrice: [Double],
                peakChargePerKW: Double = 0, existingPeakKW: Double = 0, carbonIntensity: [Double]? = nil,
                carbonPricePerKg: Double = 0, carbonCapKg: Double? = nil, assets: [Asset] = [],
                importLimit: [Double]? = nil, exportLimit: [Double]? = nil, breachPrices: BreachPrices = BreachPrices()) {
        self.importMaxKW = importMaxKW
        self.exportMaxKW = exportMaxKW
        self.importPrice = importPrice
        self.exportPrice = exportPrice
        self.peakChargePerKW = peakChargePerKW
        self.existingPeakKW = existingPeakKW
        self.carbonIntensity = carbonIntensity
        self.carbonPricePerKg = carbonPricePerKg
        self.carbonCapKg = carbonCapKg
        self.assets = assets
        self.importLimit = importLimit
        self.exportLimit = exportLimit
        self.breachPrices = breachPrices
    }

    /// The rules the park's own fields break (its assets are checked on their own).
    public func problems(steps: Int) -> [FieldProblem] {
        var found = [FieldRules.nonNegative(importMaxKW, "importMaxKW"), FieldRules.nonNegative(exportMaxKW, "exportMaxKW"),
                     FieldRules.nonNegative(peakChargePerKW, "peakChargePerKW"),
                     FieldRules.nonNegative(existingPeakKW, "existingPeakKW"),
                     FieldRules.nonNegative(carbonPricePerKg, "carbonPricePerKg"),
                     carbonCapKg.flatMap { FieldRules.nonNegative($0, "carbonCapKg") }].compactMap { $0 } + breachPrices.problems()
        found += FieldRules.series(importPrice, "importPrice", steps: steps)
        found += FieldRules.series(exportPrice, "exportPrice", steps: steps)
        if let carbonIntensity { found += FieldRules.series(carbonIntensity, "carbonIntensity", steps: steps) }
        if let nomination { found += FieldRules.series(nomination, "nomination", steps: steps) }
        if let p = FieldRules.nonNegative(imbalancePricePerKWh, "imbalancePricePerKWh") { found.append(p) }
        for (field, limit) in [("importLimit", importLimit), ("exportLimit", exportLimit)] {
            guard let limit else { continue }
            found += FieldRules.series(limit, field, steps: steps,
                                       rule: ({ $0 >= 0 }, { "at step \($0) is \(format($1)); a connection limit must be ≥ 0" }))
        }
        if carbonIntensity == nil {
            if carbonPricePerKg != 0 { found.append(FieldProblem("carbonPricePerKg", "is given but 'carbonIntensity' is omitted", comparedWith: ["carbonIntensity"])) }
            if carbonCapKg != nil { found.append(FieldProblem("carbonCapKg", "is given but 'carbonIntensity' is omitted", comparedWith: ["carbonIntensity"])) }
        }
        return found
    }
}

/// A firm behind the park's connection: its connection, its load and its assets.
public struct Firm: Sendable {
    public var id: String
    public var name: String
    public var connectionKW: Double
    /// kW per step.
    public var load: [Double]
    public var assets: [Asset]

    public init(id: String, name: String, connectionKW: Double, load: [Double], assets: [Asset] = []) {
        self.id = id
        self.name = name
        self.connectionKW = connectionKW
        self.load = load
        self.assets = assets
    }

    /// The rules the firm's own fields break (its assets are checked on their own).
    public func problems(steps: Int) -> [FieldProblem] {
        [FieldRules.nonNegative(connectionKW, "connectionKW")].compactMap { $0 }
            + FieldRules.series(load, "load", steps: steps,
                                rule: ({ $0 >= 0 }, { "is negative at step \($0) (\($1)); loads must be ≥ 0" }))
    }
}
