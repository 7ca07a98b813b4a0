import Foundation

/// UTC timestamps with milliseconds, as the run history stores them.
enum ISO8601Formatting {
    static func string(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }
}
