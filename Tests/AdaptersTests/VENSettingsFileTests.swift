@testable import Adapters
import Foundation
import RunHistory
import Storage
import Testing

/// A VEN's settings file: the fields it needs named when missing, a CA file found beside it,
/// an unknown credential mode refused.
@Suite("Adapters: a VEN's settings file")
struct VENSettingsFileTests {
    @Test func settingsAreReadAndErrorsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-ven-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ven.json").path
        try #"{"url": "https://vtn.example/", "clientID": "ven-f03", "secret": "s3cret-f03", "venName": "firm-f03", "caFile": "ca.pem", "credentialMode": "basic"}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let s = try VENClient.Settings.read(path: path)
        #expect(s.clientID == "ven-f03" && s.venName == "firm-f03" && s.credentialMode == .basic)
        #expect(s.caFile == dir.appendingPathComponent("ca.pem").path)
        try #"{"url": "https://vtn.example/", "clientID": "ven-f03"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try VENClient.Settings.read(path: path) } throws: { "\($0)" == "\(path): needs 'url', 'clientID', 'secret' and 'venName'" }
        try #"{"url": "https://vtn.example/", "clientID": "c", "secret": "s", "venName": "v", "credentialMode": "cookie"}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try VENClient.Settings.read(path: path) } throws: { "\($0)".contains("'credentialMode' is \"body\" or \"basic\"") }
    }
}

/// A run of one hour-long step, its step length recorded: its setpoints, its S2 plan and its
/// VTN events last the hour (with no recorded step and one step there is nothing to go by).
@Suite("Adapters: a run's step length reaches the devices")
struct RunStepLengthTests {
    @Test func aOneStepRunKeepsItsHour() throws {
        var run = RunDetail(fields: [("status", "optimal"), ("step_seconds", "3600.0")], parts: [:], firms: [:], internalPrice: [0.4],
                            importPrice: [0.5], scheduleValues: ["f03/f03_bat/charge_kW": [12], "f03/f03/exchange_kW": [12]],
                            forecastModels: [:], times: ["2025-06-01T00:00:00+08:00"])
        let setpoints = try RunSetpoints.from(run)
        #expect(setpoints == [Setpoint(asset: "f03_bat", step: 0, time: Date(timeIntervalSince1970: 1_748_707_200), seconds: 3600, powerKW: 12)])
        #expect(RunSetpoints.step(at: Date(timeIntervalSince1970: 1_748_707_200 + 3599), in: setpoints) == 0)
        #expect(S2Plan.from(setpoints, asset: "f03_bat")?.stepSeconds == 3600)
        let vtn = try VTNService(auth: VTNAuth(clients: []))
        try ParkVTN.publish(run, runID: 1, currency: "CNY", into: vtn)
        let durations = vtn.store.state.withLockedValue { $0.events.map { $0.value2.intervalPeriod?.duration } }
        #expect(!durations.isEmpty && durations.allSatisfy { $0 == "PT60M" }, "\(durations)")
        run.fields = [("status", "optimal")]
        #expect(throws: StoreError.self) { try RunSetpoints.from(run) }
    }
}
