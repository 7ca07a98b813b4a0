import DataFiles
import Foundation

/// The CEM's resources file: each resource manager's name, the asset whose plan it follows,
/// the series its measurements feed, the credential it presents on the WebSocket upgrade and
/// the largest power it may report:
///
///     {"resources": {"battery": {"asset": "f03_bat", "series": "f03_bat_kw", "maxKW": 500,
///                                "aheadMinutes": 60, "tokenHash": "pbkdf2-sha256$210000$…$…"}}}
///
/// `aheadMinutes` (0 to 1440, default 0): how far ahead fill-rate and operation-mode
/// instructions go out, each to be executed at its step's start (`S2Session.Resource.aheadSeconds`).
///
/// `token` (the token in clear) may stand for `tokenHash`, with a warning. Names are ids
/// (letters, digits, '_', '-', '.'), as they appear in the URL `/ws/<name>`.
public enum S2Resources {
    /// `maxKW` when the file gives none: 100 MW, above any one device of a park.
    public static let defaultMaxKW = 100_000.0

    /// The resources, and warnings for the operator (secrets in clear, a file others can read).
    public static func read(path: String) throws -> (resources: [String: S2Session.Resource], warnings: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(path, "cannot read the file") }
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch { throw ConfigError(path, error.description) }
        guard let root = any as? [String: Any], let list = root["resources"] as? [String: Any] else {
            throw ConfigError(path, "expected {\"resources\": {NAME: {\"asset\": …, \"series\": …, \"tokenHash\": …}}}")
        }
        var out: [String: S2Session.Resource] = [:]
        var clear: [String] = []
        for (name, any) in list.sorted(by: { $0.key < $1.key }) {
            let at = "resources.\(Identifiers.printable(name))"
            guard Identifiers.isValid(name) else {
                throw ConfigError(path, "\(at): a resource name is an id (1 to 64 letters, digits, '_', '-' or '.')")
            }
            guard let o = any as? [String: Any], let asset = o["asset"] as? String, let series = o["series"] as? String else {
                throw ConfigError(path, "\(at): needs 'asset' and 'series'")
            }
            try FeedConfig.keys(o, ["asset", "series", "token", "tokenHash", "maxKW", "aheadMinutes"], path, at)
            let credential = try Credential.read(o, clearKey: "token", hashKey: "tokenHash", minimumLength: 16, path, at)
            if credential.isClear { clear.append(name) }
            var maxKW = defaultMaxKW
            if let v = o["maxKW"] {
                guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite, n.doubleValue > 0 else {
                    throw ConfigError(path, "\(at).maxKW: a positive number")
                }
                maxKW = n.doubleValue
            }
            var ahead = 0.0
            if let v = o["aheadMinutes"] {
                guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite,
                      (0...1440).contains(n.doubleValue) else {
                    throw ConfigError(path, "\(at).aheadMinutes: a number of minutes from 0 to 1440")
                }
                ahead = n.doubleValue * 60
            }
            out[name] = S2Session.Resource(asset: asset, series: series, credential: credential, maxKW: maxKW, aheadSeconds: ahead)
        }
        var warnings: [String] = []
        if !clear.isEmpty {
            warnings.append("\(path): the token of \(clear.joined(separator: ", ")) is in clear; store 'tokenHash' (flexdispatch secret hash)")
        }
        warnings += FilePermissions.exposed(path, holding: "resource managers' tokens")
        return (out, warnings)
    }
}
