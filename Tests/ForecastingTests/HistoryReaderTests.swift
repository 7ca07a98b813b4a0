import DataFiles
import Foundation
@testable import Forecasting
import Testing

/// The history reader follows the CSV rule of every reader (docs/park-model.md "CSV
/// files") and names what is wrong with its line.
@Suite("History files: one CSV rule")
struct HistoryReaderTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-hr-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func error(_ text: String) throws -> HistoryError? {
        do { _ = try HistoryReader.read(path: try write(text), column: "y"); return nil } catch let e as HistoryError { return e }
    }

    @Test func theSameInstantUnderAnotherOffsetIsNamed() throws {
        let e = try error("time,y\n2024-01-01T00:00Z,1\n2024-01-01T08:00+08:00,2\n")
        #expect(e?.line == 3)
        #expect(e?.message == "time '2024-01-01T08:00+08:00' is the same instant as '2024-01-01T00:00Z' on line 2 (written with another UTC offset)")
        let back = try error("time,y\n2024-01-01T05:00Z,1\n2024-01-01T08:00+08:00,2\n")
        #expect(back?.message.contains("goes backwards (line 2 has '2024-01-01T05:00Z')") == true)
    }

    @Test func numbersAndHeadersFollowTheRule() throws {
        #expect(try error("time,y\n2024-01-01T00:00Z,0x10\n")?.message == "column 'y': '0x10' is not a decimal number")
        #expect(try error("time,y,y\n2024-01-01T00:00Z,1,2\n")?.message == "duplicate header 'y'")
        #expect(try error("time,y\n2024-01-01T00:00Z,1e300\n")?.message.contains("beyond ±1e+12") == true)
        #expect(try error("time,y\n2024-02-30T00:00Z,1\n")?.message.contains("is not a timestamp") == true)
    }

    @Test func lineEndsAndEncoding() throws {
        let s = try HistoryReader.read(path: try write("time,y\r2024-01-01T00:00Z,1\r2024-01-01T01:00Z,2\r"), column: "y")
        #expect(s.values == [1, 2])
        var bytes = Array("time,y\n2024-01-01T00:00Z,1\n2024-01-01T01:00Z,".utf8) + [0xC0, 0x0A]
        bytes += Array("2024-01-01T02:00Z,3\n".utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-hr-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do { _ = try HistoryReader.read(path: path, column: "y"); Issue.record("expected an error") } catch let e as HistoryError {
            #expect(e.line == 3 && e.message == "not valid UTF-8 text (byte 0xC0)")
        }
    }
}
