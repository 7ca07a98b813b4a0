import Foundation

/// Finds keys that occur twice in one JSON object (JSONSerialization keeps the last one
/// silently). A single pass over the bytes, tracking strings and nesting.
enum DuplicateKeys {
    static func find(in data: Data) -> [String] {
        let bytes = [UInt8](data)
        var stack: [Set<String>?] = []  // nil for arrays
        var duplicates: [String] = []
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "{"): stack.append([])
            case UInt8(ascii: "["): stack.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: "\""):
                var j = i + 1
                var raw: [UInt8] = []
                while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { raw.append(bytes[j]); j += 1 }
                    if j < bytes.count { raw.append(bytes[j]) }
                    j += 1
                }
                var k = j + 1
                while k < bytes.count, [9, 10, 13, 32].contains(bytes[k]) { k += 1 }
                if k < bytes.count, bytes[k] == UInt8(ascii: ":"), let top = stack.last, var keys = top {
                    let key = decodedKey(raw)
                    if !keys.insert(key).inserted { duplicates.append(key) }
                    stack[stack.count - 1] = keys
                }
                i = j
            default: break
            }
            i += 1
        }
        return duplicates
    }

    /// The key's text with JSON escapes resolved (so `"a"` and `"\u0061"` are the same key).
    static func decodedKey(_ raw: [UInt8]) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        guard raw.contains(UInt8(ascii: "\\")),
              let s = try? JSONSerialization.jsonObject(with: Data(("\"" + text + "\"").utf8), options: .fragmentsAllowed) as? String
        else { return text }
        return s
    }
}
