@testable import Adapters
@testable import FlexDispatchCLI
import Foundation
import Measurements
import NIOConcurrencyHelpers
import OpenADRAPI
import RunHistory
import Testing
import TestSupport

/// `signals listen` keeps a scenario in step with a utility VTN's events through webhook
/// notifications (an event withdrawn gives the steps their own prices back), against a VTN
/// that checks the callback (echo probe) before it accepts the subscription, and removes
/// the subscription when it stops; `signals report` sends the park's planned usage, to the
/// same event every time when two were made in the same second; pulls, notifications and
/// reports show in the store's feed status.
@Suite("CLI: signals listen and report against a utility VTN", .serialized)
struct SignalsCommandTests {
    @Test func listenFollowsTheVTNAndReportSendsThePlan() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-signals-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let park = dir + "/park", db = dir + "/park.sqlite"
        #expect(runCommandLine(["generate", "--firms", "4", "--days", "1", "--seed", "3", "--out", park,
                                "--profiles", SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path]) == 0)
        #expect(runCommandLine(["run", park, "--db", db, "--out", dir + "/run", "--quiet"]) == 0)
        func prices() throws -> [String] {
            try String(contentsOfFile: park + "/timeseries.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { String($0.split(separator: ",")[1]) }
        }
        let original = try prices()

        let auth = VTNAuth(clients: [.init(id: "park-ven", secret: "park-s3cret",
                                           scopes: ["read_targets", "read_ven_objects", "write_vens", "write_reports", "write_subscriptions"], callbackHosts: ["127.0.0.1"])])
        let utility = try VTNService(auth: auth, probeCallbacks: true)
        let program = try utility.addProgram(.init(programName: "utility-tariff"))
        let (port, task) = try await GridToDevicesTests.serve(utility, auth)
        defer { task.cancel() }
        try #"{"url": "http://127.0.0.1:\#(port)", "clientID": "park-ven", "secret": "park-s3cret", "venName": "ordos-park", "programName": "utility-tariff"}"#
            .write(toFile: dir + "/ven.json", atomically: true, encoding: .utf8)

        let listening = Task { await runCommandLineOffPool(["signals", "listen", "--ven", dir + "/ven.json", "--scenario", park, "--port", "0",
                                                            "--duration", "20", "--poll-every", "0", "--db", db]) }
        // Each wait ends when its condition holds; its time-out only stops a hung test.
        try await waitUntil("the listener's subscription") { !utility.store.state.withLockedValue { $0.subscriptions.isEmpty } }
        let peak = try #require(OpenADRDates.parse("2025-06-01T17:00:00+08:00"))
        let event = try utility.addEvent(.init(programID: program.value1.id, eventName: "evening-peak", priority: 0,
                                               intervalPeriod: .init(start: peak, duration: "PT15M"),
                                               intervals: (0..<4).map { .init(id: Int32($0), payloads: [.init(_type: "PRICE", values: [.init(value1: 3.0)])]) }))
        try await waitUntil("the peak price in the scenario", timeout: 18) { try prices()[68..<72].allSatisfy { $0 == "3" } }
        #expect(try prices()[68..<72].allSatisfy { $0 == "3" }, "the notified peak price did not reach the scenario")
        #expect(try Array(prices()[72...]) == Array(original[72...]))
        _ = try await utility.deleteEvent(.init(path: .init(eventID: event.value1.id)))
        try await waitUntil("the withdrawn price gone", timeout: 18) { try prices() == original }
        #expect(try prices() == original, "the withdrawn peak price stayed in the scenario")
        #expect(await listening.value == 0)
        #expect(utility.store.state.withLockedValue { $0.subscriptions.isEmpty }, "the stopped listener's subscription is still there")

        #expect(await runCommandLineOffPool(["signals", "report", "1", "--ven", dir + "/ven.json", "--db", db, "--event", "event-9"]) == 1, "no such event")
        // Two events made in the same second (a VTN that keeps whole seconds): the report goes
        // to the one whose id sorts last.
        let second = try #require(OpenADRDates.parse("2025-06-01T08:00:00Z"))
        for id in ["tariff-2", "tariff-1"] {
            var e = try utility.addEvent(.init(programID: program.value1.id, eventName: id, intervals: []))
            utility.store.mutate { s in
                s.events.removeAll { $0.value1.id == e.value1.id }
                e.value1 = .init(id: id, createdDateTime: second, modificationDateTime: second, objectType: .event)
                s.events.append(e)
            }
        }
        #expect(await runCommandLineOffPool(["signals", "report", "1", "--ven", dir + "/ven.json", "--db", db]) == 0)
        #expect(await runCommandLineOffPool(["signals", "report", "99", "--ven", dir + "/ven.json", "--db", db]) == 2)
        let report = try #require(utility.store.state.withLockedValue { $0.reports.first })
        let run = try #require(try SQLiteRunStore(path: db).show(1))
        let planned = zip(run.scheduleValues["park/grid/import_kW"] ?? [], run.scheduleValues["park/grid/export_kW"] ?? []).map { ($0 - $1) / 4 }
        let sent = report.value2.resources.first?.intervals.compactMap { $0.payloads.first?.values.first?.value1 } ?? []
        #expect(sent.count == 96 && zip(sent, planned).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(report.value2.payloadDescriptors?.first?.readingType == "PROJECTION" && report.value2.clientName == "ordos-park")
        #expect(report.value2.eventID == "tariff-2", "the report went to \(report.value2.eventID)")

        let status = try #require(try SQLiteMeasurementStore(path: db).feedStatus().first { $0.series == "openadr/ordos-park" })
        #expect(status.lastEvent?.contains("run 1: plan (96 intervals) reported as report-") == true, "\(status)")
        // The VEN file's caFile is read, relative to the file.
        try #"{"url": "https://vtn.example", "clientID": "c", "secret": "s", "venName": "v", "caFile": "certs/ca.pem"}"#
            .write(toFile: dir + "/tls-ven.json", atomically: true, encoding: .utf8)
        #expect(try SignalsCommand.settings(dir + "/tls-ven.json").caFile == dir + "/certs/ca.pem")
        // Credentials in the token request's body unless the file asks for HTTP Basic.
        #expect(try SignalsCommand.settings(dir + "/tls-ven.json").credentialMode == .body)
        try #"{"url": "https://vtn.example", "clientID": "c", "secret": "s", "venName": "v", "credentialMode": "basic"}"#
            .write(toFile: dir + "/basic-ven.json", atomically: true, encoding: .utf8)
        #expect(try SignalsCommand.settings(dir + "/basic-ven.json").credentialMode == .basic)
        try #"{"url": "https://vtn.example", "clientID": "c", "secret": "s", "venName": "v", "credentialMode": "header"}"#
            .write(toFile: dir + "/bad-ven.json", atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try SignalsCommand.settings(dir + "/bad-ven.json") }
    }
}
