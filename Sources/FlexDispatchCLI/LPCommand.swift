import ArgumentParser
import LinearProgramming

struct LPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lp",
        abstract: "Solve and check linear programs in MPS format with FlexDispatch's interior-point solver.",
        subcommands: [LPSolveCommand.self, LPCheckCommand.self]
    )
}

/// Solver settings shared by the LP commands.
struct SolverOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Relative primal/dual feasibility and gap tolerance.")
    var tolerance: Double = 1e-8
    @Option(parsing: .unconditional, help: "Maximum interior-point iterations.")
    var maxIterations: Int = 200
    @Option(parsing: .unconditional, help: "Time limit in seconds (per problem).")
    var timeLimit: Double?
    @Option(parsing: .unconditional, help: "Threads for BLAS and CHOLMOD.")
    var threads: Int = 1
    @Flag(help: "Turn presolve off.")
    var noPresolve = false
    @Flag(help: "Turn scaling off.")
    var noScaling = false
    @Option(parsing: .unconditional, help: "Maximum Gondzio correctors per iteration.")
    var correctors: Int = 2
    @Option(help: "How linking columns are kept out of the sparse factor: fill (by the fill they cause), count (more entries than max(--dense-column-minimum, --dense-column-fraction × rows)) or off.")
    var linkingColumns: String = "fill"
    @Option(parsing: .unconditional, help: "fill rule: a candidate has at least this many entries (and four times the median column's).")
    var linkingMinEntries: Int = 16
    @Option(parsing: .unconditional, help: "fill rule: keep candidates out only when that is predicted to make an iteration at least this many times cheaper.")
    var linkingGain: Double = 1.5
    @Option(parsing: .unconditional, help: "At most this many columns are kept out of the sparse factor.")
    var linkingLimit: Int = 500
    @Option(parsing: .unconditional, help: "count rule: the minimum number of entries of a kept-out column.")
    var denseColumnMinimum: Int = 100
    @Option(parsing: .unconditional, help: "count rule: the fraction of the rows a kept-out column has entries in.")
    var denseColumnFraction: Double = 0.1
    @Option(help: "MPS format: auto, fixed or free.")
    var mpsFormat: String = "auto"
    @Flag(help: "Solve the LP relaxation of a model with integer columns (MARKER blocks, BV/LI/UI bounds) instead of refusing it; the result is flagged as relaxed.")
    var relaxIntegers = false
    @Flag(help: "Look for a block-angular structure (blocks tied by a few linking rows and columns) in a model without block labels, and report it.")
    var detectBlocks = false

    func settings() throws -> SolverSettings {
        var s = SolverSettings()
        s.primalTolerance = tolerance
        s.dualTolerance = tolerance
        s.gapTolerance = tolerance
        s.maxIterations = maxIterations
        s.timeLimit = timeLimit ?? .infinity
        s.threads = threads
        s.presolve = !noPresolve
        s.scaling = !noScaling
        s.maxCorrectors = correctors
        guard let rule = LinkingColumnRule(rawValue: linkingColumns) else {
            throw ValidationError("--linking-columns must be one of fill, count, off")
        }
        s.linkingColumns = rule
        s.linkingColumnMinimumEntries = linkingMinEntries
        s.linkingColumnGain = linkingGain
        s.linkingColumnLimit = linkingLimit
        s.denseColumnMinimum = denseColumnMinimum
        s.denseColumnFraction = denseColumnFraction
        s.relaxIntegers = relaxIntegers
        s.detectBlocks = detectBlocks
        do { try s.validate() } catch { throw ValidationError("\(error)") }
        return s
    }

    func readerOptions() throws -> MPSReader.Options {
        guard let f = MPSReader.Format(rawValue: mpsFormat) else {
            throw ValidationError("--mps-format must be one of auto, fixed, free")
        }
        return MPSReader.Options(format: f)
    }
}

/// Formats one iteration of the interior-point log.
func formatIteration(_ r: IterationRecord) -> String {
    func e(_ v: Double) -> String { String(format: "%+.8e", v) }
    func s(_ v: Double) -> String { String(format: "%.1e", v) }
    return String(format: "%4d", r.iteration) + "  " + e(r.primalObjective) + "  " + e(r.dualObjective) + "  "
        + s(r.primalInfeasibility) + "  " + s(r.dualInfeasibility) + "  " + s(r.mu) + "  "
        + String(format: "%.3f", r.stepPrimal) + "  " + String(format: "%6.2fs", r.seconds)
}

let iterationHeader = "iter  primal objective  dual objective   p.inf    d.inf    mu       step   time"
