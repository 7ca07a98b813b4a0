import Foundation
import RunHistory

/// One validated, time-stamped value of one series, in the series' canonical unit, with
/// the feed that delivered it — the shape the store keeps.
public typealias Measurement = StoredMeasurement

/// A sample as a transport delivered it, before validation: the unit is whatever the
/// device or file said (nil: the series' own unit).
public struct RawSample: Sendable, Equatable {
    public var series: String
    public var time: Date?
    public var value: Double?
    public var unit: String?

    public init(series: String, time: Date?, value: Double?, unit: String?) {
        self.series = series
        self.time = time
        self.value = value
        self.unit = unit
    }
}

/// What a series accepts: its canonical unit, the units convertible to it, the plausible
/// range, and how old or how far in the future a timestamp may be.
public struct SeriesSpec: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var min: Double
    public var max: Double
    public var maxAgeSeconds: Double
    public var maxFutureSeconds: Double

    public init(name: String, unit: String, min: Double = -.infinity, max: Double = .infinity,
                maxAgeSeconds: Double = 7 * 86400, maxFutureSeconds: Double = 300) {
        self.name = name
        self.unit = unit
        self.min = min
        self.max = max
        self.maxAgeSeconds = maxAgeSeconds
        self.maxFutureSeconds = maxFutureSeconds
    }

    /// Factor from `unit` to this series' unit; nil when they do not convert.
    public func factor(from unit: String) -> Double? {
        if unit == self.unit { return 1 }
        let power: [String: Double] = ["W": 1e-3, "kW": 1, "MW": 1e3]
        let energy: [String: Double] = ["Wh": 1e-3, "kWh": 1, "MWh": 1e3]
        for table in [power, energy] {
            if let a = table[unit], let b = table[self.unit] { return a / b }
        }
        let fraction: [String: Double] = ["%": 1, "pu": 100]
        if let a = fraction[unit], let b = fraction[self.unit] { return a / b }
        return nil
    }
}

/// Validates raw samples against their series' specs: known series, a timestamp neither
/// older than `maxAgeSeconds` nor more than `maxFutureSeconds` ahead of `now`, a finite
/// number, a unit convertible to the series' unit, and a value inside [min, max] after
/// conversion. Each rejection carries its reason.
public struct MeasurementValidator: Sendable {
    public var specs: [String: SeriesSpec]

    public init(_ specs: [SeriesSpec]) {
        self.specs = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func validate(_ s: RawSample, source: String, now: Date = Date()) -> Result<Measurement, Rejection> {
        guard let spec = specs[s.series] else { return .failure(Rejection(series: s.series, reason: "unknown series '\(s.series)'")) }
        guard let time = s.time else { return .failure(Rejection(series: s.series, reason: "no timestamp")) }
        if time.timeIntervalSince(now) > spec.maxFutureSeconds {
            return .failure(Rejection(series: s.series, reason: "timestamp \(ISO8601DateFormatter().string(from: time)) is in the future"))
        }
        if now.timeIntervalSince(time) > spec.maxAgeSeconds {
            return .failure(Rejection(series: s.series, reason: "timestamp \(ISO8601DateFormatter().string(from: time)) is older than \(Int(spec.maxAgeSeconds)) s"))
        }
        guard let raw = s.value else { return .failure(Rejection(series: s.series, reason: "no value")) }
        guard raw.isFinite else { return .failure(Rejection(series: s.series, reason: "value \(raw) is not a finite number")) }
        let unit = s.unit ?? spec.unit
        guard let factor = spec.factor(from: unit) else {
            return .failure(Rejection(series: s.series, reason: "unit '\(unit)' does not convert to \(spec.unit)"))
        }
        let value = raw * factor
        guard value >= spec.min && value <= spec.max else {
            return .failure(Rejection(series: s.series, reason: "value \(value) \(spec.unit) is outside [\(spec.min), \(spec.max)]"))
        }
        return .success(Measurement(series: s.series, time: time, value: value, unit: spec.unit, source: source))
    }
}

/// Why a sample was not accepted.
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var series: String
    public var reason: String
    public var description: String { "\(series): \(reason)" }
}

extension MeasurementValidator {
    /// Validates `samples` and stores the accepted ones in one transaction; each rejection
    /// is logged against its series as a feed event (`context` prefixes the message, e.g.
    /// the file name). Returns (new, duplicates, rejected).
    public func ingest(_ samples: [RawSample], source: String, context: String = "", into store: any MeasurementStore,
                       now: Date = Date(), onRejection: (Rejection) -> Void = { _ in })
        throws -> (inserted: Int, duplicates: Int, rejected: Int) {
        var accepted: [Measurement] = []
        var rejected = 0
        for s in samples {
            switch validate(s, source: source, now: now) {
            case .success(let m): accepted.append(m)
            case .failure(let r):
                rejected += 1
                onRejection(r)
                try? store.logEvent(source: source, series: r.series, kind: "rejected", message: context + r.reason)
            }
        }
        let inserted = try store.ingest(accepted)
        return (inserted, accepted.count - inserted, rejected)
    }
}
