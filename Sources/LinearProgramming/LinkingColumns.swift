import Foundation
import LinearAlgebra

/// How the normal-equations backend finds the columns it keeps out of its sparse factor.
///
/// A column with entries in many rows — a capacity variable with an entry in every
/// snapshot's limit row, a park's peak variable — makes those rows a clique of A Θ Aᵀ
/// and ties every block of the factor together. Such linking columns are kept out of the
/// sparse Cholesky factor and brought back through a small dense Schur complement
/// (see `NormalEquationsKKT`).
public enum LinkingColumnRule: String, Sendable, Codable, CaseIterable {
    /// By what they cost the factor: candidate sets of the columns with the most entries
    /// are tried in CHOLMOD's symbolic analysis, and the set whose predicted work per
    /// iteration (factorisation, solves and the dense part) is least is kept out, when it
    /// saves at least the factor ``SolverSettings/linkingColumnGain``.
    case fill
    /// By count: every column with more than max(``SolverSettings/denseColumnMinimum``,
    /// ``SolverSettings/denseColumnFraction`` × rows) entries, when the full factor's
    /// predicted nonzeros exceed both four times those without them and 2e6.
    case count
    /// Every column stays in the sparse factor.
    case off
}

/// What the linking-column detection considered and chose, for the log and `--json`.
public struct LinkingColumnReport: Sendable, Equatable, Codable {
    public var rule: LinkingColumnRule
    /// Columns with enough entries to be considered.
    public var candidates: Int
    /// Symbolic analyses made (the full factor's included; a set kept out after being judged
    /// on the full factor's ordering is analysed twice).
    public var setsAnalysed: Int
    /// Columns kept out of the sparse factor.
    public var keptOut: Int
    /// Fewest entries of a kept-out column (0 when none is kept out).
    public var smallestKeptOut: Int
    /// Nonzeros of the factor with every column in it, as the symbolic analysis predicts
    /// (or, when `factorNonzerosWithAllIsBound`, the lower bound that made the analysis
    /// unnecessary: the clique of the largest column).
    public var factorNonzerosWithAll: Double
    public var factorNonzerosWithAllIsBound = false
    /// Nonzeros of the factor chosen.
    public var factorNonzerosChosen: Double
    /// Predicted work per iteration (flops) with every column in the factor, over the
    /// chosen arrangement's (1 when nothing is kept out).
    public var predictedGain: Double
    /// The choice and the factor's ordering were those of an earlier solve of an LP with
    /// the same pattern and settings, reused without analysing again (the other fields
    /// are that solve's).
    public var analysisReused: Bool? = nil

    /// One line for the log: the rule and its settings, what was found and what it saves.
    public func summary(_ settings: SolverSettings) -> String {
        let ruleText: String
        switch rule {
        case .fill:
            ruleText = "fill rule (candidates ≥ \(settings.linkingColumnMinimumEntries) entries and 4× the median, gain ≥ \(settings.linkingColumnGain), at most \(settings.linkingColumnLimit))"
        case .count:
            ruleText = "count rule (more than max(\(settings.denseColumnMinimum), \(settings.denseColumnFraction) × rows) entries)"
        case .off:
            ruleText = "off"
        }
        func m(_ v: Double) -> String { v >= 1e6 ? String(format: "%.1fM", v / 1e6) : String(format: "%.0f", v) }
        var text = "linking columns, \(ruleText): \(candidates) candidate\(candidates == 1 ? "" : "s"), \(setsAnalysed) factor\(setsAnalysed == 1 ? "" : "s") analysed"
        if analysisReused == true { text += " (analysis of an earlier solve with the same pattern, reused)" }
        if keptOut > 0 {
            text += "; \(keptOut) kept out (each ≥ \(smallestKeptOut) entries), factor nonzeros \(factorNonzerosWithAllIsBound ? "≥ " : "")\(m(factorNonzerosWithAll)) → \(m(factorNonzerosChosen)), predicted \(factorNonzerosWithAllIsBound ? "≥ " : "")\(String(format: "%.1f", predictedGain))× less work per iteration"
        } else {
            text += "; none kept out, factor nonzeros \(m(factorNonzerosChosen))"
        }
        return text
    }

    static func none(_ rule: LinkingColumnRule) -> LinkingColumnReport {
        LinkingColumnReport(rule: rule, candidates: 0, setsAnalysed: 0, keptOut: 0, smallestKeptOut: 0,
                            factorNonzerosWithAll: 0, factorNonzerosChosen: 0, predictedGain: 1)
    }
}

/// The detection itself: the columns kept out and the sparse factor's analysis.
struct LinkingColumnChoice {
    var columns: [Int]
    var cholesky: SparseNormalCholesky
    var report: LinkingColumnReport

