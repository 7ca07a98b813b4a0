import Foundation

/// Checks on the permissions of files that hold secrets (a clients file, a resources file,
/// a TLS private key): readable by others than the owner and its group is worth a warning.
public enum FilePermissions {
    /// A warning when `path` can be read by every user of the machine (empty otherwise).
    public static func exposed(_ path: String, holding what: String) -> [String] {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber,
              mode.intValue & 0o004 != 0 else { return [] }
        return ["\(path) holds \(what) and every user can read it (mode \(String(mode.intValue & 0o777, radix: 8))); chmod 600 it"]
    }
}
