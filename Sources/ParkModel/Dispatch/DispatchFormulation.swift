import LinearProgramming

/// Builds the dispatch LP of the spec ("The linear program") as a sparse model, and keeps
/// the index of every variable block so results decode from the same place.
///
/// Scope `.park`: all firms with their exchange y[f,t] and the park balance. Scope
/// `.standalone(f)`: firm f alone trading with the grid, import and export each limited to
/// its connection, carbon priced but not capped, a peak charge on its own peak.
///
/// With ``LimitMode/soft`` the limits of ``LimitKind`` become soft in either scope: each
/// breach is a variable ≥ 0 priced by the park's ``BreachPrices``, recorded in ``breaches``.
public struct DispatchFormulation {
    /// The whole park, or firm k alone behind its own connection.
    public enum Scope: Sendable, Equatable { case park, standalone(Int) }

    /// Variable blocks of one asset (indices into the LP's columns, one per step).
    public struct AssetBlock: Sendable {
        /// The firm's id, or "park".
        public var owner: String
        public var asset: Asset
        public var variables: [AssetVariables]
    }

    public let scenario: Scenario
    public let scope: Scope
    public private(set) var model = ModelBuilder(name: "flexdispatch")
    public private(set) var assets: [AssetBlock] = []
    /// y[f][t] (park scope). With soft limits, read the solution through ``values(_:)``.
    public private(set) var exchange: [[Int]] = []
    public private(set) var importColumns: [Int] = []
    public private(set) var exportColumns: [Int] = []
    public private(set) var peakColumn: Int?
    /// Rows of the park balance (park scope) or the firm's grid balance (standalone), per step.
    public private(set) var balanceRows: [Int] = []
    public private(set) var carbonCapRow: Int?
    /// Hard (v1) or soft limits.
    public let limits: LimitMode
    /// The variables measuring each soft limit's breach (empty with hard limits).
    public private(set) var breaches: [BreachVariables] = []
    /// The breach prices in force (soft limits only).
    public let breachPrices: ResolvedBreachPrices?
    /// Per step, the deviations above and below the park's nomination (when it has one).
    public private(set) var imbalanceColumns: [(above: Int, below: Int)] = []
    /// Where each per-step limit's record sits in `breaches`, by limit and owner.
    private var breachIndex: [String: Int] = [:]

