import DataFiles
import Foundation

/// Telemetry over MQTT, decoded without a socket. The documented payload is a JSON object
/// `{"time": "2025-06-01T08:00:00+08:00", "value": 1234.5, "unit": "kW", "series": "f01_load"}`
/// or an array of them; `series` and `unit` may come from the topic's mapping instead
/// (`"topics": {"park/f01/meter": {"series": "f01_load", "unit": "W"}}`, MQTT wildcards `+`
/// and `#` allowed). A topic whose mapping has a `PayloadShape` takes other shapes: e.g.
/// `{"ts": 1748736000, "data": {"power": 12.5}}` with `valuePath` "data.power", `timePath`
/// "ts", `timeFormat` "epochSeconds", or a bare `12.5` with `timeFormat` "received".
/// Malformed JSON, a missing time or a non-numeric value are errors naming the topic.
public enum MQTTPayloadCodec {
    /// True when `topic` matches the subscription `filter` (MQTT `+` and `#` wildcards).
    public static func matches(_ filter: String, _ topic: String) -> Bool {
        let f = filter.split(separator: "/", omittingEmptySubsequences: false)
        let t = topic.split(separator: "/", omittingEmptySubsequences: false)
        for (k, part) in f.enumerated() {
            if part == "#" { return true }
            guard k < t.count else { return false }
            if part != "+" && part != t[k] { return false }
        }
        return f.count == t.count
    }

