import FlexDispatch
import Foundation
import Testing

/// A history file that cannot be read past its header still claims its columns, so the
/// series it holds are refused with the file's own error and line.
@Suite("History file errors")
struct HistoryFileErrorTests {
    typealias F = ScenarioForecastTests

    @Test func aBadByteInAHistoryFileIsNamedWithItsLine() throws {
        let dir = try F.folder(json: F.scenario(), csv: F.timeseries(load: nil), history: F.history(days: 14))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = (dir as NSString).appendingPathComponent("history/loads.csv")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // A byte that is not UTF-8 on line 5.
        var newlines = 0, at = 0
        for (k, b) in bytes.enumerated() where b == 0x0A {
            newlines += 1
            if newlines == 4 { at = k + 1; break }
        }
        bytes.insert(0xB0, at: at + 3)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let m = F.messages(dir)
        #expect(m.contains { $0.contains("history/loads.csv:5") && $0.contains("not valid UTF-8") }, "\(m)")
        #expect(!m.contains { $0.contains("no history file has a column") }, "\(m)")
    }
}
