@testable import Adapters
import Foundation
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
