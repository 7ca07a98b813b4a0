import Foundation
import LinearAlgebra

/// `mlp`: a small neural network — one tanh hidden layer plus a linear skip connection —
/// over standardised lags (24, 48, 168 h), the last value before the target's local day,
/// the exogenous drivers, and one-hot hour of day
/// and weekday. Trained on squared error with Adam on mini-batches, every product a BLAS
/// dgemm; the last 14 days of the window are held out to pick the number of epochs (early
/// stopping), then the network is retrained on the whole window for that many epochs.
/// Initialisation and batch order come from a seeded SplitMix64: the same data and seed
/// give the same forecasts. Intervals: `IntervalCalibration` on the held-out errors.
public struct MLPForecaster: ForecastModel {
    public var name: String { "mlp" }
    /// A week of lags and the 14 days of rows below which it would only forecast the mean.
    public var minimumHistoryDays: Int { 21 }
    public let drivers: [String]
    public var hidden = 24
    public var maxEpochs = 30
    public var batchSize = 64
    public var learningRate = 2e-3
    public var weightDecay = 1e-4
    public var windowDays = 365
    public var seed: UInt64 = 2025
    var net: Network?
    var inputMean: [Double] = [], inputScale: [Double] = []
    var targetMean = 0.0, targetScale = 1.0
    var calibration = IntervalCalibration()
    var validationMAE: Double?
    public var heldOutMAE: Double? { validationMAE }
    var fallback = 0.0

    public init(drivers: [String], seed: UInt64 = 2025) {
        self.drivers = drivers
        self.seed = seed
    }

    /// Continuous inputs (lags, drivers) then one-hot hour (24) and weekday (7); nil when
    /// a lag or a driver is missing.
    func rawFeatures(_ s: HourlySeries, _ t: Int) -> [Double]? {
        var x: [Double] = []
        x.reserveCapacity(4 + 7 * drivers.count + 31)
        for lag in [24, 48, 168] {
            let u = s.lagIndex(t, lag)
            guard u >= 0, let v = s.values[u] else { return nil }
            x.append(v)
        }
        // The last value before the target's local day: the level a day-ahead forecast made
        // at local midnight knows.
        let dayStart = s.dayStart[t]
        guard dayStart >= 1, let last = s.values[dayStart - 1] else { return nil }
        x.append(last)
        for d in drivers {
            guard let v = s.drivers[d]?[t] ?? nil else { return nil }
            x.append(v)
        }
        // What the drivers did before: their values a day and a week earlier (what the
        // lagged loads saw) and trailing means over 3–24 h (heat stored in buildings).
        for d in drivers {
            guard let series = s.drivers[d], t >= 168, let v24 = series[t - 24], let v168 = series[t - 168] else { return nil }
            x.append(v24)
            x.append(v168)
            guard let means = DriverBasis.trailingMeans(series, t) else { return nil }
            x.append(contentsOf: means)
        }
        var oneHot = [Double](repeating: 0, count: 31)
        oneHot[s.localHour[t]] = 1
        oneHot[24 + RidgeForecaster.weekday(s.localDay[t])] = 1
        return x + oneHot
    }

    func standardised(_ x: [Double]) -> [Double] {
        var z = x
        for k in 0..<inputMean.count { z[k] = (x[k] - inputMean[k]) / inputScale[k] }
        return z
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        let first = max(168, origin - windowDays * 24)
        var rows: [[Double]] = [], y: [Double] = [], times: [Int] = []
        for t in first..<max(first, origin) {
            guard let v = s.values[t], let x = rawFeatures(s, t) else { continue }
            rows.append(x); y.append(v); times.append(t)
        }
        fallback = y.isEmpty ? 0 : y.reduce(0, +) / Double(y.count)
        net = nil
        validationMAE = nil
        guard rows.count >= 24 * 14 else { return }
        let continuous = 4 + 7 * drivers.count
        inputMean = (0..<continuous).map { k in rows.reduce(0) { $0 + $1[k] } / Double(rows.count) }
        inputScale = (0..<continuous).map { k in
            let m = inputMean[k]
            return max((rows.reduce(0) { $0 + ($1[k] - m) * ($1[k] - m) } / Double(rows.count)).squareRoot(), 1e-9)
        }
        targetMean = fallback
        targetScale = max((y.reduce(0) { $0 + ($1 - fallback) * ($1 - fallback) } / Double(y.count)).squareRoot(), 1e-9)
        let x = rows.map(standardised)
        let target = y.map { ($0 - targetMean) / targetScale }
        let split = times.firstIndex { $0 >= origin - 14 * 24 } ?? rows.count
        var bestEpochs = maxEpochs
        validationMAE = nil
        if split >= 24 * 14 && split < rows.count {
            // Early stopping: train on the rows before the last 14 days, score those days.
            var trainer = Trainer(inputs: x[0].count, hidden: hidden, seed: seed, settings: self)
            var best = Double.infinity
            var bestNet: Network?
            for epoch in 1...maxEpochs {
                trainer.epoch(Array(x[..<split]), Array(target[..<split]))
                let p = trainer.net.predict(Array(x[split...]))
                let mae = zip(p, target[split...]).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(p.count)
                if mae < best { best = mae; bestEpochs = epoch; bestNet = trainer.net }
            }
            if let bestNet {
                validationMAE = best * targetScale
                let p50 = bestNet.predict(Array(x[split...])).map { $0 * targetScale + targetMean }
                calibration.fit(p50: p50, hours: times[split...].map { s.localHour[$0] }, actual: Array(y[split...]))
            }
        }
        var trainer = Trainer(inputs: x[0].count, hidden: hidden, seed: seed, settings: self)
        for _ in 0..<bestEpochs { trainer.epoch(x, target) }
        net = trainer.net
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        (0..<horizon).map { h in
            let t = origin + h
            let p: Double
            if let net, let raw = rawFeatures(s, t) {
                p = net.predict([standardised(raw)])[0] * targetScale + targetMean
            } else {
                p = (t - 168 >= 0 ? s.values[t - 168] : nil) ?? fallback
            }
            return calibration.interval(p50: p, hour: s.localHour[t])
        }
    }
}

