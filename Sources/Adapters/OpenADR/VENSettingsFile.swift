import DataFiles
import Foundation

extension VENClient.Settings {
    /// Reads a VEN's settings file:
    ///
    ///     {"url": "https://vtn.park.example/", "clientID": "ven-f03", "secret": "…", "venName": "firm-f03",
    ///      "programName"?: "park-dispatch", "tokenURL"?: "…", "scopes"?: "read_targets write_reports",
    ///      "credentialMode"?: "body" | "basic", "caFile"?: "ca.pem"}
    ///
    /// `caFile` is relative to the file's folder. Errors name the file and the field.
    public static func read(path: String) throws -> VENClient.Settings {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path, "cannot read the file") }
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch { throw ConfigError(path, error.description) }
        guard let o = any as? [String: Any] else { throw ConfigError(path, "not a JSON object") }
        guard let url = (o["url"] as? String).flatMap(URL.init(string:)), let id = o["clientID"] as? String,
              let secret = o["secret"] as? String, let name = o["venName"] as? String else {
            throw ConfigError(path, "needs 'url', 'clientID', 'secret' and 'venName'")
        }
        var s = VENClient.Settings(baseURL: url, clientID: id, secret: secret, venName: name)
        s.programName = o["programName"] as? String
        s.tokenURL = (o["tokenURL"] as? String).flatMap(URL.init(string:))
        if let scopes = o["scopes"] as? String { s.scopes = scopes }
        if let mode = o["credentialMode"] {
            guard let m = (mode as? String).flatMap(VENClient.CredentialMode.init(rawValue:)) else {
                throw ConfigError(path, "'credentialMode' is \"body\" or \"basic\"")
            }
            s.credentialMode = m
        }
        if let ca = o["caFile"] as? String {
            s.caFile = ca.hasPrefix("/") ? ca : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(ca)
        }
        return s
    }
}
