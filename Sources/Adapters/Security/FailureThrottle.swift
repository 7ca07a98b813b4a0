import Foundation
import NIOConcurrencyHelpers

/// Slows down guessing: after `limit` failed attempts for one name (a client id, a resource
/// manager) from one address within `window` seconds, attempts for that name from that
/// address are refused for `lockout` seconds, doubling with each further lockout (a quiet
/// period of ten windows starts the doubling over); `globalLimit` failures from one address
/// under any names lock that address out the same way (many names guessed at once). Keyed
/// by address, so a guesser elsewhere cannot lock a firm out of its own account. A success
/// clears the name's record for that address. At most `maxNames` records are kept (the
/// oldest makes way), so guessing with endless new names cannot grow memory.
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

    static func key(_ name: String, _ address: String) -> String { "\(name.prefix(128))\u{0}\(address)" }

    /// Seconds until `name` may try again from `address` (nil: it may now).
    public func wait(_ name: String, from address: String = "", now: Date = Date()) -> Double? {
        records.withLockedValue { r in
            let until = max(r[Self.key(name, address)]?.lockedUntil ?? .distantPast, r[Self.key(Self.everyone, address)]?.lockedUntil ?? .distantPast)
            return until > now ? until.timeIntervalSince(now) : nil
        }
    }

    /// Records a failed attempt for `name` from `address`.
    public func failed(_ name: String, from address: String = "", now: Date = Date()) {
        records.withLockedValue { r in
            for (key, cap) in [(Self.key(name, address), limit), (Self.key(Self.everyone, address), globalLimit)] {
                var record = r[key] ?? Record()
                if now.timeIntervalSince(record.touched) > 10 * window { record.lockouts = 0 }
                record.failures = record.failures.filter { now.timeIntervalSince($0) < window } + [now]
                record.touched = now
                if record.failures.count >= cap {
                    record.lockedUntil = now.addingTimeInterval(lockout * pow(2, Double(min(record.lockouts, 10))))
                    record.lockouts += 1
                    record.failures = []
                }
                r[key] = record
            }
            if r.count > maxNames, let oldest = r.min(by: { $0.value.touched < $1.value.touched })?.key {
                r[oldest] = nil
            }
        }
    }

    /// Records a success for `name` from `address`: its failures and lockouts are forgotten.
    public func succeeded(_ name: String, from address: String = "") {
        _ = records.withLockedValue { $0.removeValue(forKey: Self.key(name, address)) }
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