    /// Normal-equation solves per interior-point iteration (predictor, correctors,
    /// refinement), used to weigh solves against factorisations.
    static let solvesPerIteration = 8.0

    /// Predicted flops of one iteration with `k` columns (`keptEntries` entries in all)
    /// kept out of a factor with `nonzeros` entries costing `flops` to factorise.
    static func work(flops: Double, nonzeros: Double, kept k: Int, keptEntries: Int = 0) -> Double {
        let k = Double(k), e = Double(keptEntries)
        if k == 0 { return flops + solvesPerIteration * 4 * nonzeros }
        // M⁻¹A_K (k solves), S = Θ_K⁻¹ + A_Kᵀ M⁻¹ A_K (k·e/2), its Cholesky (k³/3); each
        // solve is two sparse solves plus the kept columns and S's triangles.
        return flops + k * 4 * nonzeros + k * e / 2 + k * k * k / 3 + solvesPerIteration * (8 * nonzeros + 2 * e + 2 * k * k)
    }

    static func entries(_ columns: [Int], _ a: SparseMatrix) -> Int { columns.reduce(0) { $0 + a.count(ofColumn: $1) } }

    /// The choice for `a` under `rule`: taken from `AnalysisCache` when a recent solve had
    /// the same pattern and settings (the report then says `analysisReused`), made and
    /// stored otherwise.
    static func choose(_ a: SparseMatrix, settings: SolverSettings, rule: LinkingColumnRule) throws -> LinkingColumnChoice {
        let key = AnalysisCache.settingsKey(settings, rule: rule)
        if let known = AnalysisCache.current.lookup(a, settings: key) {
            let columns = known.keptOut.isEmpty ? nil : complement(of: known.keptOut, in: a.columns)
            let cholesky = try SparseNormalCholesky(a, columns: columns, ordering: known.ordering)
            var report = known.report
            report.analysisReused = true
            return LinkingColumnChoice(columns: known.keptOut, cholesky: cholesky, report: report)
        }
        let choice = try chooseAfresh(a, settings: settings, rule: rule)
        AnalysisCache.current.store(a, settings: key, analysis: AnalysisCache.Analysis(
            keptOut: choice.columns, ordering: choice.cholesky.ordering, report: choice.report))
        return choice
    }

    static func chooseAfresh(_ a: SparseMatrix, settings: SolverSettings, rule: LinkingColumnRule) throws -> LinkingColumnChoice {
        switch rule {
        case .off:
            return try allInFactor(a, report: .none(.off))
        case .count:
            return try byCount(a, settings: settings)
        case .fill:
            return try byFill(a, settings: settings)
        }
    }

    /// The given columns kept out, whatever they cost (for tests of the kept-out path).
    static func given(_ columns: [Int], in a: SparseMatrix) throws -> LinkingColumnChoice {
        let partial = try SparseNormalCholesky(a, columns: complement(of: columns, in: a.columns))
        var report = LinkingColumnReport.none(.fill)
        report.candidates = columns.count
        return keptOut(columns, a, cholesky: partial, report: report, gain: 1)
    }

    /// Every column in the factor: the full analysis, recorded as both the factor with all
    /// columns and the factor chosen.
    static func allInFactor(_ a: SparseMatrix, report: LinkingColumnReport) throws -> LinkingColumnChoice {
        let full = try SparseNormalCholesky(a)
        var report = report
        report.setsAnalysed += 1
        report.factorNonzerosWithAll = full.analysisNonzeros
        return inFactor(full, report: report)
    }

    /// No column kept out, with the factor `cholesky`.
    static func inFactor(_ cholesky: SparseNormalCholesky, report: LinkingColumnReport) -> LinkingColumnChoice {
        var report = report
        report.factorNonzerosChosen = cholesky.analysisNonzeros
        return LinkingColumnChoice(columns: [], cholesky: cholesky, report: report)
    }

    /// `columns` kept out of the factor `cholesky`, with the predicted gain.
    static func keptOut(_ columns: [Int], _ a: SparseMatrix, cholesky: SparseNormalCholesky,
                        report: LinkingColumnReport, gain: Double) -> LinkingColumnChoice {
        var report = report
        report.keptOut = columns.count
        report.smallestKeptOut = columns.map { a.count(ofColumn: $0) }.min() ?? 0
        report.factorNonzerosChosen = cholesky.analysisNonzeros
        report.predictedGain = gain
        return LinkingColumnChoice(columns: columns.sorted(), cholesky: cholesky, report: report)
    }

