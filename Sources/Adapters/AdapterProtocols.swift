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

/// A grid signal for an interval: a price, a carbon intensity or a connection limit, as a
/// VTN or a scenario's own series announce it.
public struct Signal: Sendable, Equatable {
    /// What the signal's value is (money per kWh, kg per kWh, or kW).
    public enum Kind: String, Sendable { case importPrice, exportPrice, carbonIntensity, importLimit, exportLimit }
    public var kind: Kind
    public var start: Date
    public var end: Date
    public var value: Double

    public init(kind: Kind, start: Date, end: Date, value: Double) {
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
    }
}

/// Where grid signals come from (a VTN through the VEN client).
public protocol SignalSource: Sendable {
    var name: String { get }
    func signals(from: Date, to: Date) async throws -> [Signal]
}

/// One asset's power for one step of a run: from `time` for `seconds`.
public struct Setpoint: Sendable, Equatable {
    public var asset: String
    public var step: Int
    public var time: Date
    /// The step's length (the run's step).
    public var seconds: Double
    /// kW; positive = consume/charge, negative = produce/discharge.
    public var powerKW: Double

    public init(asset: String, step: Int, time: Date, seconds: Double, powerKW: Double) {
        self.asset = asset
        self.step = step
        self.time = time
        self.seconds = seconds
        self.powerKW = powerKW
    }

    /// Where the step ends.
    public var end: Date { time.addingTimeInterval(seconds) }
}

/// Takes a run's setpoints (every asset, every step) and the step in effect now: a sink
/// that keeps plans (MQTT) sends the whole schedule, a device that holds one value
/// (Modbus) gets that step's. Returns one receipt per asset it handled.
public protocol SetpointSink: Sendable {
    var name: String { get }
    /// The assets this sink sends setpoints for.
    var assets: [String] { get }
    func send(_ setpoints: [Setpoint], step: Int) async throws -> [SetpointReceipt]
    /// Hands `assets` (those of them this sink drives) back to their own control when no
    /// plan holds the present: a battery's own mode, an inverter without a power limit, a
    /// gateway without a schedule. One receipt per asset released (step −1, power NaN).
    func release(_ assets: [String]) async throws -> [SetpointReceipt]
}

extension SetpointSink {
    /// A sink with nothing to hand back releases nothing.
    public func release(_ assets: [String]) async throws -> [SetpointReceipt] { [] }
}

/// What became of one setpoint: confirmed by the device or broker (in its own terms), or
/// the error.
public struct SetpointReceipt: Sendable, Equatable {
    public var sink: String
    public var asset: String
    public var step: Int
    public var powerKW: Double
    public var confirmed: String?
    public var error: String?

    public init(sink: String, asset: String, step: Int, powerKW: Double, confirmed: String?, error: String?) {
        self.sink = sink
        self.asset = asset
        self.step = step
        self.powerKW = powerKW
        self.confirmed = confirmed
        self.error = error
    }
}
