import DataFiles
import Foundation
import LinearAlgebra

/// Writes a valid scenario of any size from the profile library: firms of the kinds an
/// industrial park has (coal-to-chemicals, polysilicon, hydrogen, data centre, steel,
/// logistics with EV fleets, offices, building materials), each with its load scaled from
/// a measured shape taken from its own (seeded) day of the library, park-level field PV,
/// wind and a battery, a northern-China-style time-of-use tariff and a carbon intensity
/// shaped by measured data. The same seed gives the same files.
public struct ScenarioGenerator {
    public var firms: Int
    public var days: Int
    public var seed: UInt64
    public var name: String
    /// Days of measured history written to `history/history.csv` before the start (0:
    /// none). With a history, firm loads and the park's PV and wind are flagged
    /// `"forecast": true`: the run forecasts them and keeps the CSV's values as the
    /// realised day to score the forecasts against.
    public var historyDays: Int
    let library: ProfileLibrary

    public init(library: ProfileLibrary, firms: Int, days: Int, seed: UInt64, name: String, historyDays: Int = 0) {
        self.library = library
        self.firms = firms
        self.days = days
        self.seed = seed
        self.name = name
        self.historyDays = historyDays
    }

    /// Time-of-use import price, CNY/kWh, by hour of day (our tariff structure: valley
    /// 23–07 h, peaks 08–11 h and 17–22 h, flat otherwise).
    static func tariff(hour: Int) -> Double {
        if hour >= 23 || hour < 7 { return 0.26 }
        if (8..<11).contains(hour) || (17..<22).contains(hour) { return 0.76 }
        return 0.48
    }