    /// The fixed-count rule.
    static func byCount(_ a: SparseMatrix, settings: SolverSettings) throws -> LinkingColumnChoice {
        let threshold = max(settings.denseColumnMinimum, Int(min(settings.denseColumnFraction, 1) * Double(a.rows)))
        var dense: [Int] = []
        for j in 0..<a.columns where a.count(ofColumn: j) > threshold { dense.append(j) }
        if !admissible(dense, a, settings: settings) { dense = [] }
        var report = LinkingColumnReport.none(.count)
        report.candidates = dense.count
        let all = try allInFactor(a, report: report)
        guard !dense.isEmpty else { return all }
        let full = all.cholesky
        let partial = try SparseNormalCholesky(a, columns: complement(of: dense, in: a.columns))
        report = all.report
        report.setsAnalysed += 1
        guard full.analysisNonzeros > max(4 * partial.analysisNonzeros, 2e6) else { return inFactor(full, report: report) }
        let gain = work(of: full, keeping: [], in: a)
            / work(of: partial, keeping: dense, in: a)
        return keptOut(dense, a, cholesky: partial, report: report, gain: gain)
    }

    /// The fill rule: nested candidate sets (the columns with at least c_max, c_max/2,
    /// c_max/4, … entries, down to the candidate floor), the cheapest kept. The largest set
    /// is analysed first (its factor is the sparsest and quickest to analyse); a smaller
    /// set, and the full factor, are analysed only when a lower bound of their work — the
    /// clique of the largest column they keep in the factor, c(c+1)/2 entries of L and
    /// c³/3 flops — does not already exceed the best found. An LP without candidates pays
    /// one analysis, the one it needs anyway.
    static func byFill(_ a: SparseMatrix, settings: SolverSettings) throws -> LinkingColumnChoice {
        var counts: [(column: Int, count: Int)] = []
        // A candidate has many entries against the typical column: four times the
        // median, and the absolute minimum.
        var all = (0..<a.columns).map { a.count(ofColumn: $0) }
        all.sort()
        let median = all.isEmpty ? 0 : all[all.count / 2]
        let floor = max(settings.linkingColumnMinimumEntries, 4 * median)
        for j in 0..<a.columns where a.count(ofColumn: j) >= floor { counts.append((j, a.count(ofColumn: j))) }
        counts.sort { $0.count != $1.count ? $0.count > $1.count : $0.column < $1.column }
        var report = LinkingColumnReport.none(.fill)
        report.candidates = counts.count
        guard !counts.isEmpty else { return try allInFactor(a, report: report) }
        let largestOther = all.last { $0 < floor } ?? 0
        // The sizes of the nested sets, largest first.
        var sizes: [Int] = []
        var threshold = counts[0].count
        while true {
            let size = counts.prefix { $0.count >= threshold }.count
            if sizes.last != size { sizes.append(size) }
            if threshold <= floor || size == counts.count { break }
            threshold = max(floor, threshold / 2)
        }
        // Each set, largest first, with the entries of the largest column it leaves in the factor.
        let sets = sizes.reversed().map { size in
            (columns: counts.prefix(size).map(\.column), retained: size < counts.count ? counts[size].count : largestOther)
        }
        let largest = Double(counts[0].count)
        if largest * (largest + 1) / 2 < Double(a.nonzeros) {
            return try byFillFromFullOrdering(a, settings: settings, sets: sets, report: report)
        }
        let best = try cheapest(sets, a, settings: settings, ordering: nil, report: &report)
        // The full factor: its bound first, the analysis only when the bound leaves the
        // choice open (and then with AMD alone unless it is the factor kept).
        let fullBound = cliqueBound(counts[0].count)
        let full: SparseNormalCholesky?
        let fullWork: Double
        if let best, fullBound >= settings.linkingColumnGain * best.work {
            full = nil
            fullWork = fullBound
            report.factorNonzerosWithAll = Double(counts[0].count) * Double(counts[0].count + 1) / 2
            report.factorNonzerosWithAllIsBound = true
        } else {
            let analysed = try SparseNormalCholesky(a, quickOrdering: true)
            report.setsAnalysed += 1
            full = analysed
            fullWork = work(of: analysed, keeping: [], in: a)
            report.factorNonzerosWithAll = analysed.analysisNonzeros
        }
        guard let best, fullWork >= settings.linkingColumnGain * best.work else {
            return try inFactor(quick: full, a, report: report)
        }
        return keptOut(best.columns, a, cholesky: best.cholesky, report: report, gain: fullWork / best.work)
    }

