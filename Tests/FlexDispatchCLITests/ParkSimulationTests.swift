@testable import Adapters
import Foundation
import Measurements
import RunHistory
import Testing
import TestSupport

/// The adapter layer end to end: a simulated park of four firms feeds the store — the ERP's
/// CSV export of two weeks of meter data through a drop folder, a SunSpec meter (pymodbus)
/// for f01, a SunSpec inverter+battery for f03, f02's gateway over MQTT (paho via
/// Mosquitto) — from 23:55 to 23:59:30 of simulated time; the batch then exports that
/// history, forecasts from it, dispatches, and publishes setpoints that pysunspec2 and paho
/// read back. The test drives the feed service's clock: it advances it one poll interval
/// at a time, and only once every loop of the service has done its work at the current
/// time, so what is stored does not depend on how fast the machine is.
@Suite("Park simulation: feeds → store → forecast → dispatch → setpoints", .serialized,
       .requires("ParkSimulationTests", .sunSpecPeer, .mqttPeer))
struct ParkSimulationTests {
    static let series = ["pv_pu", "wind_pu", "f01_load", "f02_load", "f03_load", "f04_load"]
    /// Simulated seconds between two polls of every feed (and two flushes).
    static let step = 10.0

    @Test func feedsForecastDispatchAndPublish() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-park-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let park = dir + "/park", drop = dir + "/erp-drop", db = dir + "/park.sqlite", feeds = dir + "/feeds.json"
        #expect(runCommandLine(["generate", "--firms", "4", "--days", "1", "--history-days", "14", "--seed", "3", "--out", park,
                                "--profiles", SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path]) == 0)
        // The history leaves the scenario: it reaches the batch only through the store.
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: park + "/history/history.csv", toPath: drop + "/history.csv")
        try FileManager.default.removeItem(atPath: park + "/history")
        let rows = try String(contentsOfFile: drop + "/history.csv", encoding: .utf8).split(separator: "\n")
        let header = rows[0].split(separator: ",").map(String.init)
        let last = rows[rows.count - 1].split(separator: ",").map(String.init)
        let f01 = try #require(Double(last[header.firstIndex(of: "f01_load")!]))
        let f02 = try #require(Double(last[header.firstIndex(of: "f02_load")!]))

        // Devices: f01's meter reads its last metered load (kW, W_SF = 3); f03's inverter is
        // rated 412 kW, its battery 165 kW, as in the scenario.
        let values = dir + "/values.json"
        try #"{"203": {"W": \#(Int(f01.rounded())), "W_SF": 3}, "120": {"WRtg": 412, "WRtg_SF": 3}, "124": {"WChaMax": 165, "WChaMax_SF": 3}}"#
            .write(toFile: values, atomically: true, encoding: .utf8)
        let devices = try SunSpecPeer(devices: 2, arguments: ["--values", values])
        defer { devices.stop() }
        let broker = try Broker()
        defer { broker.stop() }
        let specs = Self.series.map { name in
            #"{"name": "\#(name)", "unit": "\#(name.hasSuffix("_pu") ? "pu" : "kW")", "min": 0, "max": 200000, "maxAgeDays": 30}"#
        } + [#"{"name": "f03_bat_soc", "unit": "%", "min": 0, "max": 100}"#]
        try """
            {"series": [\(specs.joined(separator: ", "))],
             "feeds": [
               {"type": "files", "name": "erp", "folder": "\(drop)", "pollSeconds": \(Self.step),
                "columns": {\(Self.series.map { #""\#($0)": {"series": "\#($0)"}"# }.joined(separator: ", "))}},
               {"type": "modbus", "name": "f01-meter", "host": "127.0.0.1", "port": \(devices.port), "pollSeconds": \(Self.step),
                "timeoutSeconds": 1, "points": {"203.W": {"series": "f01_load"}}},
               {"type": "modbus", "name": "f03-der", "host": "127.0.0.1", "port": \(devices.port + 1), "pollSeconds": \(Self.step),
                "timeoutSeconds": 1, "points": {"802.SoC": {"series": "f03_bat_soc"}},
                "setpoints": {"f03_pv": "inverterLimit", "f03_bat": "storage"}},
               {"type": "mqtt", "name": "gateway", "port": \(broker.port), "clientID": "fd-park-\(UUID().uuidString.prefix(8))",
                "topics": {"park/f02/load": {"series": "f02_load", "unit": "kW"}}, "setpointPrefix": "flexdispatch/park"}
             ]}
            """.write(toFile: feeds, atomically: true, encoding: .utf8)

        // Simulated time starts at 23:55 on the eve of the scenario's day.
        let start = try #require(ISO8601DateFormatter().date(from: "2025-06-01T00:00:00+08:00"))
        let simStart = start.addingTimeInterval(-300)
        let clock = SimulatedClock(start: simStart)
        let store = try SQLiteMeasurementStore(path: db)
        let service = try FeedService(config: try FeedConfig.read(path: feeds), store: store, clock: clock)
        let stop = StopSwitch()
        let running = service.start(flushSeconds: Self.step) { stop.isSet }
        // Four loops sleep on the clock between their turns: two devices, the folder, the writer.
        func settled() async throws {
            try await waitUntil("every feed loop to finish its turn at \(clock.now)") { clock.sleepers == 4 }
        }
        try await waitUntil("the gateway's subscription") { service.mqttSubscribed }
        // f02's gateway publishes its meter every 30 s of simulated time, 23:55:00 … 23:57:30.
        let f = ISO8601DateFormatter()
        let messages = (0..<6).map { k in
            #"("park/f02/load", {"time": "\#(f.string(from: simStart.addingTimeInterval(Double(k) * 30)))", "value": \#(f02 + Double(k))})"#
        }
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: "[" + messages.joined(separator: ", ") + "]"), port: broker.port)
        try await waitUntil("the gateway's six messages") { service.mqttWaiting == 6 }
        // Every feed polls at 23:55:00, then at each step up to 23:59:30.
        let polls = 28
        try await settled()
        for _ in 1..<polls {
            clock.advance(by: Self.step)
            try await settled()
        }
        #expect(service.stats.polls == 2 * polls && service.stats.pollErrors == 0)
        stop.set()
        clock.advance(by: Self.step)
        try await running.value

        let window = (simStart, start)
        let grid = (0..<polls).map { simStart.addingTimeInterval(Double($0) * Self.step) }
        let live01 = try store.measurements(series: "f01_load", from: window.0, to: window.1)
        let live02 = try store.measurements(series: "f02_load", from: window.0, to: window.1)
        #expect(live01.map(\.time) == grid)
        #expect(live01.allSatisfy { $0.source == "modbus:f01-meter" && abs($0.value - f01) < 1 })
        #expect(live02.map(\.value) == (0..<6).map { f02 + Double($0) })
        #expect(try store.measurements(series: "pv_pu", from: .distantPast, to: .distantFuture).count == 14 * 96)
        #expect(try store.measurements(series: "f03_bat_soc", from: window.0, to: window.1).map(\.time) == grid)

        // The batch: export the store's history, forecast from it, dispatch.
        #expect(runCommandLine(["feeds", "export", "--db", db, "--series", Self.series.joined(separator: ","),
                                "--from", "2025-05-18T00:00:00+08:00", "--to", "2025-06-01T00:00:00+08:00",
                                "--out", park + "/history/measured.csv"]) == 0)
        let exported = try String(contentsOfFile: park + "/history/measured.csv", encoding: .utf8).split(separator: "\n")
        #expect(exported.count == 1 + 14 * 96)
        #expect(exported.last?.hasPrefix("2025-05-31T23:45:00+08:00,") == true)
        #expect(runCommandLine(["run", park, "--db", db, "--out", dir + "/out", "--quiet"]) == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out/summary.json"))) as? [String: Any]
        #expect(summary?["status"] as? String == "optimal")
        let forecasts = summary?["forecasts"] as? [[String: Any]] ?? []
        #expect(Set(forecasts.compactMap { $0["series"] as? String }) == Set(Self.series))
        #expect(forecasts.allSatisfy { ($0["historyFile"] as? String)?.hasSuffix("measured.csv") == true })

        // Publish noon's setpoints; the peers read them back.
        let history = try SQLiteRunStore(path: db)
        let runID = try #require(try history.list(limit: 1).first?.id)
        let detail = try #require(try history.show(runID))
        #expect(runCommandLine(["publish", String(runID), "--config", feeds, "--db", db, "--at", "2025-06-01T12:05:00+08:00"]) == 0)
        let noon = 48
        let pv = try #require(detail.scheduleValues["f03/f03_pv/generation_kW"]?[noon])
        let charge = try #require(detail.scheduleValues["f03/f03_bat/charge_kW"]?[noon])
        let discharge = try #require(detail.scheduleValues["f03/f03_bat/discharge_kW"]?[noon])
        #expect(pv > 0, "noon in June: f03's PV is planned to produce")
        let limit = try await SunSpecPeer.read(port: devices.port + 1, model: 123, points: ["WMaxLimPct", "WMaxLim_Ena"])["points"] as? [String: [String: Any]]
        #expect(abs((limit?["WMaxLimPct"]?["value"] as? Double ?? -1) - min(100, pv / 412 * 100)) < 0.5)
        #expect(limit?["WMaxLim_Ena"]?["raw"] as? Int == 1)
        let storage = try await SunSpecPeer.read(port: devices.port + 1, model: 124, points: ["StorCtl_Mod", "InWRte", "OutWRte"])["points"] as? [String: [String: Any]]
        let net = charge - discharge
        #expect(storage?["StorCtl_Mod"]?["raw"] as? Int == (net > 0 ? 1 : net < 0 ? 2 : 3))
        #expect(abs((storage?["InWRte"]?["value"] as? Double ?? -1) - max(0, net) / 165 * 100) < 0.05)
        #expect(abs((storage?["OutWRte"]?["value"] as? Double ?? -1) - max(0, -net) / 165 * 100) < 0.05)
        let retained = try Paho.firstMessage("flexdispatch/park/f03_bat/schedule", port: broker.port)
        let plan = try JSONSerialization.jsonObject(with: Data(retained.utf8)) as? [[String: Any]]
        #expect(plan?.count == 96)
        #expect(abs((plan?[noon]["powerKW"] as? Double ?? .nan) - net) < 1e-9)
    }
}

final class StopSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var on = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return on }
    func set() { lock.lock(); on = true; lock.unlock() }
}