    public func write(to directory: String) throws {
        var rng = SplitMix64(seed: seed)
        let steps = days * 96
        let dt = 0.25
        var series: [(String, [Double])] = []
        let hours = (0..<steps).map { ($0 % 96) / 4 }
        series.append(("price_import", hours.map { Self.tariff(hour: $0) }))
        series.append(("price_export", [Double](repeating: 0.2829, count: steps)))
        series.append(("co2_grid", library.slice("carbon_shape", day: 0, steps: steps).map { 0.58 * $0 }))
        series.append(("pv_pu", library.slice("pv_pu", day: 0, steps: steps)))
        series.append(("wind_pu", library.slice("wind_pu", day: 0, steps: steps)))
        var firmObjects: [[String: Any]] = []
        var history: [(String, [Double])] = []
        if historyDays > 0 {
            for column in ["pv_pu", "wind_pu"] {
                guard let h = library.history(column, before: 0, days: historyDays) else {
                    throw ScenarioError(messages: ["the profile library has \(library.historyDays) history days, \(historyDays) asked for"])
                }
                history.append((column, h))
            }
        }
        var totalPeak = 0.0
        for k in 0..<firms {
            let id = String(format: "f%02d", k + 1)
            let kind = FirmKind.all[k % FirmKind.all.count]
            let size = kind.sizeMW.lowerBound + (kind.sizeMW.upperBound - kind.sizeMW.lowerBound) * rng.unit()
            let day = Int(rng.next() % UInt64(library.days))
            let shape = library.slice(kind.shape, day: day, steps: steps)
            let load = shape.map { 1000 * size * (kind.flat + (1 - kind.flat) * $0) }
            series.append(("\(id)_load", load))
            if historyDays > 0 {
                guard let h = library.history(kind.shape, before: day, days: historyDays) else {
                    throw ScenarioError(messages: ["the profile library has too few history days before day \(day) for \(historyDays)"])
                }
                history.append(("\(id)_load", h.map { 1000 * size * (kind.flat + (1 - kind.flat) * $0) }))
            }
            let peak = load.max() ?? 0
            totalPeak += peak
            var assets: [[String: Any]] = []
            var connection = 1.3 * peak
            if kind.rooftopPVShare > 0 {
                assets.append(["type": "pv", "id": "\(id)_pv", "capacityKW": round(kind.rooftopPVShare * 1000 * size), "profile": "pv_pu"])
            }
            if kind.batteryHours > 0 {
                let p = round(0.2 * 1000 * size)
                assets.append(["type": "battery", "id": "\(id)_bat", "energyKWh": p * kind.batteryHours, "chargeKW": p, "dischargeKW": p,
                               "chargeEfficiency": 0.95, "dischargeEfficiency": 0.95, "socInitialKWh": p * kind.batteryHours / 2,
                               "socMinKWh": p * kind.batteryHours * 0.1, "degradationCostPerKWh": 0.02])
            }
            if kind.shiftableShare > 0 {
                let energy = round(kind.shiftableShare * load.reduce(0, +) * dt)
                let window = kind.shiftableWindow
                let maxKW = round(energy / (Double(window.count * days) * 0.25) * 2)
                let start = window.lowerBound, end = window.upperBound + 96 * (days - 1)
                assets.append(["type": "shiftable", "id": "\(id)_batch", "energyKWh": energy, "maxKW": maxKW,
                               "windowStart": timestamp(step: start), "windowEnd": timestamp(step: end)])
                connection += maxKW
            }
            if kind.curtailableShare > 0 {
                assets.append(["type": "curtailable", "id": "\(id)_shed", "maxKW": round(kind.curtailableShare * peak),
                               "costPerKWh": kind.curtailCost, "maxEnergyKWh": round(kind.curtailableShare * peak * 4)])
            }
            if kind.electrolyzerMW > 0 {
                let maxKW = 1000 * kind.electrolyzerMW * (0.8 + 0.4 * rng.unit())
                let kgPerKWh = 0.018
                assets.append(["type": "electrolyzer", "id": "\(id)_h2", "maxKW": round(maxKW), "kgPerKWh": kgPerKWh,
                               "demandKg": round(0.55 * maxKW * 24 * Double(days) * kgPerKWh)])
                assets.append(["type": "pv", "id": "\(id)_field_pv", "capacityKW": round(1.2 * maxKW), "profile": "pv_pu"])
                connection += maxKW
            }
            var firm: [String: Any] = ["id": id, "name": "\(kind.name) \(k + 1)", "connectionKW": round(connection),
                                       "load": "\(id)_load", "assets": assets]
            if historyDays > 0 { firm["forecast"] = true }
            firmObjects.append(firm)
        }
        var park: [String: Any] = [
            "importMaxKW": round(1.05 * totalPeak), "exportMaxKW": round(0.3 * totalPeak),
            "importPrice": "price_import", "exportPrice": "price_export",
            "peakChargePerKW": 1.27, "existingPeakKW": 0,
            "carbonIntensity": "co2_grid", "carbonPricePerKg": 0.06,
            "assets": [
                ["type": "pv", "id": "park_field_pv", "capacityKW": round(0.25 * totalPeak), "profile": "pv_pu"],
                ["type": "wind", "id": "park_wind", "capacityKW": round(0.35 * totalPeak), "profile": "wind_pu"],
                ["type": "battery", "id": "park_bat", "energyKWh": round(0.2 * totalPeak), "chargeKW": round(0.05 * totalPeak),
                 "dischargeKW": round(0.05 * totalPeak), "chargeEfficiency": 0.95, "dischargeEfficiency": 0.95,
                 "socInitialKWh": round(0.1 * totalPeak), "socMinKWh": round(0.02 * totalPeak), "degradationCostPerKWh": 0.02],
            ] as [[String: Any]],
        ]
        var scenario: [String: Any] = [
            "name": name, "currency": "CNY", "start": "2025-06-01T00:00:00+08:00", "stepMinutes": 15, "steps": steps,
            "timeseries": "timeseries.csv", "firms": firmObjects,
        ]
        if historyDays > 0 {
            park["assets"] = (park["assets"] as! [[String: Any]]).map { a in
                var a = a
                if a["type"] as? String == "pv" || a["type"] as? String == "wind" { a["forecast"] = true }
                return a
            }
            scenario["forecast"] = ["history": "history", "model": "auto"]
        }
        scenario["park"] = park
        let json = try JSONSerialization.data(withJSONObject: scenario, options: [.prettyPrinted, .sortedKeys])
        var csv = CSVWriter(header: ["time"] + series.map(\.0))
        for t in 0..<steps { csv.row([timestamp(step: t)] + series.map { String(format: "%.4f", $0.1[t]) }) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try json.write(to: URL(fileURLWithPath: directory).appendingPathComponent("scenario.json"), options: .atomic)
        try Data(csv.text.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent("timeseries.csv"), options: .atomic)
        if historyDays > 0 {
            let folder = URL(fileURLWithPath: directory).appendingPathComponent("history")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var text = CSVWriter(header: ["time"] + history.map(\.0))
            for t in 0..<(historyDays * 96) {
                text.row([timestamp(step: t - historyDays * 96)] + history.map { String(format: "%.4f", $0.1[t]) })
            }
            try Data(text.text.utf8).write(to: folder.appendingPathComponent("history.csv"), options: .atomic)
        }
    }

    /// The park-clock (UTC+08:00) time of a step from 2025-06-01 00:00; negative steps lie
    /// in the history before it.
    func timestamp(step: Int) -> String {
        let minutes = step * 15
        let dayOffset = Int((Double(minutes) / 1440).rounded(.down)), inDay = minutes - dayOffset * 1440
        // Days since 1 March 2025: the months from March on, with their lengths.
        var d = 92 + dayOffset, month = 3
        for length in [31, 30, 31, 30, 31, 31, 30, 31, 30, 31] {
            guard d >= length else { break }
            d -= length
            month += 1
        }
        return String(format: "2025-%02d-%02dT%02d:%02d:00+08:00", month, d + 1, inDay / 60, inDay % 60)
    }
}

/// The kinds of firm a generated park has.
struct FirmKind {
    var name: String
    var sizeMW: ClosedRange<Double>
    var shape: String
    var flat: Double
    var rooftopPVShare = 0.0
    var batteryHours = 0.0
    var shiftableShare = 0.0
    var shiftableWindow = 0..<96
    var curtailableShare = 0.0
    var curtailCost = 1.2
    var electrolyzerMW = 0.0