    /// The fill rule when the candidates' cliques are small against A (the largest,
    /// c(c+1)/2 entries, below nnz(A): a park's peak column over one day). Then the full
    /// factor is the likely choice and its analysis is needed anyway: it is made first, with
    /// AMD, and each candidate set (`sets`, largest first, with the entries of the largest
    /// column each leaves in the factor) is analysed with the full factor's ordering instead
    /// of an ordering search of its own, the costly part of an analysis. A set is kept out
    /// when even that ordering makes an iteration `linkingColumnGain` times cheaper; only
    /// then is its factor ordered on its own.
    static func byFillFromFullOrdering(_ a: SparseMatrix, settings: SolverSettings,
                                       sets: [(columns: [Int], retained: Int)],
                                       report: LinkingColumnReport) throws -> LinkingColumnChoice {
        var report = report
        let full = try SparseNormalCholesky(a, quickOrdering: true)
        report.setsAnalysed += 1
        report.factorNonzerosWithAll = full.analysisNonzeros
        let fullWork = work(of: full, keeping: [], in: a)
        let best = try cheapest(sets, a, settings: settings, ordering: full.ordering, report: &report)
        if let best, fullWork >= settings.linkingColumnGain * best.work {
            // Its own ordering is usually better than the full factor's; the cheaper is kept.
            let own = try SparseNormalCholesky(a, columns: complement(of: best.columns, in: a.columns))
            report.setsAnalysed += 1
            let w = work(of: own, keeping: best.columns, in: a)
            let (chosen, chosenWork) = w <= best.work ? (own, w) : (best.cholesky, best.work)
            return keptOut(best.columns, a, cholesky: chosen, report: report, gain: fullWork / chosenWork)
        }
        return try inFactor(quick: full, a, report: report)
    }

    /// Of the candidate `sets` (largest first, with the entries of the largest column each
    /// leaves in the factor), the admissible one whose factor predicts the least work per
    /// iteration, each analysed with `ordering` (nil: an ordering search of its own). The
    /// search stops at the first set whose remaining clique alone costs more than the best.
    static func cheapest(_ sets: [(columns: [Int], retained: Int)], _ a: SparseMatrix, settings: SolverSettings,
                         ordering: [Int32]?, report: inout LinkingColumnReport) throws
        -> (work: Double, columns: [Int], cholesky: SparseNormalCholesky)? {
        var best: (work: Double, columns: [Int], cholesky: SparseNormalCholesky)?
        for set in sets {
            if let best, cliqueBound(set.retained) >= best.work { break }
            guard admissible(set.columns, a, settings: settings) else { continue }
            let partial = try SparseNormalCholesky(a, columns: complement(of: set.columns, in: a.columns), ordering: ordering)
            report.setsAnalysed += 1
            let w = work(of: partial, keeping: set.columns, in: a)
            if best.map({ w < $0.work }) ?? true { best = (w, set.columns, partial) }
        }
        return best
    }

    /// Nothing kept out, after the full factor was analysed with AMD alone (`full`, nil when
    /// it was not analysed). CHOLMOD's default ordering tries more than AMD only for a
    /// costly factor (about 500 flops per entry or more); below that AMD's analysis is the
    /// one, above it the default ordering analyses again.
    static func inFactor(quick full: SparseNormalCholesky?, _ a: SparseMatrix,
                         report: LinkingColumnReport) throws -> LinkingColumnChoice {
        if let full, full.factorFlops < 500 * full.analysisNonzeros { return inFactor(full, report: report) }
        var report = report
        let ordered = try SparseNormalCholesky(a)
        report.setsAnalysed += 1
        return inFactor(ordered, report: report)
    }

    /// Work per iteration at least, with a column of c entries left in the factor: its clique,
    /// c(c+1)/2 entries of L and c³/3 flops.
    static func cliqueBound(_ c: Int) -> Double {
        let c = Double(c)
        return work(flops: c * c * c / 3, nonzeros: c * (c + 1) / 2, kept: 0)
    }

    /// The predicted work per iteration of `factor` with `columns` kept out of it.
    static func work(of factor: SparseNormalCholesky, keeping columns: [Int], in a: SparseMatrix) -> Double {
        work(flops: factor.factorFlops, nonzeros: factor.analysisNonzeros, kept: columns.count, keptEntries: entries(columns, a))
    }

    /// A set may be kept out when it is within the limits and every row keeps an entry in a
    /// column of the factor: a row whose entries all lie in kept-out columns would leave
    /// only the regularisation ρd on its diagonal of M, and M⁻¹ would amplify rounding by
    /// 1/ρd.
    static func admissible(_ set: [Int], _ a: SparseMatrix, settings: SolverSettings) -> Bool {
        guard !set.isEmpty, set.count <= settings.linkingColumnLimit,
              Double(set.count) * Double(a.rows) <= settings.linkingColumnMemory else { return false }
        var kept = [Bool](repeating: false, count: a.columns)
        for j in set { kept[j] = true }
        var covered = [Bool](repeating: false, count: a.rows)
        for j in 0..<a.columns where !kept[j] {
            for e in a.columnStarts[j]..<a.columnStarts[j + 1] { covered[a.rowIndices[e]] = true }
        }
        return covered.allSatisfy { $0 }
    }

    static func complement(of set: [Int], in n: Int) -> [Int] {
        var kept = [Bool](repeating: true, count: n)
        for j in set { kept[j] = false }
        return (0..<n).filter { kept[$0] }
    }
}
