import Adapters
import Foundation
import Testing

@Suite("flexdispatch vtn")
struct VTNCommandTests {
    @Test func badClientsFilesAndRunsExitTwoNamingTheField() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-vtncli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func clients(_ json: String) throws -> String {
            let p = dir + "/clients-\(UUID().uuidString).json"
            try json.write(toFile: p, atomically: true, encoding: .utf8)
            return p
        }
        func error(_ json: String) -> String {
            do { _ = try VTNAuth.readClients(path: try clients(json)); return "" } catch { return "\(error)" }
        }
        #expect(error(#"{"clients": [{"id": "a", "secret": "12345678", "scopes": ["fly"]}]}"#).contains("clients[0].scopes: 'fly' is not an OpenADR scope"))
        #expect(error(#"{"clients": [{"id": "a", "secret": "short", "scopes": ["read_all"]}]}"#).contains("clients[0].secret: a string of at least 8 characters"))
        #expect(error(#"{"clients": [{"id": "a", "secret": "12345678", "scopes": ["read_all"]}, {"id": "a", "secret": "12345678", "scopes": ["read_all"]}]}"#)
                .contains("clients[1].id: 'a' appears twice"))
        #expect(error(#"{"clients": [{"id": "a", "secret": "12345678", "scopes": ["read_all"], "role": "x"}]}"#).contains("'role' is not a known field"))
        let good = try clients(#"{"clients": [{"id": "ven-f01", "secret": "12345678", "scopes": ["read_targets"], "targets": ["f01"]}]}"#)
        #expect(try VTNAuth.readClients(path: good) == [VTNAuth.Client(id: "ven-f01", secret: "12345678", scopes: ["read_targets"], targets: ["f01"])])
        #expect(runCommandLine(["vtn", "serve", "1", "--clients", try clients("[]"), "--db", dir + "/runs.sqlite"]) == 2)
        // A store without that run.
        #expect(runCommandLine(["feeds", "run", "--once", try clients(#"{"series": [], "feeds": []}"#), "--db", dir + "/runs.sqlite"]) == 0)
        #expect(runCommandLine(["vtn", "serve", "42", "--clients", good, "--db", dir + "/runs.sqlite"]) == 2)
    }
}
