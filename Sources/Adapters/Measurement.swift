import DataFiles
import Foundation
import Measurements
import RunHistory
import Storage

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
///
/// A feed's validator also knows the series that feed may write (`allowed`): a sample for
/// any other series is refused, whatever the file or payload says, and the refusal is logged
/// against the feed (series `*`), not against the series it tried to write.
public struct MeasurementValidator: Sendable {
    public var specs: [String: SeriesSpec]
    /// The series the feed may write (nil: every declared series).
    public var allowed: Set<String>?

    public init(_ specs: [SeriesSpec], allowed: Set<String>? = nil) {
        self.specs = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.allowed = allowed
    }

    public func validate(_ s: RawSample, source: String, now: Date = Date()) -> Result<Measurement, Rejection> {
        if let allowed, !allowed.contains(s.series) {
            return .failure(Rejection(series: "*", reason: "this feed may not write series '\(Printable.escaped(s.series))'"))
        }
        guard let spec = specs[s.series] else {
            return .failure(Rejection(series: "*", reason: "unknown series '\(Printable.escaped(s.series))'"))
        }
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

/// The counts of a batch ingested in parts, and what is left to log when it ends.
public struct IngestTally: Sendable {
    /// The feed the samples come from (`files:erp`, `mqtt:f03-gw`).
    public let source: String
    /// Prefix of every logged message (e.g. the file's name).
    public let context: String
    public internal(set) var inserted = 0, duplicates = 0, rejected = 0, conflicts = 0
    var unloggedRejections: [String: Int] = [:]
    var unloggedConflicts: [String: Int] = [:]

    public init(source: String, context: String = "") {
        self.source = source
        self.context = context
    }

    /// Logs the rejections and conflicts beyond the first ones, as one count per series.
    public mutating func finish(into store: any MeasurementStore, onRejection: (Rejection) -> Void = { _ in }) {
        for (series, n) in unloggedRejections.sorted(by: { $0.key < $1.key }) {
            onRejection(Rejection(series: series, reason: "and \(n) more rejected sample(s)"))
            try? store.logEvent(source: source, series: series, kind: "rejected", message: context + "and \(n) more rejected sample(s)")
        }
        for (series, n) in unloggedConflicts.sorted(by: { $0.key < $1.key }) {
            try? store.logEvent(source: source, series: series, kind: "conflict", message: context + "and \(n) more conflicting value(s)")
        }
        unloggedRejections = [:]
        unloggedConflicts = [:]
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
        var tally = IngestTally(source: source, context: context)
        try ingest(samples, tally: &tally, into: store, now: now, onRejection: onRejection)
        tally.finish(into: store, onRejection: onRejection)
        return (tally.inserted, tally.duplicates, tally.rejected)
    }

    /// Validates and stores one part of a batch that arrives in parts (a large file read in
    /// chunks): the part is stored in one transaction, and `tally` carries the counts and the
    /// logging budget across the parts, so the batch logs its first rejections and conflicts
    /// one by one and the rest as one count per series when `tally.finish` is called.
    public func ingest(_ samples: [RawSample], tally: inout IngestTally, into store: any MeasurementStore,
                       now: Date = Date(), onRejection: (Rejection) -> Void = { _ in }) throws {
        var accepted: [Measurement] = []
        for s in samples {
            switch validate(s, source: tally.source, now: now) {
            case .success(let m): accepted.append(m)
            case .failure(let r):
                tally.rejected += 1
                // The first rejections of a batch are logged one by one; the rest per series,
                // as a count (a file of 100,000 bad rows is one summary, not 100,000 events).
                guard tally.rejected <= Self.rejectionsLogged else {
                    tally.unloggedRejections[r.series, default: 0] += 1
                    continue
                }
                onRejection(r)
                try? store.logEvent(source: tally.source, series: r.series, kind: "rejected", message: tally.context + r.reason)
            }
        }
        let conflicts: [(new: Measurement, held: StoredMeasurement)]
        do { conflicts = try Self.conflicts(accepted, in: store) } catch let e as StoreError { throw e } catch {
            throw StoreError("reading stored values to compare: \(error)")
        }
        for c in conflicts {
            tally.conflicts += 1
            guard tally.conflicts <= Self.rejectionsLogged else {
                tally.unloggedConflicts[c.new.series, default: 0] += 1
                continue
            }
            try? store.logEvent(source: tally.source, series: c.new.series, kind: "conflict",
                                message: tally.context + "\(S2Messages.time(c.new.time)): \(c.new.value) \(c.new.unit) from \(tally.source) differs from "
                                    + "\(c.held.value) \(c.held.unit) stored from \(c.held.source); the stored value stands")
        }
        let inserted = try store.ingest(accepted)
        tally.inserted += inserted
        tally.duplicates += accepted.count - inserted
    }

    /// How many rejections of one batch are logged one by one.
    public static let rejectionsLogged = 20

    /// The measurements of `batch` whose (series, time) the store holds already with another
    /// value, with the value held: the first value stored stands, and the conflict is recorded
    /// instead of passing as a duplicate.
    static func conflicts(_ batch: [Measurement], in store: any MeasurementStore) throws -> [(new: Measurement, held: StoredMeasurement)] {
        var out: [(Measurement, StoredMeasurement)] = []
        for (series, list) in Dictionary(grouping: batch, by: \.series) {
            guard let first = list.map(\.time).min(), let last = list.map(\.time).max() else { continue }
            let held = try store.measurements(series: series, from: first, to: last.addingTimeInterval(0.001))
            guard !held.isEmpty else { continue }
            let byTime = Dictionary(held.map { (Self.key($0.time), $0) }, uniquingKeysWith: { a, _ in a })
            for m in list {
                if let h = byTime[Self.key(m.time)], abs(h.value - m.value) > 1e-9 * max(1, abs(h.value)) { out.append((m, h)) }
            }
        }
        return out.sorted { ($0.0.series, $0.0.time) < ($1.0.series, $1.0.time) }
    }

    static func key(_ t: Date) -> Int64 { Int64((t.timeIntervalSince1970 * 1000).rounded()) }
}
