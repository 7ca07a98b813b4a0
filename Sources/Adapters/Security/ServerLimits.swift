/// Limits every server the park runs (the VTN, the S2 CEM) applies to a connection.
public enum ServerLimits {
    /// A connection that sends nothing for this long (a request left half-sent, an idle
    /// keep-alive connection) is closed.
    public static let idleSeconds = 10
}
