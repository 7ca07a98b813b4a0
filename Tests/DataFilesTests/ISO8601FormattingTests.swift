import DataFiles
import Foundation
import TestSupport
import Testing

@Suite("Data files: UTC timestamps")
struct TimestampTests {
    /// The hand-rolled UTC formatter writes exactly what Foundation's ISO 8601 formatter
    /// writes, and reads it back to the millisecond.
    @Test func formatterAgreesWithFoundation() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var rng = SplitMix64(seed: 11)
        for k in 0..<2000 {
            let t = k < 4 ? [0, 951_782_400, 1_748_736_000.9995, 4_102_444_799.999][k] : Double(rng.next() % 4_102_444_800) + Double(rng.next() % 1_000_000) / 1e6
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
