/// Text from an input file as a message can print it: control characters (a line break, a
/// NUL, an escape) written as Swift escapes so that one error stays one log line and
/// cannot forge another, and long text cut.
public enum Printable {
    public static func escaped(_ s: some StringProtocol, limit: Int = 80) -> String {
        var out = ""
        var count = 0
        for scalar in s.unicodeScalars {
            if count >= limit { return out + "…" }
            let c = scalar.properties.generalCategory
            out += c == .control || c == .format || c == .lineSeparator || c == .paragraphSeparator
                ? scalar.escaped(asASCII: true) : String(scalar)
            count += 1
        }
        return out
    }
}
