import DataFiles

/// An MPS input error: the file, the 1-based line (0 when it concerns the whole file)
/// and what is wrong (control characters from the file escaped: one error, one line).
public struct MPSError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = Printable.escaped(message, limit: 400)
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
