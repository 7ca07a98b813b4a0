import Crypto
import _CryptoExtras
import Foundation

/// A secret as a server keeps it: a salted PBKDF2-SHA256 hash (`pbkdf2-sha256$ROUNDS$SALT$HASH`,
/// salt and hash in base64 — what `flexdispatch secret hash` prints), or the secret itself
/// (accepted, with a warning from the reader that finds one). A presented secret is checked in
/// constant time against either.
///
///     let stored = Credential.hash("a long random token")       // "pbkdf2-sha256$210000$…"
///     let credential = try Credential(stored: stored)
///     credential.matches("a long random token")                 // true
public struct Credential: Sendable, Equatable {
    enum Form: Sendable, Equatable {
        case clear([UInt8])
        case pbkdf2(rounds: Int, salt: [UInt8], hash: [UInt8])
    }

    let form: Form

    /// The PBKDF2 rounds `hash` uses (OWASP's figure for PBKDF2-HMAC-SHA256).
    public static let defaultRounds = 210_000
    /// Fewer rounds than this are refused when a stored hash is read.
    public static let minimumRounds = 100_000

    /// The secret itself, as a file holding it in clear gives it.
    public static func clear(_ secret: String) -> Credential { Credential(form: .clear(Array(secret.utf8))) }

    /// A stored hash (`pbkdf2-sha256$ROUNDS$SALT$HASH`); throws a `CredentialError` saying what is wrong.
    public init(stored text: String) throws {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256" else {
            throw CredentialError("not a stored secret of the form pbkdf2-sha256$ROUNDS$SALT$HASH (see `flexdispatch secret hash`)")
        }
        guard let rounds = Int(parts[1]), rounds >= Self.minimumRounds, rounds <= 10_000_000 else {
            throw CredentialError("pbkdf2-sha256 rounds must be a whole number from \(Self.minimumRounds) to 10000000")
        }
        guard let salt = Data(base64Encoded: parts[2]), salt.count >= 16, let hash = Data(base64Encoded: parts[3]), hash.count == 32 else {
            throw CredentialError("pbkdf2-sha256 needs a base64 salt of at least 16 bytes and a base64 hash of 32 bytes")
        }
        form = .pbkdf2(rounds: rounds, salt: Array(salt), hash: Array(hash))
    }

    init(form: Form) { self.form = form }

    /// True when the file gave the secret itself rather than its hash.
    public var isClear: Bool { if case .clear = form { return true } else { return false } }

    /// The stored form of `secret`: a fresh random salt, `rounds` rounds.
    public static func hash(_ secret: String, rounds: Int = defaultRounds) -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        let hash = derive(Array(secret.utf8), salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    /// Whether `candidate` is the secret (constant time in the candidate's bytes).
    public func matches(_ candidate: String) -> Bool {
        switch form {
        case .clear(let secret): return Self.constantTimeEqual(secret, Array(candidate.utf8))
        case .pbkdf2(let rounds, let salt, let hash):
            return Self.constantTimeEqual(hash, Self.derive(Array(candidate.utf8), salt: salt, rounds: rounds))
        }
    }

    static func derive(_ secret: [UInt8], salt: [UInt8], rounds: Int) -> [UInt8] {
        // The only failure PBKDF2 reports is a round count below its floor, which the checked
        // initialiser and `hash` rule out; a failure still never matches (an empty hash).
        guard let key = try? KDF.Insecure.PBKDF2.deriveKey(from: secret, salt: salt, using: .sha256, outputByteCount: 32,
                                                           unsafeUncheckedRounds: rounds) else { return [] }
        return key.withUnsafeBytes { Array($0) }
    }

    /// Equal length and bytes, in time that depends on the length only.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        var diff: UInt8 = 0
        for k in a.indices { diff |= a[k] ^ b[k] }
        return diff == 0
    }
}

/// A secret that cannot be read or does not follow the rules, naming where it was given.
public struct CredentialError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

extension Credential {
    /// Reads the credential of one entry of a configuration file: the secret in clear under
    /// `clearKey`, or its stored hash under `hashKey`, exactly one of them; `at` names the
    /// entry in errors. A clear secret needs at least `minimumLength` characters.
    static func read(_ o: [String: Any], clearKey: String, hashKey: String, minimumLength: Int, _ path: String, _ at: String) throws -> Credential {
        switch (o[clearKey], o[hashKey]) {
        case (let s?, nil):
            guard let s = s as? String, s.count >= minimumLength else {
                throw ConfigError(path, "\(at).\(clearKey): a string of at least \(minimumLength) characters")
            }
            return .clear(s)
        case (nil, let h?):
            guard let h = h as? String else { throw ConfigError(path, "\(at).\(hashKey): a string") }
            do { return try Credential(stored: h) } catch { throw ConfigError(path, "\(at).\(hashKey): \(error)") }
        case (nil, nil): throw ConfigError(path, "\(at): needs '\(hashKey)' (or '\(clearKey)', the secret in clear)")
        default: throw ConfigError(path, "\(at): '\(clearKey)' and '\(hashKey)' are exclusive")
        }
    }
}

extension Credential {
    /// SHA-256 of a presented secret (what `CredentialCheck` remembers instead of the secret).
    static func digest(_ s: String) -> [UInt8] { Array(SHA256.hash(data: Data(s.utf8))) }
}
