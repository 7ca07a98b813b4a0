import Foundation
import LinearAlgebra
import Logging

/// The solver's front door: presolve → scaling → standard form → homogeneous
/// interior point → unscaling → postsolve, with the solution and its residuals
/// expressed in terms of the original model.
public enum LPSolver {
    /// Solves `lp`. Throws for an inconsistent model, invalid settings, or integer columns
    /// without ``SolverSettings/relaxIntegers`` (``LPModelError/integerColumns(count:first:)``);
    /// every mathematical outcome is a `SolveStatus` in the result.
    public static func solve(_ lp: LinearProgram, settings: SolverSettings = SolverSettings(),
                             logger: Logger? = nil,
                             progress: ((IterationRecord) -> Void)? = nil) throws -> SolveResult {
        try solve(lp, settings: settings, logger: logger, progress: progress, kkt: nil, checkInfeasibility: true)
    }

    /// Makes the KKT backend for the scaled standard form's matrix A (m rows, n columns
    /// with the slacks) and the solve's settings.
    public typealias KKTFactory = (_ a: SparseMatrix, _ settings: SolverSettings) throws -> any KKTSolver

    /// Solves `lp` with the KKT backend `kkt` makes instead of the solver's own
    /// (``SolverSettings/kktBackend``): the whole pipeline — presolve, scaling, the
    /// homogeneous interior point, postsolve — around a researcher's linear algebra. The
    /// elastic problem of the second look (`FarkasCheck`) uses the solver's own backend.
    public static func solve(_ lp: LinearProgram, settings: SolverSettings = SolverSettings(), logger: Logger? = nil,
                             progress: ((IterationRecord) -> Void)? = nil, kkt: @escaping KKTFactory) throws -> SolveResult {
        try solve(lp, settings: settings, logger: logger, progress: progress, kkt: kkt, checkInfeasibility: true)
    }

