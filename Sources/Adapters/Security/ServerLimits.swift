import NIOCore

/// Limits every server the park runs (the VTN, the S2 CEM) applies to a connection.
public enum ServerLimits {
    /// A connection that sends nothing for this long (a request left half-sent, an idle
    /// keep-alive connection) is closed.
    public static let idleSeconds = 10.0

    /// `seconds` as the servers' idle time-out.
    static func idleTimeout(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64((max(0.001, seconds) * 1e9).rounded())) }
}
