import DataFiles
import Foundation
import LinearProgramming

/// Solves a scenario's park dispatch and its firms' standalone problems, and decodes the
/// results: cost parts, internal prices, settlements and the value of the cluster.
public struct DispatchRun: Sendable {
    public var status: SolveStatus
    public var objective: Double?
    public var parts: [String: Double]
    /// λ[t] in money per kWh: the park balance dual divided by Δ (the interior point's
    /// limit, the centre of the optimal dual face when it is not unique).
    public var internalPrice: [Double]
    public var settlement: [String: Double]
    public var parkResidual: Double?
    public var standaloneCost: [String: Double?]
    public var standaloneNote: [String: String]
    public var valueOfCluster: Double?
    public var solveSeconds: Double
    public var iterations: Int
    public var rows: Int
    public var columns: Int
    public var nonzeros: Int
    /// Tidy schedule: (step, owner, asset, variable, value).
    public var schedule: [(step: Int, owner: String, asset: String, variable: ScheduleVariable, value: Double)]
    /// For an infeasible scenario: which constraints conflict, in words.
    public var conflicts: [String] = []
    /// Hard (v1) or soft limits.
    public var limits: LimitMode = .hard
    /// With soft limits: the limits the plan breaches, by how much and at what cost.
    public var breaches: [Breach] = []

    /// Solves the park and, when it is optimal and `standalone` is set, every firm's
    /// standalone problem, all with the same `limits`. A solve stopped by its time or
    /// iteration limit keeps the point it reached (schedule, cost parts, prices) with that
    /// status, and no standalone costs.
    public static func solve(_ scenario: Scenario, settings: SolverSettings = SolverSettings(), limits: LimitMode = .hard,
                             standalone: Bool = true, progress: ((IterationRecord) -> Void)? = nil) throws -> DispatchRun {
        let formulation = try DispatchFormulation(scenario, scope: .park, limits: limits)
        let lp = try formulation.model.build()
        var result = try LPSolver.solve(lp, settings: settings, progress: progress)
        if !result.objective.isFinite && result.x.count == lp.columnCount {
            // A stopped solve: the objective of the point it reached.
            result.objective = zip(lp.objective, result.x).reduce(lp.objectiveOffset) { $0 + $1.0 * $1.1 }
        }
        var run = DispatchRun(status: result.status, objective: nil, parts: [:], internalPrice: [], settlement: [:],
                              parkResidual: nil, standaloneCost: [:], standaloneNote: [:], valueOfCluster: nil,
                              solveSeconds: result.seconds, iterations: result.iterations, rows: lp.rowCount,
                              columns: lp.columnCount, nonzeros: lp.matrix.nonzeros, schedule: [])
        run.limits = limits
        if result.status == .infeasible { run.conflicts = Diagnosis.explain(scenario, settings: settings) }
        let stopped = (result.status == .timeLimit || result.status == .iterationLimit) && result.x.count == lp.columnCount
        guard result.status == .optimal || stopped else { return run }
        run.decode(formulation, result)
        if result.status == .optimal && standalone { run.standalone(scenario, settings: settings, limits: limits) }
        return run
    }

