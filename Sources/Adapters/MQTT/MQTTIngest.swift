import Foundation
import Measurements
import RunHistory

/// Moves what an `MQTTSource` received into the store: validates every sample, stores the
/// accepted ones in one transaction, logs rejections and undecodable payloads as feed events.
public enum MQTTIngest {
    /// What one batch of messages gave: samples accepted, duplicate and rejected, payloads that could not be read.
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
        let result = try validator.ingest(samples, source: origin, into: store, now: now)
        o.accepted = result.inserted
        o.duplicates = result.duplicates
        o.rejected = result.rejected
        return o
    }
}