    public init(_ scenario: Scenario, scope: Scope, limits: LimitMode = .hard) throws {
        self.scenario = scenario
        self.scope = scope
        self.limits = limits
        breachPrices = limits == .soft ? scenario.park.breachPrices.resolved(for: scenario) : nil
        let s = scenario
        let T = s.steps, dt = s.stepHours
        let park = s.park
        let intensity = park.carbonIntensity ?? [Double](repeating: 0, count: T)
        let importMax: Double, exportMax: Double
        let firmIndices: [Int]
        switch scope {
        case .park:
            importMax = park.importMaxKW; exportMax = park.exportMaxKW; firmIndices = Array(s.firms.indices)
        case .standalone(let f):
            importMax = s.firms[f].connectionKW; exportMax = s.firms[f].connectionKW; firmIndices = [f]
        }
        // Block labels (park scope): each firm's assets, exchange and balance rows form a
        // block; the grid's columns, the park's assets and the park-wide rows other than the
        // balance (nomination, peak, carbon cap) form the park's block; the park balance of
        // each step links them.
        let parkBlock = scope == .park ? model.addBlock(named: "park") : nil
        model.currentBlock = parkBlock
        // Grid: I[t], E[t].
        for t in 0..<T {
            // Extension: a per-step limit announced by the grid operator (park scope only).
            let stepImportMax = scope == .park ? min(importMax, park.importLimit?[t] ?? importMax) : importMax
            let stepExportMax = scope == .park ? min(exportMax, park.exportLimit?[t] ?? exportMax) : exportMax
            importColumns.append(model.addVariable(lower: 0, upper: stepImportMax,
                                                   cost: dt * (park.importPrice[t] + park.carbonPricePerKg * intensity[t]),
                                                   name: "import_\(t)"))
            exportColumns.append(model.addVariable(lower: 0, upper: stepExportMax,
                                                   cost: -dt * park.exportPrice[t], name: "export_\(t)"))
            softenBound(.parkImport, owner: "park", column: importColumns[t], limit: stepImportMax, scalar: importMax, step: t)
            softenBound(.parkExport, owner: "park", column: exportColumns[t], limit: stepExportMax, scalar: exportMax, step: t)
        }
        // Per-step net consumption terms of the grid-side balance: I − E − Σ… = …
        var gridSide = [[(variable: Int, value: Double)]](repeating: [], count: T)
        for t in 0..<T { gridSide[t] = [(importColumns[t], 1), (exportColumns[t], -1)] }
        var gridRHS = [Double](repeating: 0, count: T)
        for f in firmIndices {
            let firm = s.firms[f]
            if scope == .park { model.currentBlock = model.addBlock(named: firm.id) }
            let net = addAssets(firm.assets, owner: firm.id, load: firm.load)
            if scope == .park {
                // Firm balance: N(assets) − y = −L, −C ≤ y ≤ C.
                var ys: [Int] = []
                for t in 0..<T {
                    let c = firm.connectionKW
                    let y = model.addVariable(lower: -c, upper: c, name: "\(firm.id)_exchange_\(t)")
                    ys.append(y)
                    softenBound(.firmConnection, owner: firm.id, column: y, limit: firm.connectionKW, scalar: firm.connectionKW, step: t)
                    model.addConstraint(net[t] + [(y, -1)], lower: -firm.load[t], upper: -firm.load[t], name: "\(firm.id)_balance_\(t)")
                    gridSide[t].append((y, -1))
                }
                exchange.append(ys)
            } else {
                // Standalone: I − E − N(assets) = L.
                for t in 0..<T {
                    gridSide[t] += net[t].map { ($0.variable, -$0.value) }
                    gridRHS[t] = firm.load[t]
                }
            }
        }
        model.currentBlock = parkBlock
        if scope == .park {
            let net = addAssets(park.assets, owner: "park", load: nil)
            for t in 0..<T { gridSide[t] += net[t].map { ($0.variable, -$0.value) } }
        }
        model.currentBlock = nil
        for t in 0..<T {
            balanceRows.append(model.addConstraint(gridSide[t], lower: gridRHS[t], upper: gridRHS[t], name: "grid_balance_\(t)"))
        }
        model.currentBlock = parkBlock
        // Extension: deviations from a nominated net import, I − E − d⁺ + d⁻ = nomination, at the imbalance price.
        if scope == .park, let nomination = park.nomination, park.imbalancePricePerKWh > 0 {
            for t in 0..<T {
                let above = model.addVariable(lower: 0, upper: .infinity, cost: park.imbalancePricePerKWh * dt, name: "imbalance_above_\(t)")
                let below = model.addVariable(lower: 0, upper: .infinity, cost: park.imbalancePricePerKWh * dt, name: "imbalance_below_\(t)")
                model.addConstraint([(importColumns[t], 1), (exportColumns[t], -1), (above, -1), (below, 1)],
                                    lower: nomination[t], upper: nomination[t], name: "nomination_\(t)")
                imbalanceColumns.append((above, below))
            }
        }
        // Peak: P ≥ I[t], P ≥ existing peak (park only), cost peakChargePerKW.
        if park.peakChargePerKW > 0 {
            let existing = scope == .park ? park.existingPeakKW : 0
            let p = model.addVariable(lower: max(0, existing), upper: .infinity, cost: park.peakChargePerKW, name: "peak")
            peakColumn = p
            for t in 0..<T { model.addConstraint([(importColumns[t], 1), (p, -1)], lower: -.infinity, upper: 0, name: "peak_\(t)") }
        }
        if scope == .park, let cap = park.carbonCapKg, park.carbonIntensity != nil {
            var terms = (0..<T).map { (variable: importColumns[$0], value: intensity[$0] * dt) }
            if let prices = breachPrices {
                // Soft: Σ κ·I·Δ − excess ≤ cap.
                let excess = model.addVariable(lower: 0, upper: .infinity, cost: prices.carbonPerKg, name: "carbon_cap_breach")
                terms.append((excess, -1))
                breaches.append(BreachVariables(limit: .carbonCap, owner: "park", asset: nil, value: cap, columns: [excess],
                                                costPerUnit: prices.carbonPerKg, amountPerUnit: 1))
            }
            carbonCapRow = model.addConstraint(terms, lower: -.infinity, upper: cap, name: "carbon_cap")
        }
        model.currentBlock = nil  // what a caller adds to the model links, unless it says otherwise
    }