    /// `checkInfeasibility`: give a point feasible only within the last decade of the
    /// primal tolerance a second look for a Farkas certificate (`FarkasCheck`).
    static func solve(_ lp: LinearProgram, settings: SolverSettings, logger: Logger? = nil,
                      progress: ((IterationRecord) -> Void)? = nil, kkt factory: KKTFactory? = nil,
                      checkInfeasibility: Bool) throws -> SolveResult {
        try lp.validate()
        try settings.validate()
        let integers = lp.integerColumnCount
        if integers > 0 && !settings.relaxIntegers {
            let first = lp.integrality.firstIndex(of: true) ?? 0
            throw LPModelError.integerColumns(count: integers, first: lp.columnName(first))
        }
        let start = monotonicSeconds()
        var progress = progress
        if progress == nil, settings.verbose, let logger {
            progress = { r in
                logger.info("iter \(r.iteration) pobj \(r.primalObjective) dobj \(r.dualObjective) pinf \(r.primalInfeasibility) dinf \(r.dualInfeasibility) mu \(r.mu) step \(r.stepPrimal)")
            }
        }
        BLASThreads.set(settings.threads)
        // Work on a minimisation; the log shows the objective in the model's own sense.
        var model = lp
        model.integrality = []
        if lp.sense == .maximize {
            if let inner = progress {
                progress = { r in
                    var shown = r
                    shown.primalObjective = -r.primalObjective
                    shown.dualObjective = -r.dualObjective
                    inner(shown)
                }
            }
            model.objective = lp.objective.map { -$0 }
            model.objectiveOffset = -lp.objectiveOffset
            model.sense = .minimize
        }
        var result: SolveResult
        let presolved = settings.presolve ? Presolve.run(model) : Presolve.identity(model)
        let stack = presolved.stack
        // The presolved model is handed over whole, so that solveReduced can release it
        // once its standard form is built: nothing here holds it during the iterations
        // (with presolve off it shares the model's arrays, which stay).
        var outcome = (consume presolved).outcome
        switch outcome {
        case .infeasible(let why):
            result = SolveResult.empty(.infeasible, message: why)
        case .unbounded(let why):
            result = SolveResult.empty(.unbounded, message: why)
        case .reduced(let reduced):
            outcome = .unbounded("")   // drops the enum's reference; never read again
            logger?.debug("presolve: \(model.rowCount)×\(model.columnCount) → \(reduced.rowCount)×\(reduced.columnCount)")
            var inner = try solveReduced(consume reduced, settings: settings, start: start, logger: logger, progress: progress, kkt: factory)
            if inner.status == .optimal || !inner.x.isEmpty {
                let full = stack.postsolve(x: inner.x, y: inner.rowDuals, z: inner.reducedCosts, original: model)
                inner.x = full.x
                inner.rowDuals = full.y
                inner.reducedCosts = full.z
            }
            result = inner
        }
        if result.status == .unbounded && model.objective.contains(where: { $0 != 0 }) {
            // A primal ray proves dual infeasibility; the objective is unbounded only if
            // the primal is feasible too. Decide with the pure feasibility problem.
            var feasibility = model
            feasibility.objective = [Double](repeating: 0, count: model.columnCount)
            var remaining = settings
            remaining.timeLimit = max(settings.timeLimit - (monotonicSeconds() - start), 1e-3)
            let check = try solve(feasibility, settings: remaining, logger: logger, progress: nil, kkt: factory,
                                  checkInfeasibility: checkInfeasibility)
            if check.status == .infeasible {
                result.status = .infeasible
                result.message = "primal infeasible (and dual infeasible)"
            } else if check.status != .optimal {
                result.message = "dual infeasible; primal feasibility not confirmed (\(check.status.rawValue))"
            }
        }
        if result.status == .optimal {
            // The interior point meets the bounds only to its tolerance; the point returned
            // meets them exactly, and the residuals and objective reported are its own.
            func onBounds(_ x: [Double]) -> [Double] {
                (0..<x.count).map { min(max(x[$0], model.columnLower[$0]), model.columnUpper[$0]) }
            }
            result.x = onBounds(result.x)
            Residuals.fill(&result, model: model)
            if result.primalInfeasibility > 0.1 * settings.primalTolerance, let corrected = result.correctedX {
                // The bounded-primal correction (BoundedPrimal.swift), taken when it meets the
                // rows well inside the tolerance on the model itself and keeps the gap.
                var candidate = result
                candidate.x = onBounds(stack.primal(corrected, original: model))
                Residuals.fill(&candidate, model: model)
                if candidate.primalInfeasibility <= 0.1 * settings.primalTolerance,
                   candidate.relativeGap <= max(settings.gapTolerance, result.relativeGap) {
                    result = candidate
                }
            }
            result.correctedX = nil
        }
        let nearEdge = result.status == .optimal && result.primalInfeasibility > 0.1 * settings.primalTolerance
        let noVerdict = result.status == .numericalError || result.status == .iterationLimit
        var certified = false
        if checkInfeasibility, nearEdge || noVerdict {
            result.secondLook = true
            logger?.debug("looking for a Farkas certificate: \(result.status.rawValue), relative primal infeasibility \(result.primalInfeasibility)")
            var inner = settings
            inner.timeLimit = max(settings.timeLimit - (monotonicSeconds() - start), 1e-3)
            if let proof = try FarkasCheck.search(model, settings: inner) {
                logger?.info("\(result.status == .optimal ? "the point found misses the rows by \(result.primalInfeasibility) (relative)" : "no verdict (\(result.message))"); a Farkas certificate proves no point meets them (margin \(proof.margin), rounding bound \(proof.errorBound))")
                let kept = result
                result = SolveResult.empty(.infeasible, message: "primal infeasible: Farkas certificate with margin \(proof.margin) (rounding error at most \(proof.errorBound)); the least total row violation is about \(proof.elasticViolation)")
                result.iterations = kept.iterations
                result.presolvedRows = kept.presolvedRows
                result.presolvedColumns = kept.presolvedColumns
                result.denseColumns = kept.denseColumns
                result.factorNonzeros = kept.factorNonzeros
                result.linkingColumns = kept.linkingColumns
                result.linkingColumnsAbandoned = kept.linkingColumnsAbandoned
                result.blockStructure = kept.blockStructure
                result.secondLook = true
                result.rowDuals = proof.y
                certified = true
            }
        }
        if lp.sense == .maximize {
            result.objective = -result.objective
            // A certificate concerns the rows only and keeps its sign.
            if !certified { result.rowDuals = result.rowDuals.map { -$0 } }
            result.reducedCosts = result.reducedCosts.map { -$0 }
        }
        result.integralityRelaxed = integers > 0
        result.relaxedIntegerColumns = integers
        result.seconds = monotonicSeconds() - start
        return result
    }

    static func makeKKT(_ backend: KKTBackend, _ a: SparseMatrix, settings: SolverSettings,
                        rule: LinkingColumnRule) throws -> KKTSolver {
        switch backend {
        case .normalEquations: return try NormalEquationsKKT(a, settings: settings, rule: rule)
        }
    }