    static let all: [FirmKind] = [
        FirmKind(name: "Coal-to-chemicals plant", sizeMW: 25...60, shape: "load_system", flat: 0.9, curtailableShare: 0.03, curtailCost: 1.8),
        FirmKind(name: "Polysilicon plant", sizeMW: 30...70, shape: "load_system", flat: 0.95, rooftopPVShare: 0.03,
                 curtailableShare: 0.05, curtailCost: 0.95),
        FirmKind(name: "Office and services", sizeMW: 0.5...2, shape: "load_homes", flat: 0.3, rooftopPVShare: 0.5, batteryHours: 2),
        FirmKind(name: "Steel processing", sizeMW: 10...30, shape: "load_system", flat: 0.6, shiftableShare: 0.15,
                 curtailableShare: 0.08, curtailCost: 1.1),
        FirmKind(name: "Logistics hub with EV fleet", sizeMW: 1...3, shape: "load_household", flat: 0.4, rooftopPVShare: 0.4,
                 batteryHours: 2, shiftableShare: 0.3, shiftableWindow: 0..<28),
        FirmKind(name: "Data centre", sizeMW: 8...20, shape: "load_homes", flat: 0.85, batteryHours: 1),
        FirmKind(name: "Hydrogen plant", sizeMW: 2...5, shape: "load_system", flat: 0.9, electrolyzerMW: 20),
        FirmKind(name: "Building materials", sizeMW: 8...20, shape: "load_system", flat: 0.5, shiftableShare: 0.25,
                 shiftableWindow: 0..<32, curtailableShare: 0.1, curtailCost: 0.8),
    ]
}
