import DataFiles
import Foundation

/// What an asset has done before a re-plan starts, by kind: the state a plan inherits.
public enum AssetProgress: String, Sendable, Codable, CaseIterable {
    /// A battery's state of charge (kWh).
    case stateOfCharge = "stateOfChargeKWh"
    /// The energy a shiftable process has received in its window so far (kWh).
    case delivered = "deliveredKWh"
    /// The hydrogen an electrolyzer has made in the horizon so far (kg).
    case hydrogen = "hydrogenKg"
    /// The load a curtailable asset has shed in the horizon so far (kWh).
    case shed = "shedKWh"
}

/// The state of the park at the start of a re-plan: each asset's progress, the billing
/// period's import peak and the carbon emitted against the cap so far.
///
/// As a state file (`flexdispatch plan --state FILE`), every field optional:
/// ```json
/// {"stateOfChargeKWh": {"f01_bat": 2310.5}, "deliveredKWh": {"f01_kiln": 1200},
///  "hydrogenKg": {"f01_h2": 310}, "shedKWh": {}, "peakKW": 41000, "carbonKg": 18250}
/// ```
public struct ParkState: Sendable, Equatable {
    /// Per kind, per asset id.
    public var progress: [AssetProgress: [String: Double]] = [:]
    /// The import peak of the billing period so far (kW).
    public var peakKW: Double?
    /// The carbon emitted so far against the scenario's cap (kg).
    public var carbonKg: Double?

    public init(progress: [AssetProgress: [String: Double]] = [:], peakKW: Double? = nil, carbonKg: Double? = nil) {
        self.progress = progress
        self.peakKW = peakKW
        self.carbonKg = carbonKg
    }

    public subscript(kind: AssetProgress, id: String) -> Double? {
        get { progress[kind]?[id] }
        set { progress[kind, default: [:]][id] = newValue }
    }

    /// This state with what it leaves out taken from `fallback`.
    public func filled(from fallback: ParkState) -> ParkState {
        var out = fallback
        for (kind, values) in progress { for (id, v) in values { out[kind, id] = v } }
        out.peakKW = peakKW ?? fallback.peakKW
        out.carbonKg = carbonKg ?? fallback.carbonKg
        return out
    }

    /// The state at the start of `s`'s horizon: every asset's initial progress, the
    /// existing peak, no carbon emitted.
    public static func initial(_ s: Scenario) -> ParkState {
        var state = ParkState(peakKW: s.park.existingPeakKW, carbonKg: s.park.carbonCapKg == nil ? nil : 0)
        for a in s.allAssets { if let kind = a.kind.progressKind { state[kind, a.id] = a.kind.initialProgress } }
        return state
    }

    /// What `s` needs that this state does not give: one message per asset (and the
    /// carbon emitted when the scenario has a cap); empty when it is complete.
    public func missing(for s: Scenario) -> [String] {
        var found: [String] = []
        for a in s.allAssets {
            guard let kind = a.kind.progressKind, self[kind, a.id] == nil else { continue }
            found.append("asset '\(a.id)' (\(a.kind.typeName)): no \(kind.rawValue)")
        }
        if s.park.carbonCapKg != nil && carbonKg == nil { found.append("park: no carbonKg (the scenario has a carbon cap)") }
        return found
    }

    /// The problems of this state against `s`: ids the scenario does not have or that are
    /// not of the kind named, values that are not finite and ≥ 0.
    public func problems(for s: Scenario) -> [String] {
        let kinds = Dictionary(s.allAssets.map { ($0.id, $0.kind.progressKind) }, uniquingKeysWith: { a, _ in a })
        var found: [String] = []
        for kind in AssetProgress.allCases {
            for (id, v) in (progress[kind] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let known = kinds[id] else {
                    found.append("\(kind.rawValue): no asset '\(Identifier.printable(id))' in the scenario")
                    continue
                }
                if known != kind { found.append("\(kind.rawValue): asset '\(id)' has \(known.map { "\($0.rawValue)" } ?? "no state"), not \(kind.rawValue)") }
                if !(v.isFinite && v >= 0) { found.append("\(kind.rawValue).\(id): must be a finite number ≥ 0, got \(v)") }
            }
        }
        for (field, v) in [("peakKW", peakKW), ("carbonKg", carbonKg)] {
            if let v, !(v.isFinite && v >= 0) { found.append("\(field): must be a finite number ≥ 0, got \(v)") }
        }
        return found
    }
}

extension ParkState: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let known = Set(AssetProgress.allCases.map(\.rawValue) + ["peakKW", "carbonKg"])
        if let unknown = c.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(forKey: unknown, in: c,
                                                   debugDescription: "'\(unknown.stringValue)' is not a known field (one of \(known.sorted().joined(separator: ", ")))")
        }
        for kind in AssetProgress.allCases {
            if let values = try c.decodeIfPresent([String: Double].self, forKey: Key(stringValue: kind.rawValue)) { progress[kind] = values }
        }
        peakKW = try c.decodeIfPresent(Double.self, forKey: Key(stringValue: "peakKW"))
        carbonKg = try c.decodeIfPresent(Double.self, forKey: Key(stringValue: "carbonKg"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for kind in AssetProgress.allCases { if let values = progress[kind], !values.isEmpty { try c.encode(values, forKey: Key(stringValue: kind.rawValue)) } }
        try c.encodeIfPresent(peakKW, forKey: Key(stringValue: "peakKW"))
        try c.encodeIfPresent(carbonKg, forKey: Key(stringValue: "carbonKg"))
    }

    /// Reads a state file; a file that cannot be read or parsed is an error naming it and
    /// the field.
    public static func read(path: String) throws(ScenarioError) -> ParkState {
        guard let data = FileManager.default.contents(atPath: path) else { throw ScenarioError(messages: ["\(path): cannot read the file"]) }
        do {
            return try JSONDecoder().decode(ParkState.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ScenarioError(messages: ["\(path): \(Self.place(context.codingPath))\(context.debugDescription)"])
        } catch let DecodingError.typeMismatch(_, context) {
            throw ScenarioError(messages: ["\(path): \(Self.place(context.codingPath))must be \(context.codingPath.count == 1 && !["peakKW", "carbonKg"].contains(context.codingPath[0].stringValue) ? "an object of numbers by asset id" : "a number")"])
        } catch {
            throw ScenarioError(messages: ["\(path): not a state file (\(error))"])
        }
    }

    private static func place(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "" : "field '\(path.map(\.stringValue).joined(separator: "."))': "
    }

    /// The state file's text (sorted keys, indented).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

extension Scenario {
    /// The park's assets and every firm's, in the scenario's order.
    public var allAssets: [Asset] { park.assets + firms.flatMap(\.assets) }
}
