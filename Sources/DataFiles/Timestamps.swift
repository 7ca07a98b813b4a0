import Foundation

/// One parsed timestamp: the instant, and the wall clock as written.
public struct Stamp: Sendable {
    /// Seconds since 1970 (UTC); bare times are taken as UTC clocks.
    public var instant: Int
    /// yyyy-mm-dd as written.
    public var wallDate: String
    /// Minutes since local midnight as written.
    public var wallMinutes: Int
    /// The UTC offset written (0 for `Z` and bare times).
    public var offsetSeconds: Int
    /// False for a bare wall-clock time (no `Z` or offset), taken as UTC.
    public var hasOffset = true
    /// The seconds' fraction as written (the instant is whole seconds).
    public var fractionalSeconds = 0.0
}

/// ISO-8601 timestamps as every reader of FlexDispatch takes them, without a date formatter
/// per row; and proleptic Gregorian day arithmetic.
public enum TimeParser {
    /// `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±hh:mm|±hhmm]` (a space may replace `T`).
    public static func parse(_ s: Substring) -> Stamp? {
        let u = Array(s.utf8)
        func num(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= u.count else { return nil }
            var v = 0
            for k in a..<(a + n) {
                let c = u[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard u.count >= 16, let y = num(0, 4), u[4] == 45, let mo = num(5, 2), u[7] == 45, let d = num(8, 2),
              u[10] == 84 || u[10] == 32, let h = num(11, 2), u[13] == 58, let mi = num(14, 2),
              (1...12).contains(mo), d >= 1, d <= daysInMonth(y, mo), h < 24, mi < 60 else { return nil }
        var k = 16
        var sec = 0
        var fraction = 0.0
        if k < u.count && u[k] == 58 {
            guard let s2 = num(k + 1, 2), s2 < 60 else { return nil }
            sec = s2
            k += 3
            if k < u.count && u[k] == 46 {
                k += 1
                var scale = 0.1
                while k < u.count && u[k] >= 48 && u[k] <= 57 { fraction += Double(u[k] - 48) * scale; scale /= 10; k += 1 }
            }
        }
        var offset = 0
        if k < u.count {
            if u[k] == 90 && k + 1 == u.count {
                offset = 0
            } else if u[k] == 43 || u[k] == 45 {
                let sign = u[k] == 43 ? 1 : -1
                guard let oh = num(k + 1, 2) else { return nil }
                var om = 0
                if k + 3 < u.count && u[k + 3] == 58 { guard let m2 = num(k + 4, 2), k + 6 == u.count else { return nil }; om = m2 } else {
                    guard let m2 = num(k + 3, 2), k + 5 == u.count else { return nil }
                    om = m2
                }
                offset = sign * (oh * 3600 + om * 60)
            } else { return nil }
        }
        let days = daysFromCivil(y, mo, d)
        let wall = days * 86400 + h * 3600 + mi * 60 + sec
        return Stamp(instant: wall - offset, wallDate: String(decoding: u[0..<10], as: UTF8.self),
                     wallMinutes: h * 60 + mi, offsetSeconds: offset, hasOffset: k < u.count, fractionalSeconds: fraction)
    }

    /// An ISO-8601 timestamp with a UTC offset (`Z`, `±hh:mm` or `±hhmm`) as an instant;
    /// nil for a bare wall-clock time or anything else.
    public static func instant(_ s: some StringProtocol) -> Date? {
        guard let st = parse(Substring(s)), st.hasOffset else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(st.instant) + st.fractionalSeconds)
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// yyyy-mm-dd of a day number since 1970-01-01.
    public static func civil(fromDays z0: Int) -> String {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}
