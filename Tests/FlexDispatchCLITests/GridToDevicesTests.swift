@testable import Adapters
import Foundation
import Measurements
import NIOConcurrencyHelpers
import OpenADRAPI
import RunHistory
import Testing
import TestSupport

/// Issue 7 end to end: a utility's VTN announces an evening price peak; our VEN pulls it
/// into tomorrow's scenario and the dispatch changes; the new λ and schedules go out as
/// events of the park's VTN, read by a firm's VEN (openadr3-client), and as an S2
/// instruction to the firm's battery (s2-python), which acknowledges it.
@Suite("Grid to devices: OpenADR price → dispatch → firm VEN and S2 device", .serialized,
       .requires("GridToDevicesTests", .openADRPeer, .s2Peer))
struct GridToDevicesTests {
    /// Serves `service` on a free port; returns the port and the server task.
    static func serve(_ service: VTNService, _ auth: VTNAuth) async throws -> (Int, Task<Void, any Error>) {
        try await LoopbackServer.start { onRunning in try await VTNServer(service: service, auth: auth, port: 0).run(onRunning: onRunning) }
    }

    @Test func priceEventChangesTheDispatchWhichReachesFirmsAndDevices() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-grid-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let park = dir + "/park", db = dir + "/park.sqlite"
        #expect(runCommandLine(["generate", "--firms", "4", "--days", "1", "--seed", "3", "--out", park,
                                "--profiles", SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path]) == 0)
        #expect(runCommandLine(["run", park, "--db", db, "--out", dir + "/before", "--quiet"]) == 0)

        // The utility's VTN: an operator announces 3 CNY/kWh from 17:00 to 20:00.
        let utilityAuth = VTNAuth(clients: [.init(id: "park-ven", secret: "park-s3cret", scopes: ["read_targets", "read_ven_objects", "write_vens", "write_reports"])])
        let utility = try VTNService(auth: utilityAuth)
        let peakStart = try #require(OpenADRDates.parse("2025-06-01T17:00:00+08:00"))
        let program = try utility.addProgram(.init(programName: "utility-tariff"))
        try utility.addEvent(.init(programID: program.value1.id, eventName: "evening-peak", priority: 0,
                                   intervalPeriod: .init(start: peakStart, duration: "PT15M"),
                                   intervals: (0..<12).map { .init(id: Int32($0), payloads: [.init(_type: "PRICE", values: [.init(value1: 3.0)])]) }))
        let (utilityPort, utilityTask) = try await Self.serve(utility, utilityAuth)
        defer { utilityTask.cancel() }
        try #"{"url": "http://127.0.0.1:\#(utilityPort)", "clientID": "park-ven", "secret": "park-s3cret", "venName": "ordos-park", "programName": "utility-tariff"}"#
            .write(toFile: dir + "/ven.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["signals", "pull", "--ven", dir + "/ven.json", "--scenario", park]) == 0)
        let rows = try String(contentsOfFile: park + "/timeseries.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows[1 + 68].split(separator: ",")[1] == "3" && rows[1 + 79].split(separator: ",")[1] == "3" && rows[1 + 80].split(separator: ",")[1] != "3")

        // Tomorrow's dispatch on the new price: less import in the peak, a different λ there.
        #expect(runCommandLine(["run", park, "--db", db, "--out", dir + "/after", "--quiet"]) == 0)
        let store = try SQLiteRunStore(path: db)
        let before = try #require(try store.show(1)), after = try #require(try store.show(2))
        func peakImport(_ r: RunDetail) -> Double { (r.scheduleValues["park/grid/import_kW"] ?? [])[68..<80].reduce(0, +) }
        #expect(peakImport(after) < peakImport(before), "import in the peak: \(peakImport(before)) → \(peakImport(after)) kW")
        #expect(Array(after.internalPrice[68..<80]) != Array(before.internalPrice[68..<80]))

        // The park's VTN publishes run 2; firm f03's VEN reads the new λ and its dispatch.
        let firmAuth = VTNAuth(clients: [.init(id: "ven-f03", secret: "s3cret-f03", scopes: ["read_targets", "read_ven_objects", "write_vens", "write_reports"],
                                               targets: ["f03"])])
        let parkVTN = try VTNService(auth: firmAuth)
        try ParkVTN.publish(after, runID: 2, currency: "CNY", into: parkVTN)
        let (parkPort, parkTask) = try await Self.serve(parkVTN, firmAuth)
        defer { parkTask.cancel() }
        let firm = try await OpenADRPeer.ven(["--url", "http://127.0.0.1:\(parkPort)", "--client-id", "ven-f03", "--client-secret", "s3cret-f03",
                                              "--ven-name", "firm-f03", "--scopes", "read_targets read_ven_objects write_reports write_vens"])
        #expect(firm.status == 0, "\(firm.err)")
        let seen = (try? JSONSerialization.jsonObject(with: Data(firm.out.utf8))) as? [String: Any] ?? [:]
        let price = (seen["events"] as? [[String: Any]] ?? []).first { $0["eventName"] as? String == "park-price-run-2" }
        let lambda = (price?["intervals"] as? [[String: Any]] ?? []).compactMap { (($0["payloads"] as? [String: Any])?["PRICE"] as? [Double])?.first }
        #expect(lambda.count == 96 && zip(lambda, after.internalPrice).allSatisfy { abs($0 - ($1 ?? 0)) < 1e-9 })

        // f03's battery follows run 2 at 17:30 (the simulated now): s2-python acknowledges.
        let setpoints = try RunSetpoints.from(after)
        let planned = try #require(setpoints.first { $0.asset == "f03_bat" && $0.step == 70 }?.powerKW)
        let now = peakStart.addingTimeInterval(1800)
        let cem = S2CEMServer(resources: ["battery": .init(asset: "f03_bat", series: "f03_bat_kw", credential: .clear("f03-battery-token-0123"))], plan: { S2Plan.from(setpoints, asset: $0) },
                              store: try SQLiteMeasurementStore(path: db), port: 0, clock: SimulatedClock(start: now))
        let (cemPort, cemTask) = try await LoopbackServer.start { onRunning in try await cem.run(onRunning: onRunning) }
        defer { cemTask.cancel() }
        let battery = try await S2Peer.run("s2_battery_rm.py", ["--url", "ws://127.0.0.1:\(cemPort)/ws/battery", "--name", "battery",
                                                                "--bearer-token", "f03-battery-token-0123", "--now", S2Messages.time(now),
                                                                "--max-power-w", "165000", "--capacity-kwh", "330", "--timeout", "20"])
        #expect(battery.status == 0, "\(battery.err)")
        let b = (try? JSONSerialization.jsonObject(with: Data(battery.out.utf8))) as? [String: Any] ?? [:]
        let got = (b["planned_power_w"] as? [Double])?.first ?? (b["planned_power_w"] as? Double)
        #expect(got.map { abs($0 - planned * 1000) < 1e-3 } == true, "planned \(planned) kW, the battery got \(String(describing: got)) W")
        #expect(cem.acknowledged.withLockedValue { $0 } == ["battery": 1])
    }
}
