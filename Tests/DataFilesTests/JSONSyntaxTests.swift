import DataFiles
import Foundation
import Testing

@Suite("JSON syntax errors with their place")
struct JSONSyntaxTests {
    func failure(_ text: String) -> JSONSyntax.Failure? {
        do { try JSONSyntax.check(Data(text.utf8)); return nil } catch { return error }
    }

    @Test func eachErrorNamesItsLineColumnAndWhatWasExpected() {
        #expect(failure("{\n  \"a\": 1,\n}") == .init(line: 3, column: 1, message: "a comma before '}': remove it"))
        #expect(failure("[1, 2,]")?.message == "a comma before ']': remove it")
        #expect(failure("{\"a\": NaN}") == .init(line: 1, column: 7, message: "NaN and Infinity are not JSON numbers; give a finite number"))
        #expect(failure("{\"a\": -Infinity}")?.message.contains("NaN and Infinity") == true)
        #expect(failure("{\"a\":\n 1e309}") == .init(line: 2, column: 2, message: "1e309 is beyond the range of a double (about ±1.8e308)"))
        #expect(failure(#"{"a": "\ud800x"}"#) == .init(line: 1, column: 8, message: "\\uD800 is a lone UTF-16 high surrogate (not a character)"))
        #expect(failure(#"["\udc00"]"#)?.message.contains("lone UTF-16 low surrogate") == true)
        #expect(failure(String(repeating: "[", count: 513) + String(repeating: "]", count: 513))?.message == "nesting deeper than 512 levels")
        #expect(failure(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) == nil)
        #expect(failure("{\"a\" 1}") == .init(line: 1, column: 6, message: "expected ':' after the key, found '1'"))
        #expect(failure("{\"a\": 1") == .init(line: 1, column: 8, message: "expected ',' or '}', found the end of the file"))
        #expect(failure("{\"a\": \"x}")?.message == "a string that starts here is not closed")
        #expect(failure("{a: 1}")?.message == "expected a key in double quotes, found 'a'")
        #expect(failure("[01]")?.message == "a number with a leading zero")
        #expect(failure("{} x")?.message == "expected the end of the document after the value, found 'x'")
        #expect(failure("")?.message == "expected a value, found the end of the file")
        // Columns count characters, not bytes.
        #expect(failure("{\"ü\": x}") == .init(line: 1, column: 7, message: "expected a value (object, array, string, number, true, false or null), found 'x'"))
    }

    @Test func validDocumentsPass() throws {
        for text in ["{}", "[]", "0", "-0.5e-3", #"{"a": [1, 2.5, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]}"#,
                     "\u{FEFF}{\"bom\": 1}", " \n\t{\"a\" : {\"b\" : [ ] } } \n", "1.7976931348623157e308"] {
            #expect(failure(text) == nil, "\(text)")
        }
        let v = try JSONSyntax.parse(Data(#"{"a": [1, "b"]}"#.utf8)) as? [String: Any]
        #expect((v?["a"] as? [Any])?.count == 2)
    }

    @Test func invalidUTF8IsNamed() {
        var bytes = Array("{\"a\": \"".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"}".utf8)
        do { try JSONSyntax.check(Data(bytes)); Issue.record("expected a failure") } catch {
            #expect(error.message == "invalid UTF-8 (byte 0xC3)" && error.column == 8)
        }
    }
}
