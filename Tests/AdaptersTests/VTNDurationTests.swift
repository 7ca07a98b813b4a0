@testable import Adapters
import Testing

/// ISO 8601 durations as the OpenADR 3.1 spec's pattern allows them, in seconds.
@Suite("Adapters: VTN durations")
struct VTNDurationTests {
    @Test func durations() {
        for (text, seconds) in [("PT15M", 900.0), ("P1D", 86_400), ("-PT1H", -3_600), ("P2W", 1_209_600), ("PT1.5S", 1.5),
                                ("P1Y", 365 * 86_400), ("P1M", 30 * 86_400), ("P1DT2H3M4S", 86_400 + 7_384)] {
            #expect(VTNValidation.seconds(text) == seconds, "\(text)")
        }
        for text in ["P", "PT", "15M", "PT1H2", "P1.5D", "", "pt15m", "PT15M\n"] {
            #expect(VTNValidation.seconds(text) == nil, "\(text)")
        }
    }
}
