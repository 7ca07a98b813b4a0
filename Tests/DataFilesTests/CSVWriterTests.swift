import DataFiles
import Testing

@Suite("CSV writing")
struct CSVWriterTests {
    /// RFC 4180: a field with a comma, a quote or a line break is quoted and its quotes
    /// doubled; so is one with white space at either end; others are written as they are.
    @Test func fieldsAreQuotedWhenTheyMustBe() {
        var w = CSVWriter(header: ["x", "y"])
        w.row(["a,b", "say \"hi\"", "two\nlines", " pad", "cr\r", "plain", ""])
        #expect(w.text == "x,y\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\",\"cr\r\",plain,\n")
    }
}
