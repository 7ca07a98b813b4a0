import Foundation
@testable import Forecasting
import Testing

/// One parse of a history file serves every series in it, each with the errors of its own
/// columns and the file's.
@Suite("History table")
struct HistoryTableTests {
    static let csv = """
        time,a,b,c
        2025-01-01T00:00:00Z,1,10,100
        2025-01-01T00:30:00Z,3,x,200
        2025-01-01T01:00:00Z,5,30,
        2025-01-01T03:00:00Z,7,40,1e13
        """

    @Test func eachSeriesMeetsOnlyItsOwnColumnsErrors() throws {
        let table = HistoryTable(data: Data(Self.csv.utf8), file: "h.csv")
        let a = try table.series("a")
        // Hours 00, 01, 02 (no rows: missing) and 03; the half hour is averaged into 00.
        #expect(a.values == [2, 5, nil, 7])
        #expect(a.localHour == [0, 1, 2, 3])
        #expect(a.start == 1_735_689_600)
        #expect(throws: HistoryError.self) { try table.series("b") }
        do { _ = try table.series("b"); Issue.record("expected an error") } catch {
            #expect(error.line == 3)
            #expect(error.description == "h.csv:3: column 'b': 'x' is not a decimal number")
        }
        // A driver's error is the series' error; the first line wins, the series' own
        // column before a driver's on the same line.
        do { _ = try table.series("a", drivers: ["c", "b"]); Issue.record("expected an error") } catch {
            #expect(error.line == 3, "b's error on line 3 comes before c's on line 5")
        }
        do { _ = try table.series("c"); Issue.record("expected an error") } catch {
            #expect(error.line == 5)
            #expect(error.message.contains("beyond"))
        }
        do { _ = try table.series("d"); Issue.record("expected an error") } catch {
            #expect(error.line == 1)
            #expect(error.message.hasPrefix("no column 'd'"))
        }
        #expect(try table.series("a") .values == HistoryReader.read(data: Data(Self.csv.utf8), file: "h.csv", column: "a").values)
    }

    @Test func aBrokenRowStopsEverySeriesAfterErrorsBeforeIt() throws {
        let csv = """
            time,a,b
            2025-01-01T00:00:00Z,1,x
            2025-01-01T01:00:00Z,2,3
            2025-01-01T00:30:00Z,4,y
            """
        let table = HistoryTable(data: Data(csv.utf8), file: "h.csv")
        do { _ = try table.series("a"); Issue.record("expected an error") } catch {
            #expect(error.line == 4)
            #expect(error.message.contains("goes backwards"))
        }
        do { _ = try table.series("b"); Issue.record("expected an error") } catch {
            #expect(error.line == 2, "b's bad value comes before the broken row")
        }
        let empty = HistoryTable(data: Data("time,a\n".utf8), file: "e.csv")
        do { _ = try empty.series("a"); Issue.record("expected an error") } catch {
            #expect(error.message == "no data rows")
        }
        let nothing = HistoryTable(data: Data(), file: "n.csv")
        do { _ = try nothing.series("a"); Issue.record("expected an error") } catch {
            #expect(error.message == "empty file")
        }
    }
}