    mutating func decode(_ f: DispatchFormulation, _ r: SolveResult) {
        let s = f.scenario, T = s.steps, dt = s.stepHours
        let x = f.values(r.x)
        objective = r.objective
        let intensity = s.park.carbonIntensity ?? [Double](repeating: 0, count: T)
        var energy = 0.0, carbon = 0.0
        for t in 0..<T {
            energy += dt * (s.park.importPrice[t] * x[f.importColumns[t]] - s.park.exportPrice[t] * x[f.exportColumns[t]])
            carbon += dt * s.park.carbonPricePerKg * intensity[t] * x[f.importColumns[t]]
            schedule.append((t, "park", "grid", .gridImport, x[f.importColumns[t]]))
            schedule.append((t, "park", "grid", .gridExport, x[f.exportColumns[t]]))
        }
        let peak = f.peakColumn.map { s.park.peakChargePerKW * x[$0] } ?? 0
        var byPart: [CostPart: Double] = [:]
        var ownCost: [String: Double] = [:]
        for block in f.assets {
            var values: [ScheduleVariable: [Double]] = [:]
            for v in block.variables { values[v.role] = v.columns.map { x[$0] } }
            let kind = block.asset.kind
            let cost = kind.cost(AssetValues(values), stepHours: dt)
            if let part = kind.costPart { byPart[part, default: 0] += cost }
            ownCost[block.owner, default: 0] += cost
            for v in block.variables {
                for t in 0..<T { schedule.append((t, block.owner, block.asset.id, v.role, x[v.columns[t]])) }
            }
        }
        parts = [CostPart.energy.rawValue: energy, CostPart.peak.rawValue: peak, CostPart.carbon.rawValue: carbon]
        for part in [CostPart.degradation, .shedding, .curtailment] { parts[part.rawValue] = byPart[part] ?? 0 }
        if !f.imbalanceColumns.isEmpty {
            parts[Self.imbalancePart] = f.imbalanceColumns.reduce(0) { $0 + (x[$1.above] + x[$1.below]) * dt * s.park.imbalancePricePerKWh }
        }
        if f.limits == .soft {
            breaches = f.breaches.compactMap { Breach.measured($0, x: x) }
            var total = 0.0
            for b in f.breaches {
                let cost = (b.columns + b.otherSideColumns).reduce(0) { $0 + x[$1] } * b.costPerUnit
                total += cost
                if b.owner != "park" { ownCost[b.owner, default: 0] += cost }
            }
            parts[Self.breachPart] = total
        }
        internalPrice = f.balanceRows.map { r.rowDuals[$0] / dt }
        var total = 0.0
        for (k, firm) in s.firms.enumerated() {
            var v = ownCost[firm.id] ?? 0
            for t in 0..<T {
                let y = x[f.exchange[k][t]]
                v += internalPrice[t] * y * dt
                schedule.append((t, firm.id, firm.id, .exchange, y))
            }
            settlement[firm.id] = v
            total += v
        }
        parkResidual = r.objective - total
    }

    /// The schedule as series over `steps` steps: each asset's values by role, and the
    /// park's grid import and export (kW). Steps the schedule does not give are 0.
    public func series(steps: Int) -> (assets: [String: [ScheduleVariable: [Double]]], imports: [Double], exports: [Double]) {
        var assets: [String: [ScheduleVariable: [Double]]] = [:]
        var imports = [Double](repeating: 0, count: steps), exports = imports
        for e in schedule where e.step < steps {
            switch (e.owner, e.asset, e.variable) {
            case ("park", "grid", .gridImport): imports[e.step] = e.value
            case ("park", "grid", .gridExport): exports[e.step] = e.value
            case ("park", "grid", _): break
            default: assets[e.asset, default: [:]][e.variable, default: [Double](repeating: 0, count: steps)][e.step] = e.value
            }
        }
        return (assets, imports, exports)
    }

    /// The cost part soft limits' breaches are reported under (soft limits only).
    public static let breachPart = "breach"
    /// The cost part of deviations from a nomination (only when the park has one).
    public static let imbalancePart = "imbalance"

    /// Standalone optimum of every firm, solved concurrently.
    mutating func standalone(_ s: Scenario, settings: SolverSettings, limits: LimitMode) {
        let n = s.firms.count
        let results = UnsafeMutableBufferPointer<(Double?, String?)>.allocate(capacity: n)
        defer { results.deallocate() }
        results.initialize(repeating: (nil, nil))
        let box = SendableBuffer(results)
        DispatchQueue.concurrentPerform(iterations: n) { k in
            do {
                let f = try DispatchFormulation(s, scope: .standalone(k), limits: limits)
                let lp = try f.model.build()
                let r = try LPSolver.solve(lp, settings: settings)
                if r.status != .optimal, let dir = ProcessInfo.processInfo.environment["FLEXDISPATCH_DUMP_FAILED"] {
                    try? MPSWriter.write(lp, to: "\(dir)/standalone-\(s.firms[k].id).mps")
                }
                box.buffer[k] = r.status == .optimal ? (r.objective, nil) : (nil, "standalone problem is \(r.status.rawValue)")
            } catch {
                box.buffer[k] = (nil, "\(error)")
            }
        }
        var sum = 0.0, complete = true
        for (k, firm) in s.firms.enumerated() {
            let (cost, note) = results[k]
            standaloneCost[firm.id] = cost
            if let note { standaloneNote[firm.id] = note }
            if let cost { sum += cost } else { complete = false }
        }
        valueOfCluster = complete ? objective.map { sum - $0 } : nil
    }
}

/// Lets concurrentPerform's workers write disjoint slots of one buffer.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ b: UnsafeMutableBufferPointer<T>) { buffer = b }
}
