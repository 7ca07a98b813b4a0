import DataFiles
import Foundation
import Testing

/// One reading rule for every CSV: line ends, quoting, header, numbers, UTF-8.
@Suite("CSV reading rules")
struct CSVTextTests {
    @Test func quotedFieldsAreSplitProperly() {
        #expect(CSVText.fields(#"a, "b,c" ,"d""e""#[...]) == ["a", "b,c", "d\"e"])
        #expect(CSVText.fields(" x ,,y"[...]) == ["x", "", "y"])
    }

    /// LF, CRLF and CR alone all end lines (a CR-only file is not one long header); a
    /// byte-order mark is skipped; trailing blank lines are dropped.
    @Test func lineEnds() throws {
        for text in ["time,a\n1,2\n3,4\n", "time,a\r\n1,2\r\n3,4\r\n", "time,a\r1,2\r3,4\r", "\u{FEFF}time,a\n1,2\n3,4\n\n  \n"] {
            let lines = try CSVText.lines(Data(text.utf8))
            #expect(lines == ["time,a", "1,2", "3,4"], "\(text.debugDescription)")
        }
    }

    @Test func invalidUTF8IsOneErrorWithItsLine() {
        var bytes = Array("time,a\n2024-01-01T00:00Z,1\n2024-01-01T01:00Z,".utf8)
        bytes += [0xFF, 0x31, 0x0A]
        do { _ = try CSVText.lines(Data(bytes)); Issue.record("expected a failure") } catch {
            #expect(error.line == 3 && error.message == "not valid UTF-8 text (byte 0xFF)")
        }
    }

    @Test func headerRules() {
        #expect(throws: CSVText.Failure.self) { try CSVText.header("time,a,a", first: "time") }
        #expect(throws: CSVText.Failure.self) { try CSVText.header("time,,b", first: "time") }
        #expect(throws: CSVText.Failure.self) { try CSVText.header("stamp,a", first: "time") }
        #expect((try? CSVText.header("time, a ,\"b,c\"", first: "time")) == ["time", "a", "b,c"])
    }

    /// Decimal numbers only: `0x10`, `inf` and the like are not numbers for any reader.
    @Test func numbers() {
        for (text, value) in [("1", 1.0), ("-2.5", -2.5), ("1e3", 1000), ("+0.25E-1", 0.025), (".5", 0.5)] {
            #expect(CSVText.number(text) == value)
        }
        for text in ["0x10", "inf", "-Infinity", "nan", "NaN", "1e309", "1,5", "", "1 2", "--1", "e"] {
            #expect(CSVText.number(text) == nil, "\(text)")
        }
    }
}

/// What `CSVWriter` writes, `CSVText` reads back field for field.
@Suite("CSV round trip")
struct CSVRoundTripTests {
    @Test func writtenFieldsReadBack() throws {
        let rows = [["a,b", "say \"hi\"", "two\nlines", " pad ", "cr\r", "plain", ""], ["é,\u{301}", "x", "y", "z", "1", "2", "3"]]
        var w = CSVWriter(header: ["c1", "c2", "c3", "c4", "c5", "c6", "c7"])
        for r in rows { w.row(r) }
        let lines = try CSVText.lines(Data(w.text.utf8))
        #expect(lines.count == 3)
        #expect(lines.dropFirst().map(CSVText.fields) == rows)
    }
}
