import Foundation

/// A file a scenario was read from: its physical path (symbolic links and `..` resolved
/// as the system resolved them when opening it) and the bytes read.
public struct InputContent: Sendable {
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = Self.physical(path)
        self.data = data
    }

    /// The absolute path with symbolic links and `..` resolved by the file system (as
    /// `realpath`); the standardised path when it does not exist.
    public static func physical(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(real) }
        return String(cString: real)
    }
}

/// A park scenario (spec `dispatch-model.md`, v1), validated and with every series
/// resolved to its values. Units: kW, kWh, kg, the scenario's currency.
public struct Scenario: Sendable {
    public var name: String
    public var currency: String
    public var start: Date
    public var stepMinutes: Int
    public var steps: Int
    public var times: [String]
    public var park: Park
    public var firms: [Firm]
    /// The series forecast from the scenario's history (extension of v1; empty for v1).
    public var forecasts: [SeriesForecast] = []
    /// Every file the reader read (scenario.json, the time-series CSV, the history CSVs)
    /// with the bytes it read: what a run copies and hashes as its inputs.
    public var inputContents: [InputContent] = []
    /// The history folder the forecasts came from (physical path), when there is one.
    public var historyDirectory: String? = nil
    /// The physical paths of `inputContents`.
    public var inputFiles: [String] { inputContents.map(\.path) }

    /// Step length Δ in hours.
    public var stepHours: Double { Double(stepMinutes) / 60 }
}

public struct Park: Sendable {
    public var importMaxKW: Double
    public var exportMaxKW: Double
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
}

public struct Firm: Sendable {
    public var id: String
    public var name: String
    public var connectionKW: Double
    public var load: [Double]
    public var assets: [Asset]
}

public struct Asset: Sendable {
    public var id: String
    public var kind: AssetKind
}

/// One formulation per asset type (spec "Per asset").
public enum AssetKind: Sendable {
    /// Generation: available power capacityKW · profile[t], curtailment cost per kWh.
    case generator(type: GeneratorType, capacityKW: Double, profile: [Double], curtailmentCostPerKWh: Double)
    case battery(Battery)
    /// Energy to place inside [windowStart, windowEnd) (step indices, end exclusive).
    case shiftable(energyKWh: Double, maxKW: Double, windowStart: Int, windowEnd: Int)
    case curtailable(maxKW: Double, costPerKWh: Double, maxEnergyKWh: Double?)
    case electrolyzer(maxKW: Double, kgPerKWh: Double, demandKg: Double)

    public var typeName: String {
        switch self {
        case .generator(let t, _, _, _): return t.rawValue
        case .battery: return "battery"
        case .shiftable: return "shiftable"
        case .curtailable: return "curtailable"
        case .electrolyzer: return "electrolyzer"
        }
    }
}

public enum GeneratorType: String, Sendable { case pv, wind }

public struct Battery: Sendable {
    public var energyKWh: Double
    public var chargeKW: Double
    public var dischargeKW: Double
    public var chargeEfficiency: Double
    public var dischargeEfficiency: Double
    public var socInitialKWh: Double
    public var socMinKWh: Double
    public var socFinalMinKWh: Double
    public var degradationCostPerKWh: Double
}
