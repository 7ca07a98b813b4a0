import Foundation
import NIOConcurrencyHelpers

/// Slows down guessing: after `limit` failed attempts for one name (a client id, a resource
/// manager) within `window` seconds, attempts for that name are refused for `lockout`
/// seconds, doubling with each further lockout; across all names together, `globalLimit`
/// failures within the window lock everyone out the same way (many names guessed at once).
/// A success clears the name's record. At most `maxNames` names are tracked (the oldest
/// record makes way), so guessing with endless new names cannot grow memory.
public final class FailureThrottle: Sendable {
    struct Record {
        var failures: [Date] = []
        var lockedUntil: Date = .distantPast
        var lockouts = 0
        var touched: Date = .distantPast
    }

    let limit: Int
    let globalLimit: Int
    let window: Double
    let lockout: Double
    let maxNames: Int
    private let records = NIOLockedValueBox<[String: Record]>([:])
    static let everyone = "\u{0}*"

    public init(limit: Int = 5, globalLimit: Int = 50, window: Double = 60, lockout: Double = 30, maxNames: Int = 10_000) {
        self.limit = limit
        self.globalLimit = globalLimit
        self.window = window
        self.lockout = lockout
        self.maxNames = maxNames
    }

    /// Seconds until `name` may try again (nil: it may now).
    public func wait(_ name: String, now: Date = Date()) -> Double? {
        records.withLockedValue { r in
            let until = max(r[name]?.lockedUntil ?? .distantPast, r[Self.everyone]?.lockedUntil ?? .distantPast)
            return until > now ? until.timeIntervalSince(now) : nil
        }
    }

    /// Records a failed attempt for `name`.
    public func failed(_ name: String, now: Date = Date()) {
        records.withLockedValue { r in
            for (key, cap) in [(name, limit), (Self.everyone, globalLimit)] {
                var record = r[key] ?? Record()
                record.failures = record.failures.filter { now.timeIntervalSince($0) < window } + [now]
                record.touched = now
                if record.failures.count >= cap {
                    record.lockedUntil = now.addingTimeInterval(lockout * pow(2, Double(min(record.lockouts, 10))))
                    record.lockouts += 1
                    record.failures = []
                }
                r[key] = record
            }
            if r.count > maxNames, let oldest = r.filter({ $0.key != Self.everyone }).min(by: { $0.value.touched < $1.value.touched })?.key {
                r[oldest] = nil
            }
        }
    }

    /// Records a success for `name`: its failures and lockouts are forgotten.
    public func succeeded(_ name: String) {
        _ = records.withLockedValue { $0.removeValue(forKey: name) }
    }
}

/// Checks presented secrets against credentials, remembering (by SHA-256) the last secret
/// each name presented successfully, so that a client presenting it again does not pay for
/// the key derivation again.
public final class CredentialCheck: Sendable {
    private let accepted = NIOLockedValueBox<[String: [UInt8]]>([:])

    public init() {}

    public func verify(_ name: String, presented: String, against credential: Credential) -> Bool {
        let digest = Credential.digest(presented)
        if accepted.withLockedValue({ $0[name] }).map({ Credential.constantTimeEqual($0, digest) }) == true { return true }
        guard credential.matches(presented) else { return false }
        accepted.withLockedValue { $0[name] = digest }
        return true
    }
}
