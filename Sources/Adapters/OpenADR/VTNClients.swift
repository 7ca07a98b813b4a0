import DataFiles
import Foundation

extension VTNAuth {
    /// Reads the VTN's clients file:
    ///
    ///     {"clients": [{"id": "ven-f03", "secret": "…", "targets": ["f03"],
    ///                   "scopes": ["read_targets", "read_ven_objects", "write_reports", "write_vens"]},
    ///                  {"id": "operator", "secret": "…", "scopes": ["read_all", "write_programs", "write_events"]}]}
    ///
    /// `secretHash` (what `flexdispatch secret hash` prints) may stand for `secret`; it should:
    /// a secret in clear is read with a warning, as is a file every user can read.
    /// `callbackHosts` lists the private hosts a client's subscriptions may call back.
    /// Unknown fields and scopes, duplicate ids and empty secrets are errors naming the field.
    public static func readClients(path: String) throws -> [Client] { try readClientsFile(path: path).clients }

    /// The clients and the warnings for the operator.
    public static func readClientsFile(path: String) throws -> (clients: [Client], warnings: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path, "cannot read the file") }
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch { throw ConfigError(path, error.description) }
        guard let root = any as? [String: Any], let list = root["clients"] as? [Any] else {
            throw ConfigError(path, "expected {\"clients\": [...]}")
        }
        var out: [Client] = []
        var clear: [String] = []
        for (k, any) in list.enumerated() {
            let at = "clients[\(k)]"
            guard let o = any as? [String: Any] else { throw ConfigError(path, "\(at): expected an object") }
            try FeedConfig.keys(o, ["id", "secret", "secretHash", "scopes", "targets", "callbackHosts"], path, at)
            guard let id = o["id"] as? String, !id.isEmpty else { throw ConfigError(path, "\(at).id: required") }
            let credential = try Credential.read(o, clearKey: "secret", hashKey: "secretHash", minimumLength: 8, path, at)
            if credential.isClear { clear.append(id) }
            let hosts = o["callbackHosts"].map { $0 as? [String] } ?? []
            guard let hosts, hosts.allSatisfy({ !$0.isEmpty }) else { throw ConfigError(path, "\(at).callbackHosts: a list of host names or addresses") }
            guard let scopes = o["scopes"] as? [String], !scopes.isEmpty else { throw ConfigError(path, "\(at).scopes: a non-empty list") }
            if let bad = scopes.first(where: { !allScopes.contains($0) }) {
                throw ConfigError(path, "\(at).scopes: '\(bad)' is not an OpenADR scope (\(allScopes.sorted().joined(separator: ", ")))")
            }
            guard !out.contains(where: { $0.id == id }) else { throw ConfigError(path, "\(at).id: '\(id)' appears twice") }
            out.append(Client(id: id, credential: credential, scopes: Set(scopes), targets: o["targets"] as? [String] ?? [],
                              callbackHosts: hosts.map { $0.lowercased() }))
        }
        var warnings: [String] = []
        if !clear.isEmpty {
            warnings.append("\(path): the secret of \(clear.joined(separator: ", ")) is in clear; store 'secretHash' (flexdispatch secret hash)")
        }
        warnings += FilePermissions.exposed(path, holding: "client secrets")
        return (out, warnings)
    }
}
