import DataFiles
import Foundation
import Testing

@Suite("Data files: UTC timestamps")
struct TimestampTests {
    /// The hand-rolled UTC formatter writes exactly what Foundation's ISO 8601 formatter
    /// writes, and reads it back to the millisecond.
    @Test func formatterAgreesWithFoundation() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var state: UInt64 = 11
        func next() -> UInt64 {   // SplitMix64: the same times on every run
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for k in 0..<2000 {
            let t = k < 4 ? [0, 951_782_400, 1_748_736_000.9995, 4_102_444_799.999][k] : Double(next() % 4_102_444_800) + Double(next() % 1_000_000) / 1e6
            let d = Date(timeIntervalSince1970: t)
            let ours = ISO8601Formatting.string(d)
            #expect(ours == reference.string(from: d), "t = \(t)")
            let back = ISO8601Formatting.date(ours)
            #expect(back.map { abs($0.timeIntervalSince1970 - (t * 1000).rounded() / 1000) < 1e-6 } == true, "\(ours)")
        }
        #expect(ISO8601Formatting.date("2025-06-01T08:00:00+08:00") == Date(timeIntervalSince1970: 1_748_736_000))
        #expect(ISO8601Formatting.date("2025-13-01T00:00:00.000Z") == nil)
    }
}
