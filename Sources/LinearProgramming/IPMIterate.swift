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
/// pay a uniqueness and exclusivity check per entry written.
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

    /// self += α o, every entry (the zero entries of unbounded sides stay zero when they
    /// are zero in both).
    func add(_ o: IPMVector, scale alpha: Double = 1) {
        precondition(o.n == n && o.m == m)
        let s = storage, t = o.storage
        for k in 0..<s.count { s[k] += alpha * t[k] }
        tau += alpha * o.tau
        kappa += alpha * o.kappa
    }
}

typealias IPMPoint = IPMVector
typealias IPMDirection = IPMVector

/// The residuals of the homogeneous model at a point:
///   rp = τb − Ax,  rl = τl − x + xl,  ru = τu − x − xu,
///   rd = τc − Aᵀy − zl + zu,  rg = cᵀx − bᵀy − lᵀzl + uᵀzu + κ.
/// The vectors are views of the interior point's workspace (`IPMWorkspace`), valid until
/// the next evaluation.
struct IPMResiduals {
    var rp: UnsafeMutableBufferPointer<Double>
    var rl: UnsafeMutableBufferPointer<Double>
    var ru: UnsafeMutableBufferPointer<Double>
    var rd: UnsafeMutableBufferPointer<Double>
    var rg: Double
    /// xlᵀzl + xuᵀzu + τκ over (number of finite bounds + 1).
    var mu: Double
    var primalObjective: Double  // cᵀx / τ
    var dualObjective: Double    // (bᵀy + lᵀzl − uᵀzu) / τ
    var dualRayValue: Double      // bᵀy + lᵀzl − uᵀzu (unscaled by τ)
    var primalRayValue: Double    // cᵀx (unscaled by τ)
}

/// The vectors one interior-point iteration works in, allocated once per solve so that an
/// iteration allocates nothing of the problem's size: the residuals, the Newton systems'
/// right-hand sides and solutions, the complementarity targets and the directions.
final class IPMWorkspace {
    let rp: UnsafeMutableBufferPointer<Double>
    let rl: UnsafeMutableBufferPointer<Double>
    let ru: UnsafeMutableBufferPointer<Double>
    let rd: UnsafeMutableBufferPointer<Double>
    /// A KKT right-hand side (ξ₁, ξ₂) and its solution.
    let xi1: UnsafeMutableBufferPointer<Double>
    let xi2: UnsafeMutableBufferPointer<Double>
    let solutionX: UnsafeMutableBufferPointer<Double>
    let solutionY: UnsafeMutableBufferPointer<Double>
    /// The solution (p, q) of K [p; q] = [c̃; b] for the current factorisation.
    let pqX: UnsafeMutableBufferPointer<Double>
    let pqY: UnsafeMutableBufferPointer<Double>
    /// Complementarity targets of the lower and upper bounds.
    let targetL: UnsafeMutableBufferPointer<Double>
    let targetU: UnsafeMutableBufferPointer<Double>
    /// 1/xl and 1/xu at the current point (where the bound is finite): each direction
    /// multiplies by them instead of dividing.
    let inverseXL: UnsafeMutableBufferPointer<Double>
    let inverseXU: UnsafeMutableBufferPointer<Double>
    /// Two directions: the affine one, then (its values no longer needed once the
    /// corrector's targets are set) the spare a centrality correction is built in.
    let affine: IPMVector
    let corrector: IPMVector
    /// df/dτ of the gap equation for the current factorisation (see `HomogeneousIPM.direction`).
    var gapSlope = 0.0
    private let storage: UnsafeMutableBufferPointer<Double>

    init(n: Int, m: Int) {
        let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: 10 * n + 4 * m)
        storage.initialize(repeating: 0)
        self.storage = storage
        var offset = 0
        func part(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            defer { offset += count }
            return UnsafeMutableBufferPointer(rebasing: storage[offset..<(offset + count)])
        }
        rp = part(m)
        rl = part(n)
        ru = part(n)
        rd = part(n)
        xi1 = part(n)
        xi2 = part(m)
        solutionX = part(n)
        solutionY = part(m)
        pqX = part(n)
        pqY = part(m)
        targetL = part(n)
        targetU = part(n)
        inverseXL = part(n)
        inverseXU = part(n)
        affine = IPMVector(n: n, m: m)
        corrector = IPMVector(n: n, m: m)
    }

    deinit { storage.deallocate() }
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
