import ArgumentParser
import DataFiles
import Foundation
import LinearProgramming

struct LPSolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve one MPS file (.mps or .mps.gz).",
        discussion: """
        Exit 0 when a verdict was reached (optimal, infeasible, unbounded), 2 on input errors, 1 otherwise. \
        A model with integer columns is an input error unless --relax-integers is given: the solver handles \
        linear programs only, and the relaxation's optimum is not the integer optimum.
        """
    )

    @Argument(help: "The MPS file.")
    var file: String
    @Flag(help: "Print one JSON object with the result instead of text.")
    var json = false
    @Option(help: "Write the primal and dual solution as CSV to this file.")
    var writeSolution: String?
    @Flag(name: .shortAndLong, help: "Print the per-iteration log (to standard error).")
    var verbose = false
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.lp", verbose: verbose)
        let settings = try solver.settings()
        let lp: LinearProgram
        let readStart = ContinuousClock.now
        do {
            lp = try MPSReader.read(path: file, options: solver.readerOptions())
        } catch let error as MPSError {
            logger.error("\(error.description)")
            throw ExitCode(2)
        }
        let readTime = (ContinuousClock.now - readStart).components
        let readSeconds = Double(readTime.seconds) + Double(readTime.attoseconds) * 1e-18
        if verbose {
            logger.info("\(lp.name): \(lp.rowCount) rows, \(lp.columnCount) columns, \(lp.matrix.nonzeros) nonzeros, read in \(String(format: "%.3f", readSeconds)) s")
            FileHandle.standardError.write(Data((iterationHeader + "\n").utf8))
        }
        let result: SolveResult
        do {
            result = try LPSolver.solve(lp, settings: settings, logger: logger, progress: verbose ? { record in
                FileHandle.standardError.write(Data((formatIteration(record) + "\n").utf8))
            } : nil)
        } catch LPModelError.integerColumns(let count, let first) {
            logger.error("\(Self.integerRefusal(file: file, count: count, first: first))")
            throw ExitCode(2)
        } catch {
            logger.error("\(file): \(error)")
            throw ExitCode(2)
        }
        if let path = writeSolution {
            try SolutionWriter.write(result, model: lp, to: path)
        }
        if json {
            print(ResultJSON.encode(result, name: lp.name.isEmpty ? fileStem(file) : lp.name, file: file, settings: settings,
                                    readSeconds: readSeconds))
        } else {
            print("status       \(result.status.rawValue)")
            if result.status == .optimal { print("objective    \(String(format: "%.12e", result.objective))") }
            if result.integralityRelaxed {
                print("integrality  relaxed: \(result.relaxedIntegerColumns) integer columns solved as continuous (LP relaxation)")
            }
            print("iterations   \(result.iterations)")
            print("seconds      \(String(format: "%.3f", result.seconds))")
            if result.status == .optimal {
                print("residuals    primal \(String(format: "%.1e", result.primalInfeasibility)), dual \(String(format: "%.1e", result.dualInfeasibility)), gap \(String(format: "%.1e", result.relativeGap))")
            }
            if let blocks = result.blockStructure { print("blocks       \(blocks.description)") }
            if !result.message.isEmpty { print("message      \(result.message)") }
        }
        if !result.status.isVerdict { throw ExitCode(1) }
    }
}

extension LPSolveCommand {
    /// The message that refuses a model with integer columns.
    static func integerRefusal(file: String, count: Int, first: String) -> String {
        "\(file): the model declares \(count) integer column\(count == 1 ? "" : "s") (first: \(Printable.escaped(first))); this solver "
            + "handles linear programs only. Pass --relax-integers to solve the LP relaxation (its objective bounds "
            + "the integer optimum; it is not the integer optimum)."
    }
}

/// File name without folder and without .mps/.gz suffixes.
func fileStem(_ path: String) -> String {
    var name = URL(fileURLWithPath: path).lastPathComponent
    for suffix in [".gz", ".bz2", ".xz", ".mps", ".MPS", ".sif", ".SIF"] where name.hasSuffix(suffix) {
        name = String(name.dropLast(suffix.count))
    }
    return name
}

enum ResultJSON {
    /// One solve as a JSON object; `readSeconds`, when given, is the time taken to read the model.
    static func encode(_ r: SolveResult, name: String, file: String, settings: SolverSettings = SolverSettings(),
                       readSeconds: Double? = nil) -> String {
        var o: [String: Any] = [
            "name": name, "file": file, "status": r.status.rawValue, "iterations": r.iterations, "seconds": r.seconds,
            "rowsAfterPresolve": r.presolvedRows, "columnsAfterPresolve": r.presolvedColumns,
            "denseColumns": r.denseColumns, "factorNonzeros": r.factorNonzeros, "kktBackend": r.kktBackend,
        ]
        if r.objective.isFinite { o["objective"] = r.objective }
        for (k, v) in ["primalInfeasibility": r.primalInfeasibility, "dualInfeasibility": r.dualInfeasibility,
                       "relativeGap": r.relativeGap] where v.isFinite { o[k] = v }
        if !r.message.isEmpty { o["message"] = r.message }
        if let l = r.linkingColumns {
            o["linkingColumns"] = [
                "rule": l.rule.rawValue, "candidates": l.candidates, "factorsAnalysed": l.setsAnalysed, "keptOut": l.keptOut,
                "smallestKeptOut": l.smallestKeptOut, "factorNonzerosWithAll": l.factorNonzerosWithAll,
                "factorNonzerosWithAllIsBound": l.factorNonzerosWithAllIsBound,
                "factorNonzerosChosen": l.factorNonzerosChosen, "predictedGain": l.predictedGain,
                "abandoned": r.linkingColumnsAbandoned, "analysisReused": l.analysisReused ?? false,
                "settings": [
                    "minimumEntries": settings.linkingColumnMinimumEntries, "gain": settings.linkingColumnGain,
                    "limit": settings.linkingColumnLimit, "memory": settings.linkingColumnMemory,
                    "denseColumnMinimum": settings.denseColumnMinimum, "denseColumnFraction": settings.denseColumnFraction,
                ] as [String: Any],
            ] as [String: Any]
        }
        if let b = r.blockStructure {
            o["blockStructure"] = [
                "source": b.source.rawValue, "blocks": b.blocks, "linkingRows": b.linkingRows,
                "linkingColumns": b.linkingColumns, "largestBlockRows": b.largestBlockRows,
                "largestBlockColumns": b.largestBlockColumns,
            ] as [String: Any]
        }
        if let readSeconds { o["readSeconds"] = readSeconds }
        o["secondLook"] = r.secondLook
        o["integralityRelaxed"] = r.integralityRelaxed
        if r.integralityRelaxed { o["integerColumns"] = r.relaxedIntegerColumns }
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

enum SolutionWriter {
    /// CSV: kind,name,value,dual — one line per column (value, reduced cost) and row (activity, dual).
    static func write(_ r: SolveResult, model: LinearProgram, to path: String) throws {
        var out = "kind,name,value,dual\n"
        if r.x.count == model.columnCount {
            for j in 0..<model.columnCount {
                out += "column,\(csv(model.columnName(j))),\(r.x[j]),\(j < r.reducedCosts.count ? r.reducedCosts[j] : .nan)\n"
            }
        }
        if r.rowDuals.count == model.rowCount {
            for i in 0..<model.rowCount {
                let act = i < r.rowActivity.count ? r.rowActivity[i] : .nan
                out += "row,\(csv(model.rowName(i))),\(act),\(r.rowDuals[i])\n"
            }
        }
        try AtomicFile.write(Data(out.utf8), to: path)
    }

    static func csv(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
