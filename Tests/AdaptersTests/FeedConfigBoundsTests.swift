import Testing

/// Durations and counts in a feeds file are checked where they are read: a poll of 1e300 s
/// or a negative retry count would otherwise reach a conversion to nanoseconds and trap.
@Suite("Adapters: feed timing bounds")
struct FeedConfigBoundsTests {
    typealias C = FeedConfigTests

    @Test func durationsAndRetriesAreBounded() {
        let files = #"{"type": "files", "name": "f", "folder": "x", "pollSeconds": 1e300, "columns": {"a": {"series": "f01_load"}}}"#
        #expect(C.error(#"{"series": [\#(C.series)], "feeds": [\#(files)]}"#).contains("feeds[0].pollSeconds: seconds from 0.01 to 86400"))
        for (key, value, message) in [("pollSeconds", "-1", "seconds from 0.01 to 86400"), ("timeoutSeconds", "1e19", "seconds from 0.01 to 86400"),
                                      ("retries", "-3", "a whole number from 0 to 10"), ("retries", "2.5", "a whole number from 0 to 10")] {
            let modbus = #"{"type": "modbus", "name": "d", "host": "h", "port": 502, "\#(key)": \#(value), "points": {"103.W": {"series": "f01_load"}}}"#
            #expect(C.error(#"{"series": [\#(C.series)], "feeds": [\#(modbus)]}"#).contains("feeds[0].\(key): \(message)"), "\(key)=\(value)")
        }
    }
}
