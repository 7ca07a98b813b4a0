import Foundation
import LinearAlgebra
import LinearProgramming

/// Explains an infeasible scenario in an energy manager's words. Pre-checks first (one
/// asset or one firm at a time, then the park's limits, then the carbon cap); when none
/// of them finds the cause, an elastic LP that minimises the total violation names the
/// constraint groups that carry it.
public enum Diagnosis {
    public static func explain(_ s: Scenario, settings: SolverSettings = SolverSettings()) -> [String] {
        var found: [String] = []
        for (owner, assets) in [("park", s.park.assets)] + s.firms.map({ ("firm '\($0.id)'", $0.assets) }) {
            for a in assets {
                let who = owner == "park" ? "park, asset '\(a.id)'" : "\(owner), asset '\(a.id)'"
                if let reason = a.kind.infeasibility(steps: s.steps, stepHours: s.stepHours) { found.append("\(who): \(reason)") }
            }
        }
        if !found.isEmpty { return found }
        // Each firm on its own, within its connection (prices do not matter here).
        for (k, firm) in s.firms.enumerated() where !feasible(s, scope: .standalone(k), settings: settings) {
            found.append("firm '\(firm.id)': its load and assets cannot be balanced within connectionKW \(fmt(firm.connectionKW)) (firm balance / connection limit)")
        }
        if !found.isEmpty { return found }
        var uncapped = s
        uncapped.park.carbonCapKg = nil
        if !feasible(uncapped, scope: .park, settings: settings) {
            return ["park: the park balance cannot be met within importMaxKW/exportMaxKW (and the importLimit/exportLimit series, when given) and the firms' connection limits"]
        }
        if let cap = s.park.carbonCapKg, let least = leastCarbon(uncapped, settings: settings), least > cap * (1 + 1e-9) + 1e-9 {
            return ["park: carbonCapKg \(fmt(cap)) cannot be met by the imports the park needs (the least possible is \(fmt(least)) kg)"]
        }
        return elastic(s, settings: settings)
    }

    static func feasible(_ s: Scenario, scope: DispatchFormulation.Scope, settings: SolverSettings) -> Bool {
        guard let f = try? DispatchFormulation(s, scope: scope), var lp = try? f.model.build() else { return false }
        lp.objective = [Double](repeating: 0, count: lp.columnCount)
        lp.objectiveOffset = 0
        return (try? LPSolver.solve(lp, settings: settings).status) == .optimal
    }

    /// The least carbon (kg) any feasible dispatch emits, without the cap.
    static func leastCarbon(_ s: Scenario, settings: SolverSettings) -> Double? {
        guard let f = try? DispatchFormulation(s, scope: .park), var lp = try? f.model.build(),
              let intensity = s.park.carbonIntensity else { return nil }
        lp.objective = [Double](repeating: 0, count: lp.columnCount)
        lp.objectiveOffset = 0
        for (t, j) in f.importColumns.enumerated() { lp.objective[j] = intensity[t] * s.stepHours }
        guard let r = try? LPSolver.solve(lp, settings: settings), r.status == .optimal else { return nil }
        return r.objective
    }

    /// Elastic LP: every row gets a violation pair (v⁺, v⁻ ≥ 0) at unit cost, the original
    /// costs are dropped; rows that need a violation are grouped by name (step suffix removed).
    static func elastic(_ s: Scenario, settings: SolverSettings) -> [String] {
        guard let f = try? DispatchFormulation(s, scope: .park), let lp = try? f.model.build() else {
            return ["the dispatch has no feasible solution (no single cause found)"]
        }
        let m = lp.rowCount, n = lp.columnCount
        var starts = lp.matrix.columnStarts, rows = lp.matrix.rowIndices, values = lp.matrix.values
        for i in 0..<m {
            for sign in [1.0, -1.0] { rows.append(i); values.append(sign); starts.append(rows.count) }
        }
        guard let a = try? SparseMatrix(rows: m, columns: n + 2 * m, columnStarts: starts, rowIndices: rows, values: values) else {
            return ["the dispatch has no feasible solution (no single cause found)"]
        }
        let relaxed = LinearProgram(name: "elastic", objective: [Double](repeating: 0, count: n) + [Double](repeating: 1, count: 2 * m),
                                    matrix: a, rowLower: lp.rowLower, rowUpper: lp.rowUpper,
                                    columnLower: lp.columnLower + [Double](repeating: 0, count: 2 * m),
                                    columnUpper: lp.columnUpper + [Double](repeating: .infinity, count: 2 * m))
        guard let r = try? LPSolver.solve(relaxed, settings: settings), r.status == .optimal else {
            return ["the dispatch has no feasible solution: even the elastic problem fails (variable bounds conflict)"]
        }
        var groups: [String: Double] = [:]
        for i in 0..<m {
            let v = r.x[n + 2 * i] + r.x[n + 2 * i + 1]
            if v > 1e-6 {
                var name = lp.rowName(i)
                if let u = name.lastIndex(of: "_"), Int(name[name.index(after: u)...]) != nil { name = String(name[..<u]) }
                groups[name, default: 0] += v
            }
        }
        if groups.isEmpty { return ["the dispatch has no feasible solution (violations below 1e-6: numerically borderline)"] }
        return groups.sorted { $0.value > $1.value }.map { "constraint group '\($0.key)' needs a violation of \(fmt($0.value)) (kW or kWh) to be met" }
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }
}
