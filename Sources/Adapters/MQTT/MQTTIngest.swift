import Foundation
import RunHistory

/// Moves what an `MQTTSource` received into the store: validates every sample, stores the
/// accepted ones in one transaction, logs rejections and undecodable payloads as feed events.
public enum MQTTIngest {
    public struct Outcome: Sendable, Equatable {
        public var accepted = 0, duplicates = 0, rejected = 0, malformed = 0
        public init() {}
    }

    public static func drain(_ source: MQTTSource, validator: MeasurementValidator, into store: any MeasurementStore,
                             now: Date = Date()) throws -> Outcome {
        let (samples, errors) = source.drain()
        var o = Outcome()
        let origin = "mqtt:\(source.name)"
        for e in errors {
            o.malformed += 1
            try? store.logEvent(source: origin, series: "*", kind: "malformed", message: e)
        }
        var accepted: [StoredMeasurement] = []
        for s in samples {
            switch validator.validate(s, source: origin, now: now) {
            case .success(let m): accepted.append(StoredMeasurement(series: m.series, time: m.time, value: m.value, unit: m.unit, source: m.source))
            case .failure(let r):
                o.rejected += 1
                try? store.logEvent(source: origin, series: r.series, kind: "rejected", message: r.reason)
            }
        }
        let inserted = try store.ingest(accepted)
        o.accepted = inserted
        o.duplicates = accepted.count - inserted
        return o
    }
}