    /// Scales, solves and unscales a presolved (minimisation) model.
    static func solveReduced(_ lp: consuming LinearProgram, settings: SolverSettings, start: Double, logger: Logger? = nil,
                             progress: ((IterationRecord) -> Void)?, kkt factory: KKTFactory? = nil) throws -> SolveResult {
        let m = lp.rowCount, n = lp.columnCount
        if n == 0 {
            // Nothing left: every row must hold at zero activity.
            for i in 0..<m where lp.rowLower[i] > 1e-9 || lp.rowUpper[i] < -1e-9 {
                return SolveResult.empty(.infeasible, message: "row \(lp.rowName(i)) cannot be satisfied")
            }
            var r = SolveResult.empty(.optimal)
            r.x = []
            r.rowDuals = [Double](repeating: 0, count: m)
            r.reducedCosts = []
            return r
        }
        var scaling = settings.scaling ? Scaling.compute(lp.matrix) : Scaling.identity(rows: m, columns: n)
        if settings.scaling { scaling.normalize(scaling.applyMatrixScaling(lp)) }
        let blocks = lp.blocks ?? (settings.detectBlocks ? BlockStructure.detect(lp.matrix) : nil)
        if let blocks { logger?.debug("block structure: \(blocks.summary.description)") }
        // The scaled model is a temporary: only its standard form lives on.
        var standard = try StandardForm(scaling.apply(lp), blocks: blocks)
        standard.setFactors(scaling)
        // The iterates' objectives are those of the scaled standard form: the log shows
        // them in the presolved model's units, with the constant presolve moved out of the
        // columns (and the model's own objective constant) added back.
        let offset = lp.objectiveOffset, unit = scaling.cost * scaling.bound
        // From here on only the standard form is needed: the presolved model's matrix,
        // bounds and names are released before the iterations.
        _ = consume lp
        let progress = progress.map { inner in
            { (r: IterationRecord) in
                var shown = r
                shown.primalObjective = r.primalObjective * unit + offset
                shown.dualObjective = r.dualObjective * unit + offset
                inner(shown)
            }
        }
        var kkt: KKTSolver
        var retriedReport: LinkingColumnReport?
        do {
            kkt = try factory?(standard.a, settings)
                ?? makeKKT(settings.kktBackend, standard.a, settings: settings, rule: settings.linkingColumns)
        } catch {
            return SolveResult.empty(.numericalError, message: "symbolic analysis failed: \(error)")
        }
        logger?.debug("KKT backend \(kkt.info.backend)\(kkt.info.linking.map { ": \($0.summary(settings))" } ?? "")")
        var ipm = HomogeneousIPM(standard, settings: settings, kkt: kkt)
        var outcome = ipm.run(start: start, progress: progress)
        if (outcome.status == .numericalError || outcome.status == .iterationLimit) && kkt.info.keptOutColumns > 0 && factory == nil,
           let first = kkt.info.linking {
            // The Schur complement can lose accuracy when the sparse part is nearly
            // singular; start again with every column in the sparse factor.
            kkt = try makeKKT(settings.kktBackend, standard.a, settings: settings, rule: .off)
            retriedReport = first
            logger?.info("the solve with \(first.keptOut) linking columns kept out of the factor ended \(outcome.status.rawValue) (\(outcome.message)); solving again with every column in the factor")
            let firstIterations = outcome.iterations
            ipm = HomogeneousIPM(standard, settings: settings, kkt: kkt)
            outcome = ipm.run(start: start, progress: progress)
            outcome.iterations += firstIterations
        }
        var result = SolveResult.empty(outcome.status, message: outcome.message)
        result.iterations = outcome.iterations
        result.presolvedRows = m
        result.presolvedColumns = n
        result.kktBackend = kkt.info.backend
        result.denseColumns = kkt.info.keptOutColumns
        result.factorNonzeros = kkt.info.factorNonzeros
        result.linkingColumns = retriedReport ?? kkt.info.linking
        result.linkingColumnsAbandoned = retriedReport != nil
        result.blockStructure = blocks?.summary
        guard outcome.status == .optimal || outcome.status == .iterationLimit || outcome.status == .timeLimit else {
            return result
        }
        let p = outcome.point
        var x = (0..<n).map { p.x[$0] / p.tau }
        var y = p.y.map { $0 / p.tau }
        var z = (0..<n).map { (p.zl[$0] - p.zu[$0]) / p.tau }
        if outcome.status == .optimal, var corrected = ipm.boundedPrimal().map({ Array($0.prefix(n)) }) {
            scaling.unscale(x: &corrected)
            result.correctedX = corrected
        }
        scaling.unscale(x: &x, y: &y, z: &z)
        result.x = x
        result.rowDuals = y
        result.reducedCosts = z
        return result
    }
}
