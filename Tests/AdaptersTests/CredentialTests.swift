@testable import Adapters
import Foundation
import Testing

@Suite("Adapters: stored secrets, files that hold them, throttling")
struct CredentialTests {
    @Test func aStoredHashMatchesItsSecretOnly() throws {
        let stored = Credential.hash("a long random token 0123")
        let parts = stored.split(separator: "$")
        #expect(parts.count == 4 && parts[0] == "pbkdf2-sha256" && parts[1] == "210000")
        let credential = try Credential(stored: stored)
        #expect(credential.matches("a long random token 0123"))
        #expect(!credential.matches("a long random token 0124") && !credential.matches(""))
        #expect(!credential.isClear)
        // Two hashes of one secret differ (fresh salts) and both match it.
        let again = try Credential(stored: Credential.hash("a long random token 0123"))
        #expect(again != credential && again.matches("a long random token 0123"))
        #expect(Credential.clear("abc").matches("abc") && !Credential.clear("abc").matches("abd") && !Credential.clear("").matches(""))
    }

    @Test(arguments: ["plain", "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$" + String(repeating: "A", count: 43) + "=",
                      "pbkdf2-sha256$210000$c2FsdA==$" + String(repeating: "A", count: 43) + "=", "pbkdf2-sha256$210000$!!$!!",
                      "pbkdf2-sha1$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"])
    func malformedStoredSecretsAreRefused(_ text: String) {
        #expect(throws: CredentialError.self) { try Credential(stored: text) }
    }

    /// The CEM's resources file: hashes and clear tokens (with a warning), a world-readable
    /// file (a warning), names that are not ids and missing credentials (errors naming them).
    @Test func resourcesFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-res-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("resources.json").path
        func write(_ text: String, mode: Int = 0o600) throws {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        let hash = Credential.hash("battery-token-0123456789")
        try write(#"{"resources": {"battery": {"asset": "f03_bat", "series": "f03_bat_kw", "tokenHash": "\#(hash)", "maxKW": 500, "aheadMinutes": 45}}}"#)
        let good = try S2Resources.read(path: path)
        #expect(good.warnings.isEmpty && good.resources["battery"]?.maxKW == 500)
        #expect(good.resources["battery"]?.aheadSeconds == 2700)
        #expect(good.resources["battery"]?.credential?.matches("battery-token-0123456789") == true)

        try write(#"{"resources": {"pump": {"asset": "f04", "series": "f04_kw", "token": "pump-token-0123456789"}}}"#, mode: 0o644)
        let clear = try S2Resources.read(path: path)
        #expect(clear.resources["pump"]?.maxKW == S2Resources.defaultMaxKW && clear.resources["pump"]?.aheadSeconds == 0)
        #expect(clear.warnings.contains { $0.contains("pump") && $0.contains("in clear") })
        #expect(clear.warnings.contains { $0.contains("every user can read it") && $0.contains("644") })

        for (text, needle) in [(#"{"resources": {"a/b": {"asset": "x", "series": "y", "token": "0123456789abcdef"}}}"#, "resources.a/b"),
                               (#"{"resources": {"pump": {"asset": "x", "series": "y"}}}"#, "needs 'tokenHash'"),
                               (#"{"resources": {"pump": {"asset": "x", "series": "y", "token": "short"}}}"#, "at least 16"),
                               (#"{"resources": {"pump": {"asset": "x", "series": "y", "tokenHash": "nope"}}}"#, "resources.pump.tokenHash"),
                               (#"{"resources": {"pump": {"asset": "x", "series": "y", "token": "0123456789abcdef", "maxKW": -1}}}"#, "maxKW"),
                               (#"{"resources": {"pump": {"asset": "x", "series": "y", "token": "0123456789abcdef", "aheadMinutes": 1441}}}"#,
                                "resources.pump.aheadMinutes")] {
            try write(text)
            #expect { _ = try S2Resources.read(path: path) } throws: { "\($0)".contains(needle) && "\($0)".contains(path) }
        }
    }

    /// Failures lock one name out after the limit, every name after the global limit; a
    /// success clears the name; lockouts double; old records make way.
    @Test func throttle() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let throttle = FailureThrottle(limit: 3, globalLimit: 5, window: 60, lockout: 10, maxNames: 3)
        for k in 0..<2 { throttle.failed("a", now: t0.addingTimeInterval(Double(k))) }
        #expect(throttle.wait("a", now: t0.addingTimeInterval(2)) == nil)
        throttle.failed("a", now: t0.addingTimeInterval(2))
        #expect(throttle.wait("a", now: t0.addingTimeInterval(3)) == 9)
        #expect(throttle.wait("b", now: t0.addingTimeInterval(3)) == nil)
        #expect(throttle.wait("a", now: t0.addingTimeInterval(12)) == nil)
        for k in 0..<3 { throttle.failed("a", now: t0.addingTimeInterval(20 + Double(k))) }
        #expect(throttle.wait("a", now: t0.addingTimeInterval(22)) == 20)   // the second lockout lasts twice as long
        throttle.succeeded("a")
        // Five failures in the window across names lock everyone out.
        for (k, name) in ["b", "c", "d", "e", "f"].enumerated() { throttle.failed(name, now: t0.addingTimeInterval(100 + Double(k))) }
        #expect(throttle.wait("z", now: t0.addingTimeInterval(105)) != nil)
        #expect(throttle.wait("z", now: t0.addingTimeInterval(200)) == nil)
    }

    /// Public or not, in every family and disguise the resolver gives.
    @Test(arguments: [("8.8.8.8", true), ("203.0.114.1", true), ("2606:4700::1111", true), ("127.0.0.1", false), ("10.0.0.1", false),
                      ("172.31.255.255", false), ("192.168.0.1", false), ("169.254.169.254", false), ("100.64.0.1", false), ("0.0.0.0", false),
                      ("224.0.0.1", false), ("192.88.99.1", false), ("::1", false), ("::", false), ("fe80::1", false), ("fd00::1", false),
                      ("fec0::1", false), ("::ffff:127.0.0.1", false), ("64:ff9b::a00:1", false), ("64:ff9b::808:808", true),
                      ("2002:a00:1::1", false), ("2002:808:808::1", true), ("2001:0:4136:e378::1", false), ("ff02::1", false)])
    func addressesArePublicOrNot(_ text: String, _ expected: Bool) throws {
        let address = try #require(CallbackPolicy.resolve(text).first, "\(text) does not parse")
        #expect(CallbackPolicy.isPublic(address) == expected, "\(text)")
    }

    /// Plain http to a public name goes to the address that was judged, the name in Host.
    @Test func plainHTTPIsPinnedToTheJudgedAddress() throws {
        guard case .success(let t) = CallbackPolicy.target("http://8.8.8.8:8080/hook?x=1", allowedHosts: []) else { Issue.record("refused"); return }
        #expect(t.url == "http://8.8.8.8:8080/hook?x=1" && t.hostHeader == "8.8.8.8:8080")
        guard case .success(let local) = CallbackPolicy.target("http://127.0.0.1:9/hook", allowedHosts: ["127.0.0.1"]) else { Issue.record("refused"); return }
        #expect(local.hostHeader == nil)
        #expect(CallbackPolicy.refusal("http://127.0.0.1:9/hook", allowedHosts: []) != nil)
    }
}
