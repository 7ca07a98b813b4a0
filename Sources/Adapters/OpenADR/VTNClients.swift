import DataFiles
import Foundation

extension VTNAuth {
    /// Reads the VTN's clients file:
    ///
    ///     {"clients": [{"id": "ven-f03", "secret": "…", "targets": ["f03"],
    ///                   "scopes": ["read_targets", "read_ven_objects", "write_reports", "write_vens"]},
    ///                  {"id": "operator", "secret": "…", "scopes": ["read_all", "write_programs", "write_events"]}]}
    ///
    /// Unknown fields and scopes, duplicate ids and empty secrets are errors naming the field.
    public static func readClients(path: String) throws -> [Client] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path, "cannot read the file") }
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch { throw ConfigError(path, error.description) }
        guard let root = any as? [String: Any], let list = root["clients"] as? [Any] else {
            throw ConfigError(path, "expected {\"clients\": [...]}")
        }
        var out: [Client] = []
        for (k, any) in list.enumerated() {
            let at = "clients[\(k)]"
            guard let o = any as? [String: Any] else { throw ConfigError(path, "\(at): expected an object") }
            try FeedConfig.keys(o, ["id", "secret", "scopes", "targets"], path, at)
            guard let id = o["id"] as? String, !id.isEmpty else { throw ConfigError(path, "\(at).id: required") }
            guard let secret = o["secret"] as? String, secret.count >= 8 else { throw ConfigError(path, "\(at).secret: at least 8 characters") }
            guard let scopes = o["scopes"] as? [String], !scopes.isEmpty else { throw ConfigError(path, "\(at).scopes: a non-empty list") }
            if let bad = scopes.first(where: { !allScopes.contains($0) }) {
                throw ConfigError(path, "\(at).scopes: '\(bad)' is not an OpenADR scope (\(allScopes.sorted().joined(separator: ", ")))")
            }
            guard !out.contains(where: { $0.id == id }) else { throw ConfigError(path, "\(at).id: '\(id)' appears twice") }
            out.append(Client(id: id, secret: secret, scopes: Set(scopes), targets: o["targets"] as? [String] ?? []))
        }
        return out
    }
}
