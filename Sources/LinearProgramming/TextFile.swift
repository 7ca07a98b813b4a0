import CZlib
import Foundation

/// Reads a text file that may be gzip-compressed (zlib's gz* interface reads plain
/// files unchanged), for MPS and other inputs ending in `.gz`.
enum TextFile {
    static func readBytes(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw MPSError(file: path, line: 0, message: "file not found")
        }
        guard let gz = gzopen(path, "rb") else {
            throw MPSError(file: path, line: 0, message: "cannot open file")
        }
        defer { gzclose(gz) }
        var data = [UInt8]()
        if !path.hasSuffix(".gz"), let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int {
            data.reserveCapacity(size)
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(gz, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw MPSError(file: path, line: 0, message: "cannot decompress (corrupt gzip data)") }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<Int(n)])
        }
        return data
    }
}
