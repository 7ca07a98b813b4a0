@testable import Adapters
import Foundation
import Measurements
import RunHistory
import Testing
import TestSupport

@Suite("Adapters: MQTT against Mosquitto and paho-mqtt")
struct MQTTTests {
    @Test func topicFiltersAndPayloads() throws {
        #expect(MQTTPayloadCodec.matches("park/+/meter", "park/f01/meter"))
        #expect(!MQTTPayloadCodec.matches("park/+/meter", "park/f01/meter/x"))
        #expect(MQTTPayloadCodec.matches("park/#", "park/f01/meter/x"))
        #expect(!MQTTPayloadCodec.matches("park/f02/meter", "park/f01/meter"))
        let map = ["park/f01/meter": FeedConfig.ColumnMapping(series: "f01_load", unit: "W")]
        let one = try MQTTPayloadCodec.decode(topic: "park/f01/meter", payload: Data(#"{"time": "2025-06-01T08:00:00+08:00", "value": 1500}"#.utf8), topics: map)
        #expect(one == [RawSample(series: "f01_load", time: Date(timeIntervalSince1970: 1_748_736_000), value: 1500, unit: "W")])
        let many = try MQTTPayloadCodec.decode(topic: "x/y", payload: Data(#"[{"time": "2025-06-01T00:00:00Z", "series": "a", "value": 1, "unit": "kW"}, {"time": "2025-06-01T00:15:00Z", "series": "a", "value": null}]"#.utf8), topics: [:])
        #expect(many.count == 2 && many[1].value == nil)
        #expect(throws: MQTTError.self) { try MQTTPayloadCodec.decode(topic: "t", payload: Data("{oops".utf8), topics: map) }
        #expect(throws: MQTTError.self) { try MQTTPayloadCodec.decode(topic: "t", payload: Data(#"{"time": "now", "value": 1}"#.utf8), topics: map) }
        #expect(throws: MQTTError.self) { try MQTTPayloadCodec.decode(topic: "t", payload: Data(#"{"time": "2025-06-01T00:00:00Z", "value": "x"}"#.utf8), topics: map) }

        // Other shapes: a nested value with a Unix time in milliseconds; a bare number stamped on arrival.
        var nested = FeedConfig.PayloadShape()
        nested.valuePath = "data.power"
        nested.timePath = "ts"
        nested.timeFormat = .epochMillis
        let gw = ["gw/+/p": FeedConfig.ColumnMapping(series: "f02_load", unit: "kW", scale: 2, shape: nested)]
        #expect(try MQTTPayloadCodec.decode(topic: "gw/7/p", payload: Data(#"{"ts": 1748736000000, "data": {"power": 6.25}}"#.utf8), topics: gw)
                == [RawSample(series: "f02_load", time: Date(timeIntervalSince1970: 1_748_736_000), value: 12.5, unit: "kW")])
        #expect(throws: MQTTError.self) { try MQTTPayloadCodec.decode(topic: "gw/7/p", payload: Data(#"{"ts": "soon", "data": {"power": 1}}"#.utf8), topics: gw) }
        #expect(throws: MQTTError.self) { try MQTTPayloadCodec.decode(topic: "gw/7/p", payload: Data(#"{"ts": 1, "data": {"power": "high"}}"#.utf8), topics: gw) }
        var bare = FeedConfig.PayloadShape()
        bare.timeFormat = .received
        let arrived = Date(timeIntervalSince1970: 1_748_736_123)
        #expect(try MQTTPayloadCodec.decode(topic: "m", payload: Data("431.5".utf8), topics: ["m": .init(series: "f03_load", unit: "W", shape: bare)],
                                            receivedAt: arrived) == [RawSample(series: "f03_load", time: arrived, value: 431.5, unit: "W")])
    }

    static func wait(_ source: MQTTSource, for n: Int, timeout: Double) -> (samples: [RawSample], errors: [String]) {
        var got: (samples: [RawSample], errors: [String]) = ([], [])
        let end = Date().addingTimeInterval(timeout)
        while got.samples.count + got.errors.count < n && Date() < end {
            let d = source.drain()
            got.samples += d.samples
            got.errors += d.errors
            Thread.sleep(forTimeInterval: 0.05)
        }
        return got
    }

    /// paho publishes telemetry (one malformed); our source receives and decodes it; the
    /// broker restarts and the client reconnects by itself; our sink's retained schedule
    /// reaches a paho subscriber that connects afterwards.
    @Test(.requires("MQTTTests/telemetryInSetpointsOutAcrossABrokerRestart", .mqttPeer))
    func telemetryInSetpointsOutAcrossABrokerRestart() async throws {
        let broker = try Broker()
        var settings = MQTTClient.Settings()
        settings.port = broker.port
        settings.clientID = "fd-test-\(UInt32.random(in: 0...UInt32.max))"
        let client = try MQTTClient(settings)
        let source = MQTTSource(name: "gw", client: client, topics: ["park/+/meter": FeedConfig.ColumnMapping(series: "f01_load", unit: "W")])
        try client.start()
        #expect(client.waitSubscribed(timeout: 30))
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: """
            [("park/f01/meter", {"time": "2025-06-01T08:00:00+08:00", "value": 1000}),
             ("park/f01/meter", {"time": "2025-06-01T08:15:00+08:00", "value": 1100}),
             ("park/f01/meter", "not an object")]
            """), port: broker.port)
        let first = Self.wait(source, for: 3, timeout: 30)
        #expect(first.samples.map(\.value) == [1000, 1100] && first.samples.allSatisfy { $0.series == "f01_load" && $0.unit == "W" })
        #expect(first.errors.count == 1)
        // The same path `feeds run` takes: validate and store (W → kW), malformed logged.
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: """
            [("park/f01/meter", {"time": "2025-06-01T08:45:00+08:00", "value": 900}), ("park/f01/meter", "bad")]
            """), port: broker.port)
        try await waitUntil("both messages") { source.waiting == 2 }
        let store = try SQLiteMeasurementStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("fd-mq-\(UUID().uuidString).sqlite").path)
        let validator = MeasurementValidator([SeriesSpec(name: "f01_load", unit: "kW", min: 0, maxAgeSeconds: 1e10)])
        let o = try MQTTIngest.drain(source, validator: validator, into: store)
        #expect(o.accepted == 1 && o.malformed == 1)
        #expect(try store.feedStatus().first?.lastValue == 0.9)

        broker.stop()
        try await waitUntil("the client to see the broker gone") { !client.isConnected }
        try broker.start()
        try await waitUntil("the client to reconnect and subscribe again") { client.connectionCount >= 2 && client.isSubscribed }
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: """
            [("park/f02/meter", {"time": "2025-06-01T08:30:00+08:00", "value": 1200})]
            """), port: broker.port)
        #expect(Self.wait(source, for: 1, timeout: 30).samples.map(\.value) == [1200])

        let t0 = Date(timeIntervalSince1970: 1_748_736_000)
        let receipts = try await MQTTSetpointSink(name: "out", client: client, prefix: "flexdispatch/park").send([
            Setpoint(asset: "f01_bat", step: 1, time: t0.addingTimeInterval(900), seconds: 900, powerKW: -50),
            Setpoint(asset: "f01_bat", step: 0, time: t0, seconds: 900, powerKW: 25.5),
        ], step: 1)
        #expect(receipts.map(\.powerKW) == [-50] && receipts.allSatisfy { $0.error == nil })   // acknowledged: retained at the broker
        let received = try Paho.firstMessage("flexdispatch/park/f01_bat/schedule", port: broker.port)
        let rows = try JSONSerialization.jsonObject(with: Data(received.utf8)) as? [[String: Any]]
        #expect(rows?.map { $0["step"] as? Int } == [0, 1])
        #expect(rows?.first?["powerKW"] as? Double == 25.5)
        client.stop()
    }

    /// The persistent session: while our program is away, the broker queues the QoS 1
    /// messages of its subscriptions; a new client with the same id gets them on connect.
    @Test(.requires("MQTTTests/messagesPublishedWhileAwayArriveOnResumption", .mqttPeer))
    func messagesPublishedWhileAwayArriveOnResumption() async throws {
        let broker = try Broker()
        defer { broker.stop() }
        var settings = MQTTClient.Settings()
        settings.port = broker.port
        settings.clientID = "fd-resume-\(UUID().uuidString.prefix(8))"
        let topics = ["park/+/meter": FeedConfig.ColumnMapping(series: "f01_load", unit: "kW")]
        do {
            let first = try MQTTClient(settings)
            _ = MQTTSource(name: "gw", client: first, topics: topics)
            try first.start()
            #expect(first.waitSubscribed(timeout: 30))
            first.stop()
        }
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: """
            [("park/f01/meter", {"time": "2025-06-01T09:00:00+08:00", "value": 1}), ("park/f01/meter", {"time": "2025-06-01T09:15:00+08:00", "value": 2})]
            """), port: broker.port)
        let second = try MQTTClient(settings)
        let source = MQTTSource(name: "gw", client: second, topics: topics)
        try second.start()
        #expect(Self.wait(source, for: 2, timeout: 30).samples.map(\.value) == [1, 2])
        second.stop()

        // A client with another id has no session: nothing is replayed to it, so the first
        // message it gets is one published after it subscribed.
        var other = settings
        other.clientID = settings.clientID + "-other"
        let third = try MQTTClient(other)
        let fresh = MQTTSource(name: "gw", client: third, topics: topics)
        try third.start()
        #expect(third.waitSubscribed(timeout: 30))
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: """
            [("park/f01/meter", {"time": "2025-06-01T09:30:00+08:00", "value": 3})]
            """), port: broker.port)
        #expect(Self.wait(fresh, for: 1, timeout: 30).samples.map(\.value) == [3])
        third.stop()
    }

    /// TLS with the broker's certificate checked against a CA file, username and password:
    /// the right ones connect and receive; a wrong password is refused (and says so).
    @Test(.requires("MQTTTests/tlsWithUsernameAndPassword", .mqttPeer, .openssl))
    func tlsWithUsernameAndPassword() async throws {
        let broker = try Broker(tlsUser: ("park", "s3cret"))
        defer { broker.stop() }
        let ca = broker.directory.appendingPathComponent("ca.crt").path
        var settings = MQTTClient.Settings()
        settings.port = broker.port
        settings.clientID = "fd-tls-\(UUID().uuidString.prefix(8))"
        settings.caFile = ca
        settings.username = "park"
        settings.password = "s3cret"
        let client = try MQTTClient(settings)
        let source = MQTTSource(name: "tls", client: client, topics: ["park/+/meter": FeedConfig.ColumnMapping(series: "f01_load", unit: "kW")])
        try client.start()
        #expect(client.waitSubscribed(timeout: 30))
        _ = try Paho.run("""
            import json, ssl, paho.mqtt.client as mqtt
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
            c.tls_set(ca_certs="\(ca)")
            c.username_pw_set("park", "s3cret")
            c.connect("127.0.0.1", port)
            c.loop_start()
            c.publish("park/f01/meter", json.dumps({"time": "2025-06-01T10:00:00+08:00", "value": 7}), qos=1).wait_for_publish(5)
            c.loop_stop(); c.disconnect()
            """, port: broker.port)
        #expect(Self.wait(source, for: 1, timeout: 30).samples.map(\.value) == [7])
        client.stop()

        var wrong = settings
        wrong.clientID += "-wrong"
        wrong.password = "guess"
        let refused = try MQTTClient(wrong)
        try refused.start()
        try await waitUntil("the broker's answer to a wrong password") { refused.refusal != nil || refused.isConnected }
        #expect(!refused.isConnected, "a wrong password was accepted")
        // MQTT 5 reason code 135 (Mosquitto) or 134.
        #expect(["Not authorized", "Bad user name or password"].contains(refused.refusal ?? ""), "\(refused.refusal ?? "")")
        refused.stop()
    }
}
