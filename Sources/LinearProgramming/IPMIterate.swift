/// The iterate of the homogeneous self-dual interior point, or one search direction (the
/// same shape: a direction's `x` is dx, its `tau` dτ, and so on).
///
/// Unknowns (Xu, Hung, Ye 1996; with bounds as in Tulip, Tanneau–Anjos–Lodi 2021):
/// x, the bound slacks xl = x − lτ ≥ 0 (finite l) and xu = uτ − x ≥ 0 (finite u),
/// row duals y, bound duals zl, zu ≥ 0, and the homogenising pair τ, κ > 0.
/// Entries of xl/zl (xu/zu) where the bound is infinite stay 0 and are ignored.
///
/// The n- and m-vectors share one allocation and are reached through unchecked buffers:
/// the loops over them are the solver's hot path, and an array nested in a class would
/// pay a uniqueness and exclusivity check per entry written. A copy is explicit (`copy()`).
final class IPMVector {
    let n: Int
    let m: Int
    let x: UnsafeMutableBufferPointer<Double>
    let xl: UnsafeMutableBufferPointer<Double>
    let xu: UnsafeMutableBufferPointer<Double>
    let zl: UnsafeMutableBufferPointer<Double>
    let zu: UnsafeMutableBufferPointer<Double>
    let y: UnsafeMutableBufferPointer<Double>
    var tau = 0.0
    var kappa = 0.0
    private let storage: UnsafeMutableBufferPointer<Double>

    /// All entries 0, τ = κ = 0.
    init(n: Int, m: Int) {
        self.n = n
        self.m = m
        let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: 5 * n + m)
        storage.initialize(repeating: 0)
        self.storage = storage
        func part(_ k: Int, _ count: Int) -> UnsafeMutableBufferPointer<Double> {
            UnsafeMutableBufferPointer(rebasing: storage[(k * n)..<(k * n + count)])
        }
        x = part(0, n)
        xl = part(1, n)
        xu = part(2, n)
        zl = part(3, n)
        zu = part(4, n)
        y = part(5, m)
    }

    /// From arrays (tests and small cases).
    convenience init(x: [Double], xl: [Double], xu: [Double], y: [Double], zl: [Double], zu: [Double],
                     tau: Double, kappa: Double) {
        self.init(n: x.count, m: y.count)
        for j in 0..<n {
            self.x[j] = x[j]
            self.xl[j] = xl[j]
            self.xu[j] = xu[j]
            self.zl[j] = zl[j]
            self.zu[j] = zu[j]
        }
        for i in 0..<m { self.y[i] = y[i] }
        self.tau = tau
        self.kappa = kappa
    }

    deinit { storage.deallocate() }

    func copy() -> IPMVector {
        let c = IPMVector(n: n, m: m)
        c.assign(self)
        return c
    }

    /// Takes every entry of `o` (same shape).
    func assign(_ o: IPMVector) {
        precondition(o.n == n && o.m == m)
        storage.baseAddress!.update(from: o.storage.baseAddress!, count: storage.count)
        tau = o.tau
        kappa = o.kappa
    }

    /// self += α o, every entry (the zero entries of unbounded sides stay zero when they
    /// are zero in both).
    func add(_ o: IPMVector, scale alpha: Double = 1) {
        precondition(o.n == n && o.m == m)
        let s = storage, t = o.storage
        for k in 0..<s.count { s[k] += alpha * t[k] }
        tau += alpha * o.tau
        kappa += alpha * o.kappa
    }

    /// True when every component is finite (a NaN or ∞ anywhere makes a sum non-finite).
    var isFinite: Bool {
        var sum = tau + kappa
        for v in storage { sum += v }
        return sum.isFinite
    }
}

typealias IPMPoint = IPMVector
typealias IPMDirection = IPMVector

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

extension Array where Element == Double {
    /// n entries computed by `value(j)`, written without per-entry checks.
    init(count n: Int, _ value: (Int) -> Double) {
        self.init(unsafeUninitializedCapacity: n) { buffer, initialized in
            for j in 0..<n { buffer[j] = value(j) }
            initialized = n
        }
    }
}
