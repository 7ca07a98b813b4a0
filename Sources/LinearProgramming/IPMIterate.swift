/// The iterate of the homogeneous self-dual interior point, and one search direction.
///
/// Unknowns (Xu, Hung, Ye 1996; with bounds as in Tulip, Tanneau–Anjos–Lodi 2021):
/// x, the bound slacks xl = x − lτ ≥ 0 (finite l) and xu = uτ − x ≥ 0 (finite u),
/// row duals y, bound duals zl, zu ≥ 0, and the homogenising pair τ, κ > 0.
/// Entries of xl/zl (xu/zu) where the bound is infinite stay 0 and are ignored.
struct IPMPoint {
    var x: [Double]
    var xl: [Double]
    var xu: [Double]
    var y: [Double]
    var zl: [Double]
    var zu: [Double]
    var tau: Double
    var kappa: Double
}

/// A Newton direction for `IPMPoint`.
struct IPMDirection {
    var dx: [Double]
    var dxl: [Double]
    var dxu: [Double]
    var dy: [Double]
    var dzl: [Double]
    var dzu: [Double]
    var dtau: Double
    var dkappa: Double

    /// True when every component is finite (a NaN or ∞ anywhere makes a sum non-finite).
    var isFinite: Bool {
        var s = dtau + dkappa
        for j in 0..<dx.count { s += dx[j] + dxl[j] + dxu[j] + dzl[j] + dzu[j] }
        for i in 0..<dy.count { s += dy[i] }
        return s.isFinite
    }

    mutating func add(_ o: IPMDirection) {
        for j in 0..<dx.count {
            dx[j] += o.dx[j]; dxl[j] += o.dxl[j]; dxu[j] += o.dxu[j]
            dzl[j] += o.dzl[j]; dzu[j] += o.dzu[j]
        }
        for i in 0..<dy.count { dy[i] += o.dy[i] }
        dtau += o.dtau
        dkappa += o.dkappa
    }
}

/// The residuals of the homogeneous model at a point:
///   rp = τb − Ax,  rl = τl − x + xl,  ru = τu − x − xu,
///   rd = τc − Aᵀy − zl + zu,  rg = cᵀx − bᵀy − lᵀzl + uᵀzu + κ.
struct IPMResiduals {
    var rp: [Double]
    var rl: [Double]
    var ru: [Double]
    var rd: [Double]
    var rg: Double
    /// xlᵀzl + xuᵀzu + τκ over (number of finite bounds + 1).
    var mu: Double
    var primalObjective: Double  // cᵀx / τ
    var dualObjective: Double    // (bᵀy + lᵀzl − uᵀzu) / τ
    var dualRayValue: Double      // bᵀy + lᵀzl − uᵀzu (unscaled by τ)
    var primalRayValue: Double    // cᵀx (unscaled by τ)
}

/// The right-hand sides ξ of a Newton system (residual parts scaled by η, complementarity
/// targets) — see `HomogeneousIPM.direction`.
struct IPMRightHandSide {
    var xp: [Double]
    var xl: [Double]
    var xu: [Double]
    var xd: [Double]
    var xg: Double
    var xzl: [Double]
    var xzu: [Double]
    var xtk: Double
}
