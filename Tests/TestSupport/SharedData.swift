import Foundation
@_exported import struct LinearAlgebra.SplitMix64

/// Locates the read-only shared material (`../shared` beside the repository, or
/// `$FLEXDISPATCH_SHARED`). Tests that need it declare `.requires(name, .shared(what))`
/// and are skipped with a `SKIP` line when it is absent; nothing from it is ever copied
/// into the project.
public enum SharedData {
    public static let root: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["FLEXDISPATCH_SHARED"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        let candidate = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return fm.fileExists(atPath: candidate.appendingPathComponent("lp").path) ? candidate : nil
    }()

    public static var available: Bool { root != nil }

    /// The repository root (two levels above this file's folder).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func netlib(_ name: String) -> String {
        root!.appendingPathComponent("lp/netlib/\(name).mps.gz").path
    }

    public static func infeasible(_ name: String) -> String {
        root!.appendingPathComponent("lp/netlib-infeasible/\(name).mps.gz").path
    }

    /// `optimal_recommended.csv` as name → (objective, excludes objective constant).
    public static func netlibOptima() -> [String: (value: Double, excludesConstant: Bool)] {
        guard let root, let text = try? String(contentsOf: root.appendingPathComponent("lp/netlib/optimal_recommended.csv"),
                                                encoding: .utf8) else { return [:] }
        var out: [String: (Double, Bool)] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            if f.count >= 3, let v = Double(f[1]) { out[f[0]] = (v, f[2].contains("excludes objective constant")) }
        }
        return out
    }
}

/// |a − b| / max(1, |b|).
public func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(1, abs(b)) }

/// The seedable generator of the park generator, reused for reproducible property tests.
public typealias SeededGenerator = SplitMix64
