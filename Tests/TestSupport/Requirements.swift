import Foundation
import Testing

/// Something a suite or test needs beyond the package: `../shared`, or a peer program or
/// service that `scripts/test.sh` provides. Suites declare theirs with `.requires`; one that
/// lacks any is skipped and prints one line on standard error, `SKIP <name>: <reasons>`,
/// which `scripts/test.sh` counts (and in CI, where everything is provided, fails on).
public struct Requirement: Sendable {
    /// What is needed, e.g. "s2-python in FLEXDISPATCH_TEST_S2_PYTHON".
    public let what: String
    /// How to provide it, e.g. "scripts/test.sh sets it up".
    public let hint: String
    let isMet: @Sendable () -> Bool

    public init(_ what: String, hint: String, isMet: @escaping @Sendable () -> Bool) {
        self.what = what
        self.hint = hint
        self.isMet = isMet
    }

    /// "missing: <what> (<hint>)".
    public var reason: String { "missing: \(what) (\(hint))" }

    /// `../shared` (or `$FLEXDISPATCH_SHARED`), for `what` (e.g. "Netlib LP sets").
    public static func shared(_ what: String) -> Requirement {
        Requirement("../shared (\(what))", hint: "set FLEXDISPATCH_SHARED or check out shared/ beside the repository") {
            SharedData.available
        }
    }

    public static let sunSpecPeer = Requirement("pymodbus and pysunspec2 in FLEXDISPATCH_TEST_PYTHON", hint: "scripts/test.sh sets them up") {
        SunSpecPeer.available
    }

    public static let mqttPeer = Requirement("Mosquitto and paho-mqtt in FLEXDISPATCH_TEST_PYTHON", hint: "scripts/test.sh sets them up") {
        FileManager.default.isExecutableFile(atPath: Broker.binary) && Paho.python != nil
    }

    public static let s2Peer = Requirement("s2-python in FLEXDISPATCH_TEST_S2_PYTHON", hint: "scripts/test.sh sets it up") {
        S2Peer.python != nil
    }

    public static let openADRPeer = Requirement("openadr3-client in FLEXDISPATCH_TEST_OPENADR_PYTHON", hint: "scripts/test.sh sets it up") {
        OpenADRPeer.python != nil
    }

    public static let jsonSchema = Requirement("python3 with jsonschema (PyPI)", hint: "scripts/test.sh installs it") {
        (try? Broker.shell("python3 -c 'import jsonschema'")) != nil
    }

    public static let openssl = Requirement("/usr/bin/openssl", hint: "Debian's openssl") {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
    }
}

/// The skips of this test process, each printed once.
public enum SkipLog {
    private static let printed = NSLock()
    nonisolated(unsafe) private static var names: Set<String> = []

    /// Prints `SKIP <name>: <reasons>` on standard error (once per name).
    public static func report(_ name: String, _ reasons: [String]) {
        let first = printed.withLock { names.insert(name).inserted }
        guard first else { return }
        FileHandle.standardError.write(Data("SKIP \(name): \(reasons.joined(separator: "; "))\n".utf8))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite or test named `name` only when every requirement is met; otherwise it
    /// is skipped and `SkipLog` prints the reasons of the unmet ones.
    public static func requires(_ name: String, _ requirements: Requirement...,
                                sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        .enabled(Comment(rawValue: "needs " + requirements.map(\.what).joined(separator: ", ")), sourceLocation: sourceLocation) {
            let unmet = requirements.filter { !$0.isMet() }
            if !unmet.isEmpty { SkipLog.report(name, unmet.map(\.reason)) }
            return unmet.isEmpty
        }
    }
}
