import ArgumentParser
import Foundation
import LinearProgramming

struct LPCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Solve every MPS file in a folder and compare with a reference table.",
        discussion: """
        The reference (--reference, default: the folder's optimal_recommended.csv, optimal.csv or \
        expected.csv) has a `name` column and either `optimal_objective` (pass: optimal with \
        |obj − ref| / max(1, |ref|) ≤ --rel-tol) or `expected_status` (pass: that status). A row whose \
        `source` says it excludes the objective constant is compared without it. The last line reads \
        `N passed, M failed`; the exit code is 1 when any failed.
        """
    )

    @Argument(help: "Folder with .mps / .mps.gz files.")
    var directory: String
    @Option(help: "Reference CSV.")
    var reference: String?
    @Option(parsing: .unconditional, help: "Relative objective tolerance for a pass.")
    var relTol: Double = 1e-6
    @Option(help: "Only these problems (comma-separated names).")
    var only: String?
    @Flag(help: "Print one JSON object per problem instead of the table.")
    var json = false
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.lp.check")
        let settings = try solver.settings()
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else {
            logger.error("\(directory): cannot read folder")
            throw ExitCode(2)
        }
        var files = entries.filter { $0.hasSuffix(".mps") || $0.hasSuffix(".mps.gz") || $0.hasSuffix(".MPS") }.sorted()
        if let only {
            let wanted = Set(only.split(separator: ",").map(String.init))
            files = files.filter { wanted.contains(fileStem($0)) }
        }
        let ref = try ReferenceTable.load(reference ?? ReferenceTable.defaultPath(in: directory))
        var passed = 0, failed = 0
        if !json {
            print("name          status             objective            reference            rel.err   iter   seconds  result")
        }
        for f in files {
            let path = (directory as NSString).appendingPathComponent(f)
            let name = fileStem(f)
            let expected = ref?.entries[name]
            var status = "read_error", objective = Double.nan, iterations = 0, seconds = 0.0
            var relErr = Double.nan, ok = false
            do {
                let lp = try MPSReader.read(path: path, options: solver.readerOptions())
                let r = try LPSolver.solve(lp, settings: settings)
                status = r.status.rawValue
                objective = r.objective
                iterations = r.iterations
                seconds = r.seconds
                switch expected {
                case .objective(let value, let excludesConstant):
                    let obj = excludesConstant ? objective - lp.objectiveOffset : objective
                    relErr = abs(obj - value) / max(1, abs(value))
                    ok = r.status == .optimal && relErr <= relTol
                case .status(let s):
                    ok = status == s
                case nil:
                    ok = r.status.isVerdict
                }
            } catch LPModelError.integerColumns(let count, let first) {
                status = "integer_columns"
                logger.error("\(LPSolveCommand.integerRefusal(file: path, count: count, first: first))")
            } catch {
                logger.error("\(path): \(error)")
            }
            if ok { passed += 1 } else { failed += 1 }
            if json {
                var o: [String: Any] = ["name": name, "status": status, "iterations": iterations, "seconds": seconds,
                                        "pass": ok]
                if objective.isFinite { o["objective"] = objective }
                if relErr.isFinite { o["relError"] = relErr }
                let data = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                let refText: String
                switch expected {
                case .objective(let v, _): refText = String(format: "%.10e", v)
                case .status(let s): refText = s
                case nil: refText = "-"
                }
                let line = name.padding(toLength: 13, withPad: " ", startingAt: 0)
                    + " " + status.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + " " + (objective.isFinite ? String(format: "%+.12e", objective) : "-".padding(toLength: 19, withPad: " ", startingAt: 0))
                    + "  " + refText.padding(toLength: 19, withPad: " ", startingAt: 0)
                    + "  " + (relErr.isFinite ? String(format: "%.1e", relErr) : "   -   ")
                    + "  " + String(format: "%4d", iterations) + "  " + String(format: "%8.3f", seconds)
                    + "  " + (ok ? "pass" : "FAIL")
                print(line)
            }
            fflush(nil)
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

/// The reference table of `lp check`.
struct ReferenceTable {
    enum Expected {
        case objective(Double, excludesConstant: Bool)
        case status(String)
    }

    var entries: [String: Expected] = [:]

    static func defaultPath(in directory: String) -> String? {
        for f in ["optimal_recommended.csv", "optimal.csv", "expected.csv"] {
            let p = (directory as NSString).appendingPathComponent(f)
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return nil
    }

    static func load(_ path: String?) throws -> ReferenceTable? {
        guard let path else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read reference table \(path)")
        }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw ValidationError("\(path): empty reference table") }
        let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let nameCol = header.firstIndex(of: "name") else { throw ValidationError("\(path): no 'name' column") }
        let objCol = header.firstIndex(of: "optimal_objective")
        let statusCol = header.firstIndex(of: "expected_status")
        let sourceCol = header.firstIndex(of: "source")
        guard objCol != nil || statusCol != nil else {
            throw ValidationError("\(path): needs an 'optimal_objective' or 'expected_status' column")
        }
        var table = ReferenceTable()
        for (k, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else { throw ValidationError("\(path):\(k + 2): expected \(header.count) fields") }
            if let objCol {
                guard let v = Double(f[objCol]) else { throw ValidationError("\(path):\(k + 2): bad number '\(f[objCol])'") }
                let excludes = sourceCol.map { f[$0].contains("excludes objective constant") } ?? false
                table.entries[f[nameCol]] = .objective(v, excludesConstant: excludes)
            } else if let statusCol {
                table.entries[f[nameCol]] = .status(f[statusCol])
            }
        }
        return table
    }
}