    /// With soft limits, the bound |column| ≤ limit (for an export or import only its upper
    /// side) of step `step` gets an overflow column beyond it (`ModelBuilder.addOverflow`;
    /// below it too for a firm's exchange), the excess in kW priced per kWh. The overflow
    /// enters the column's rows instead of adding a row per limit and step, so the power
    /// limits add no row. One breach record per limit and owner collects the steps' excess
    /// columns.
    private mutating func softenBound(_ kind: LimitKind, owner: String, column: Int, limit: Double, scalar: Double, step t: Int) {
        guard let prices = breachPrices else { return }
        let dt = scenario.stepHours
        let cost = prices.connectionPerKWh * dt
        let excess = model.addOverflow(of: column, side: .above, cost: cost, name: "\(owner)_breach_\(kind.rawValue)_\(t)")
        let below = kind == .firmConnection
            ? model.addOverflow(of: column, side: .below, cost: cost, name: "\(owner)_breach_\(kind.rawValue)_neg_\(t)") : nil
        let key = "\(kind.rawValue)/\(owner)"
        if let k = breachIndex[key] {
            breaches[k].columns.append(excess)
            if let below { breaches[k].otherSideColumns.append(below) }
            breaches[k].limitedColumns.append(column)
            breaches[k].stepValues.append(limit)
        } else {
            breachIndex[key] = breaches.count
            breaches.append(BreachVariables(limit: kind, owner: owner, asset: nil, value: scalar, stepValues: [limit], columns: [excess],
                                            otherSideColumns: below.map { [$0] } ?? [], limitedColumns: [column],
                                            costPerUnit: cost, amountPerUnit: dt))
        }
    }

    /// A solution of ``model`` as the formulation's columns mean it: each soft-limited
    /// column (an import, an export, a firm's exchange) with its overflow beyond the limit
    /// added back (`ModelBuilder.folded`). Read ``importColumns``, ``exportColumns`` and
    /// ``exchange`` through it; with hard limits it is the solution itself.
    public func values(_ x: [Double]) -> [Double] { model.folded(x) }

    /// Adds the assets of one owner; returns N(S, t) as linear terms per step, each
    /// variable entering with its role's sign. Load shed by several curtailable assets
    /// of one firm is limited to the firm's load.
    private mutating func addAssets(_ list: [Asset], owner: String, load: [Double]?) -> [[(variable: Int, value: Double)]] {
        let T = scenario.steps
        var net = [[(variable: Int, value: Double)]](repeating: [], count: T)
        var sheds: [[Int]] = []
        var lp = AssetFormulation(model: model, steps: T, stepHours: scenario.stepHours, owner: load.map { .firm(load: $0) } ?? .park,
                                  breachPrices: breachPrices)
        model = ModelBuilder()  // the assets extend lp's copy, now the only one (no copy on write)
        for asset in list {
            let variables = asset.kind.formulate(id: asset.id, in: &lp)
            for v in variables {
                if let sign = v.role.netConsumptionSign {
                    for t in 0..<T { net[t].append((v.columns[t], sign)) }
                }
                if v.role == .shed { sheds.append(v.columns) }
            }
            assets.append(AssetBlock(owner: owner, asset: asset, variables: variables))
        }
        model = lp.model
        breaches += lp.breaches.map { var b = $0; b.owner = owner; return b }
        if sheds.count > 1, let load {
            for t in 0..<T {
                model.addConstraint(sheds.map { ($0[t], 1.0) }, lower: -.infinity, upper: load[t], name: "\(owner)_shed_total_\(t)")
            }
        }
        return net
    }
}
