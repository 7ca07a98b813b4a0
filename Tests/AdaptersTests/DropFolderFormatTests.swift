@testable import Adapters
import Foundation
import Testing

/// Drop-folder files follow the CSV and JSON rules of every reader: any line end, quoting,
/// decimal numbers only, JSON errors with their line and column.
@Suite("Adapters: drop-folder formats")
struct DropFolderFormatTests {
    @Test func csvAndJSONRules() throws {
        let t = "2025-06-01T10:00:00+08:00"
        let crlf = try DropFolderCodec.decode(Data("time,\"f01,load\"\r\n\(t),2\r\n".utf8), name: "a.csv", columns: [:])
        #expect(crlf.map(\.series) == ["f01,load"] && crlf.first?.value == 2)
        #expect(throws: DropFolderCodec.FileError(line: 2, message: "'0x10' is not a number")) {
            try DropFolderCodec.decode(Data("time,f01_load\n\(t),0x10\n".utf8), name: "b.csv", columns: [:])
        }
        #expect(throws: DropFolderCodec.FileError(line: 2, message: "malformed JSON: column 1: a comma before ']': remove it")) {
            try DropFolderCodec.decode(Data("[{\"time\": \"\(t)\", \"series\": \"x\", \"value\": 1},\n]".utf8), name: "c.json", columns: [:])
        }
    }
}
