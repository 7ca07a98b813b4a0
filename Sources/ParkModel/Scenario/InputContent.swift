import Foundation

/// A file a scenario was read from: its physical path (symbolic links and `..` resolved
/// as the system resolved them when opening it) and the bytes read.
public struct InputContent: Sendable {
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = Self.physical(path)
        self.data = data
    }

    /// The absolute path with symbolic links and `..` resolved by the file system (as
    /// `realpath`); the standardised path when it does not exist.
    public static func physical(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(real) }
        return String(cString: real)
    }
}
