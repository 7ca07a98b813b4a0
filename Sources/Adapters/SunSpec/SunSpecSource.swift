import Foundation
import NIOConcurrencyHelpers

/// A SunSpec device as a measurement source: discovers the device on first use (and again
/// after a model went missing), reads each configured model once per poll and turns the
/// mapped points into samples stamped with the poll time, in the point's SunSpec unit
/// unless the configuration names another. A point the device reports as not implemented
/// becomes a sample without a value, which validation rejects with that reason.
public final class SunSpecSource: MeasurementSource, Sendable {
    public let name: String
    public let feed: FeedConfig.ModbusFeed
    let transport: any ModbusTransport
    private let device = NIOLockedValueBox<SunSpecDevice?>(nil)
    /// Model id → [(point, mapping)], in a stable order.
    let byModel: [(model: Int, points: [(point: String, mapping: FeedConfig.ColumnMapping)])]

    public init(feed: FeedConfig.ModbusFeed, transport: (any ModbusTransport)? = nil) {
        name = feed.name
        self.feed = feed
        self.transport = transport ?? ModbusTCPClient(feed.settings)
        var groups: [Int: [(String, FeedConfig.ColumnMapping)]] = [:]
        for (key, mapping) in feed.points {
            let parts = key.split(separator: ".", maxSplits: 1)
            guard parts.count == 2, let model = Int(parts[0]) else { continue }
            groups[model, default: []].append((String(parts[1]), mapping))
        }
        byModel = groups.keys.sorted().map { m in (m, groups[m]!.sorted { $0.0 < $1.0 }.map { (point: $0.0, mapping: $0.1) }) }
    }

    /// The discovered device (discovering it when needed).
    public func sunSpecDevice() async throws -> SunSpecDevice {
        if let d = device.withLockedValue({ $0 }) { return d }
        let d = try await SunSpecDevice.discover(transport, unitID: feed.unitID)
        device.withLockedValue { $0 = d }
        return d
    }

    public func poll() async throws -> [RawSample] {
        try await poll(now: Date())
    }

    public func poll(now: Date) async throws -> [RawSample] {
        let d = try await sunSpecDevice()
        var out: [RawSample] = []
        for (model, points) in byModel {
            let reading: SunSpecModelReading
            do {
                reading = try await d.read(model)
            } catch let e as SunSpecError {
                device.withLockedValue { $0 = nil }
                throw e
            }
            for (point, mapping) in points {
                let unit = mapping.unit ?? reading.definition.point(point)?.canonicalUnit
                out.append(RawSample(series: mapping.series, time: now, value: reading.value(point).map { $0 * mapping.scale }, unit: unit))
            }
        }
        return out
    }
}

/// A SunSpec device as a setpoint sink. `inverterLimit` writes the planned output as the
/// inverter's active-power limit (model 123 `WMaxLimPct`, in % of `WMax` from model 121 or
/// `WRtg` from model 120, and enables it with `WMaxLim_Ena`); `storage` writes a battery's
/// planned charge (positive) or discharge (negative) as model 124's `InWRte`/`OutWRte` in %
/// of `WChaMax` and selects the direction with `StorCtl_Mod`. Each write is read back.
public struct SunSpecSetpointSink: SetpointSink {
    /// Which SunSpec control a setpoint is written to: an inverter's power limit (model 123) or storage (model 124).
    public enum Control: String, Sendable, CaseIterable { case inverterLimit, storage }

    public let name: String
    let source: SunSpecSource
    let controls: [String: Control]

    public init(source: SunSpecSource) {
        name = source.name
        self.source = source
        controls = source.feed.setpoints
    }

    public var assets: [String] { controls.keys.sorted() }

    public func send(_ setpoints: [Setpoint], step: Int) async throws -> [SetpointReceipt] {
        var receipts: [SetpointReceipt] = []
        for (asset, control) in controls.sorted(by: { $0.key < $1.key }) {
            guard let sp = setpoints.first(where: { $0.asset == asset && $0.step == step }) else { continue }
            do {
                let confirmed = try await write(control, sp.powerKW)
                receipts.append(SetpointReceipt(sink: name, asset: asset, step: step, powerKW: sp.powerKW, confirmed: confirmed, error: nil))
            } catch {
                receipts.append(SetpointReceipt(sink: name, asset: asset, step: step, powerKW: sp.powerKW, confirmed: nil, error: "\(error)"))
            }
        }
        return receipts
    }

    /// Disables the inverter's power limit (`WMaxLim_Ena` 0) or the storage control
    /// (`StorCtl_Mod` 0: the device's own mode), each read back.
    public func release(_ assets: [String]) async throws -> [SetpointReceipt] {
        var receipts: [SetpointReceipt] = []
        for (asset, control) in controls.sorted(by: { $0.key < $1.key }) where assets.contains(asset) {
            do {
                let d = try await source.sunSpecDevice()
                let confirmed: String
                switch control {
                case .inverterLimit:
                    confirmed = String(format: "WMaxLim_Ena=%.0f", try await d.write(123, "WMaxLim_Ena", 0, current: try await d.read(123)))
                case .storage:
                    confirmed = String(format: "StorCtl_Mod=%.0f", try await d.write(124, "StorCtl_Mod", 0, current: try await d.read(124)))
                }
                receipts.append(SetpointReceipt(sink: name, asset: asset, step: -1, powerKW: .nan, confirmed: confirmed, error: nil))
            } catch {
                receipts.append(SetpointReceipt(sink: name, asset: asset, step: -1, powerKW: .nan, confirmed: nil, error: "\(error)"))
            }
        }
        return receipts
    }

    /// Writes one setpoint and returns what the device confirmed, in the control's terms
    /// (% of the rating).
    func write(_ control: Control, _ powerKW: Double) async throws -> String {
        let d = try await source.sunSpecDevice()
        switch control {
        case .inverterLimit:
            let rating: Double
            if d.models.contains(where: { $0.id == 121 }), let w = try await d.read(121).value("WMax"), w > 0 {
                rating = w
            } else if let w = try await d.read(120).value("WRtg"), w > 0 {
                rating = w
            } else {
                throw SunSpecError.notImplemented(model: 120, point: "WRtg")
            }
            let percent = min(100, max(0, -powerKW * 1000 / rating * 100))
            let controls = try await d.read(123)
            let p = try await d.write(123, "WMaxLimPct", percent, current: controls)
            let e = try await d.write(123, "WMaxLim_Ena", 1, current: controls)
            return String(format: "WMaxLimPct=%.2f%% WMaxLim_Ena=%.0f", p, e)
        case .storage:
            let storage = try await d.read(124)
            guard let maxW = storage.value("WChaMax"), maxW > 0 else { throw SunSpecError.notImplemented(model: 124, point: "WChaMax") }
            let percent = min(100, abs(powerKW) * 1000 / maxW * 100)
            let charge = powerKW > 0 ? percent : 0, discharge = powerKW < 0 ? percent : 0
            let i = try await d.write(124, "InWRte", charge, current: storage)
            let o = try await d.write(124, "OutWRte", discharge, current: storage)
            let m = try await d.write(124, "StorCtl_Mod", powerKW > 0 ? 1 : powerKW < 0 ? 2 : 3, current: storage)
            return String(format: "InWRte=%.2f%% OutWRte=%.2f%% StorCtl_Mod=%.0f", i, o, m)
        }
    }
}
