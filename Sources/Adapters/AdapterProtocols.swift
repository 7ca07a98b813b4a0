import Foundation

/// The adapter layer's contracts. The batch and the park model depend on these, never on a
/// transport: a source of measurements (firm load, PV output, state of charge, meter
/// energy), a source of signals (prices, carbon intensity, demand-response requests), and
/// a sink of setpoints (per asset and step).
public protocol MeasurementSource: Sendable {
    var name: String { get }
    /// Delivers what arrived since the last call (pull-based transports poll here).
    func poll() async throws -> [RawSample]
}

public struct Signal: Sendable, Equatable {
    public enum Kind: String, Sendable { case importPrice, exportPrice, carbonIntensity, importLimit, exportLimit }
    public var kind: Kind
    public var start: Date
    public var end: Date
    public var value: Double
}

public protocol SignalSource: Sendable {
    var name: String { get }
    func signals(from: Date, to: Date) async throws -> [Signal]
}

public struct Setpoint: Sendable, Equatable {
    public var asset: String
    public var step: Int
    public var time: Date
    /// kW; positive = consume/charge, negative = produce/discharge.
    public var powerKW: Double
}

public protocol SetpointSink: Sendable {
    var name: String { get }
    func send(_ setpoints: [Setpoint]) async throws
}