/// Weights of the network: out = tanh(X W1 + b1) w2 + b2 + X v.
struct Network: Sendable {
    var w1: DenseMatrix   // inputs × hidden
    var b1: [Double]
    var w2: [Double]
    var b2: Double
    var v: [Double]

    static func batch(_ rows: [[Double]]) -> DenseMatrix {
        var m = DenseMatrix(rows: rows.count, columns: rows.first?.count ?? 0)
        for (i, r) in rows.enumerated() { for (k, value) in r.enumerated() { m.values[i + k * rows.count] = value } }
        return m
    }

    /// Hidden activations (batch × hidden) and outputs.
    func forward(_ x: DenseMatrix) -> (a: DenseMatrix, out: [Double]) {
        var a = DenseMatrix.product(x, w1)
        let n = x.rows
        for j in 0..<a.columns { for i in 0..<n { a.values[i + j * n] = tanh(a.values[i + j * n] + b1[j]) } }
        var out = a.multiply(w2)
        let skip = x.multiply(v)
        for i in 0..<n { out[i] += b2 + skip[i] }
        return (a, out)
    }

    func predict(_ rows: [[Double]]) -> [Double] { rows.isEmpty ? [] : forward(Network.batch(rows)).out }
}

/// Adam on mini-batches of squared error with weight decay, batches in a seeded order.
struct Trainer {
    var net: Network
    var rng: SplitMix64
    let batchSize: Int, learningRate: Double, weightDecay: Double
    var m: [Double], s: [Double]
    var step = 0

    init(inputs: Int, hidden: Int, seed: UInt64, settings: MLPForecaster) {
        rng = SplitMix64(seed: seed)
        var w1 = DenseMatrix(rows: inputs, columns: hidden)
        let limit = (6 / Double(inputs + hidden)).squareRoot()  // Glorot uniform
        for k in 0..<w1.values.count { w1.values[k] = (2 * rng.unit() - 1) * limit }
        var w2 = [Double](repeating: 0, count: hidden)
        for j in 0..<hidden { w2[j] = (2 * rng.unit() - 1) * (6 / Double(hidden + 1)).squareRoot() }
        net = Network(w1: w1, b1: .init(repeating: 0, count: hidden), w2: w2, b2: 0, v: .init(repeating: 0, count: inputs))
        batchSize = settings.batchSize
        learningRate = settings.learningRate
        weightDecay = settings.weightDecay
        let count = inputs * hidden + hidden + hidden + 1 + inputs
        m = .init(repeating: 0, count: count)
        s = .init(repeating: 0, count: count)
    }

    mutating func epoch(_ x: [[Double]], _ y: [Double]) {
        var order = Array(0..<x.count)
        order.shuffle(using: &rng)
        var start = 0
        while start < order.count {
            let idx = order[start..<min(start + batchSize, order.count)]
            update(Network.batch(idx.map { x[$0] }), idx.map { y[$0] })
            start += batchSize
        }
    }

    mutating func update(_ xb: DenseMatrix, _ yb: [Double]) {
        let n = xb.rows, h = net.b1.count
        let (a, out) = net.forward(xb)
        let delta = (0..<n).map { 2 * (out[$0] - yb[$0]) / Double(n) }
        let gw2 = a.multiplyTransposed(delta)
        let gb2 = delta.reduce(0, +)
        let gv = xb.multiplyTransposed(delta)
        var dz = DenseMatrix(rows: n, columns: h)
        for j in 0..<h { for i in 0..<n { let aij = a.values[i + j * n]; dz.values[i + j * n] = delta[i] * net.w2[j] * (1 - aij * aij) } }
        let gw1 = DenseMatrix.product(xb, transposed: true, dz)
        var gb1 = [Double](repeating: 0, count: h)
        for j in 0..<h { for i in 0..<n { gb1[j] += dz.values[i + j * n] } }
        // One flat gradient in the order w1, b1, w2, b2, v (weight decay on weights only).
        var g = gw1.values
        for k in 0..<g.count { g[k] += weightDecay * net.w1.values[k] }
        g += gb1
        g += zip(gw2, net.w2).map { $0 + weightDecay * $1 }
        g.append(gb2)
        g += zip(gv, net.v).map { $0 + weightDecay * $1 }
        step += 1
        let b1c = 1 - pow(0.9, Double(step)), b2c = 1 - pow(0.999, Double(step))
        var delta2 = [Double](repeating: 0, count: g.count)
        for k in 0..<g.count {
            m[k] = 0.9 * m[k] + 0.1 * g[k]
            s[k] = 0.999 * s[k] + 0.001 * g[k] * g[k]
            delta2[k] = -learningRate * (m[k] / b1c) / ((s[k] / b2c).squareRoot() + 1e-8)
        }
        var k = 0
        for q in 0..<net.w1.values.count { net.w1.values[q] += delta2[k]; k += 1 }
        for q in 0..<h { net.b1[q] += delta2[k]; k += 1 }
        for q in 0..<h { net.w2[q] += delta2[k]; k += 1 }
        net.b2 += delta2[k]; k += 1
        for q in 0..<net.v.count { net.v[q] += delta2[k]; k += 1 }
    }
}