    public static func decode(topic: String, payload: Data, topics: [String: FeedConfig.ColumnMapping],
                              receivedAt: Date = Date()) throws -> [RawSample] {
        // The most specific filter that matches decides (fewest wildcards, then the longest;
        // then by name), the same on every run.
        let mapping = topics.filter { matches($0.key, topic) }.min { a, b in
            let wa = a.key.filter { $0 == "+" || $0 == "#" }.count, wb = b.key.filter { $0 == "+" || $0 == "#" }.count
            return (wa, -a.key.count, a.key) < (wb, -b.key.count, b.key)
        }?.value
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: payload, options: [.fragmentsAllowed]) } catch {
            throw MQTTError("\(topic): malformed JSON payload")
        }
        if let mapping, let shape = mapping.shape {
            return [try shaped(any, topic: topic, mapping: mapping, shape: shape, receivedAt: receivedAt)]
        }
        let objects: [[String: Any]]
        if let o = any as? [String: Any] { objects = [o] } else if let a = any as? [[String: Any]] { objects = a } else {
            throw MQTTError("\(topic): the payload must be a JSON object or an array of objects")
        }
        return try objects.map { o in
            // The topic's mapping decides the series: a payload cannot name another one.
            let mapped = mapping.flatMap { $0.series.isEmpty ? nil : $0.series }
            if let mapped, let named = o["series"] as? String, named != mapped {
                throw MQTTError("\(topic): the payload names series '\(Printable.escaped(named))', the topic is mapped to '\(mapped)'")
            }
            guard let series = mapped ?? (o["series"] as? String) else {
                throw MQTTError("\(topic): no 'series' in the payload and none mapped for the topic")
            }
            guard let t = o["time"] as? String, let time = DropFolderCodec.instant(t) else {
                throw MQTTError("\(topic): 'time' must be an ISO-8601 time with Z or an offset")
            }
            var value: Double? = nil
            if let n = o["value"] as? NSNumber, String(cString: n.objCType) != "c" { value = n.doubleValue } else if o["value"] != nil && !(o["value"] is NSNull) {
                throw MQTTError("\(topic): 'value' is not a number")
            }
            return RawSample(series: series, time: time, value: value.map { $0 * (mapping?.scale ?? 1) }, unit: (o["unit"] as? String) ?? mapping?.unit)
        }
    }

    static func shaped(_ any: Any, topic: String, mapping: FeedConfig.ColumnMapping, shape: FeedConfig.PayloadShape,
                       receivedAt: Date) throws -> RawSample {
        guard !mapping.series.isEmpty else { throw MQTTError("\(topic): a payload shape needs the topic's 'series'") }
        func at(_ path: String) -> Any? {
            var node: Any? = any
            for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
            return node
        }
        func number(_ v: Any?) -> Double? {
            guard let n = v as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
            return n.doubleValue
        }
        let rawValue: Any? = any is NSNumber ? any : at(shape.valuePath)
        guard rawValue == nil || rawValue is NSNull || number(rawValue) != nil else {
            throw MQTTError("\(topic): '\(shape.valuePath)' is not a number")
        }
        let time: Date
        switch shape.timeFormat {
        case .received: time = receivedAt
        case .iso8601:
            guard let t = at(shape.timePath) as? String, let d = DropFolderCodec.instant(t) else {
                throw MQTTError("\(topic): '\(shape.timePath)' must be an ISO-8601 time with Z or an offset")
            }
            time = d
        case .epochSeconds, .epochMillis:
            guard let t = number(at(shape.timePath)) else { throw MQTTError("\(topic): '\(shape.timePath)' must be a Unix time (a number)") }
            time = Date(timeIntervalSince1970: shape.timeFormat == .epochMillis ? t / 1000 : t)
        }
        return RawSample(series: mapping.series, time: time, value: number(rawValue).map { $0 * mapping.scale }, unit: mapping.unit)
    }

    /// A run's setpoints for one asset as the retained schedule message:
    /// `[{"time": …, "step": k, "powerKW": p}, …]`.
    public static func schedule(_ setpoints: [Setpoint]) -> Data {
        (try? JSONSerialization.data(withJSONObject: setpoints.map(row), options: [.sortedKeys])) ?? Data("[]".utf8)
    }

    /// One step's setpoint: `{"time": …, "step": k, "powerKW": p}`.
    public static func setpoint(_ s: Setpoint) -> Data {
        (try? JSONSerialization.data(withJSONObject: row(s), options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    static func row(_ s: Setpoint) -> [String: Any] {
        ["time": ISO8601DateFormatter().string(from: s.time), "step": s.step, "powerKW": s.powerKW]
    }
}

/// MQTT as a measurement source: subscribes to the configured topics (QoS 1) and buffers
/// decoded samples until `poll`; undecodable payloads are kept as errors for the store's
/// feed events.
public final class MQTTSource: MeasurementSource, @unchecked Sendable {
    public let name: String
    let client: MQTTClient
    let topics: [String: FeedConfig.ColumnMapping]
    private let lock = NSLock()
    private var samples: [RawSample] = []
    private var errors: [String] = []

    public init(name: String, client: MQTTClient, topics: [String: FeedConfig.ColumnMapping]) {
        self.name = name
        self.client = client
        self.topics = topics
        client.onMessage = { [weak self] topic, payload in self?.receive(topic, payload) }
        for t in topics.keys.sorted() { client.subscribe(t) }
    }

    func receive(_ topic: String, _ payload: Data) {
        let decoded = Result { try MQTTPayloadCodec.decode(topic: topic, payload: payload, topics: topics) }
        lock.lock()
        switch decoded {
        case .success(let s): samples += s
        case .failure(let e): errors.append("\(e)")
        }
        lock.unlock()
    }

    public func poll() async throws -> [RawSample] { drain().samples }

    /// How many samples and undecodable payloads wait for the next `drain`.
    public var waiting: Int {
        lock.lock()
        defer { lock.unlock() }
        return samples.count + errors.count
    }

    /// Samples and decoding errors received since the last call.
    public func drain() -> (samples: [RawSample], errors: [String]) {
        lock.lock()
        defer { samples = []; errors = []; lock.unlock() }
        return (samples, errors)
    }
}

/// MQTT as a setpoint sink: each asset's schedule retained on `<prefix>/<asset>/schedule`
/// (a late subscriber gets the day's plan) and the step in effect retained on
/// `<prefix>/<asset>/setpoint` (`{"time", "step", "powerKW"}`), QoS 1. `assets` empty: all.
public struct MQTTSetpointSink: SetpointSink {
    public let name: String
    let client: MQTTClient
    let prefix: String
    public let assets: [String]

    public init(name: String, client: MQTTClient, prefix: String, assets: [String] = []) {
        self.name = name
        self.client = client
        self.prefix = prefix
        self.assets = assets
    }

    public func send(_ setpoints: [Setpoint], step: Int) async throws -> [SetpointReceipt] {
        var receipts: [SetpointReceipt] = []
        let wanted = Set(assets)
        for (asset, list) in Dictionary(grouping: setpoints, by: \.asset).sorted(by: { $0.key < $1.key })
        where wanted.isEmpty || wanted.contains(asset) {
            let ordered = list.sorted { $0.step < $1.step }
            try client.publish("\(prefix)/\(asset)/schedule", MQTTPayloadCodec.schedule(ordered), qos: 1, retain: true)
            guard let now = ordered.first(where: { $0.step == step }) else { continue }
            try client.publish("\(prefix)/\(asset)/setpoint", MQTTPayloadCodec.setpoint(now), qos: 1, retain: true)
            receipts.append(SetpointReceipt(sink: name, asset: asset, step: step, powerKW: now.powerKW, confirmed: nil, error: nil))
        }
        let acknowledged = client.waitAcknowledged(timeout: 10)
        for k in receipts.indices {
            if acknowledged { receipts[k].confirmed = "broker acknowledged (QoS 1), schedule retained" } else {
                receipts[k].error = "the broker did not acknowledge within 10 s"
            }
        }
        return receipts
    }

    /// Retains an empty schedule (`[]`) on `<prefix>/<asset>/schedule` and clears the
    /// retained setpoint (an empty retained message), so a gateway reading either knows no
    /// plan is in force.
    public func release(_ assets: [String]) async throws -> [SetpointReceipt] {
        let wanted = Set(self.assets)
        var receipts: [SetpointReceipt] = []
        for asset in assets.sorted() where wanted.isEmpty || wanted.contains(asset) {
            try client.publish("\(prefix)/\(asset)/schedule", MQTTPayloadCodec.schedule([]), qos: 1, retain: true)
            try client.publish("\(prefix)/\(asset)/setpoint", Data(), qos: 1, retain: true)
            receipts.append(SetpointReceipt(sink: name, asset: asset, step: -1, powerKW: .nan, confirmed: nil, error: nil))
        }
        let acknowledged = client.waitAcknowledged(timeout: 10)
        for k in receipts.indices {
            if acknowledged { receipts[k].confirmed = "broker acknowledged (QoS 1), schedule emptied" } else {
                receipts[k].error = "the broker did not acknowledge within 10 s"
            }
        }
        return receipts
    }
}
