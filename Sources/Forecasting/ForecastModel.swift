/// A day-ahead forecasting model under the backtest protocol: `fit` on all data before an
/// origin (on refit days), then `forecast` the hours of the target day from data strictly
/// before the origin.
public protocol ForecastModel {
    var name: String { get }
    /// (Re)estimates parameters from `series.values[0..<origin]`.
    mutating func fit(_ series: HourlySeries, origin: Int)
    /// P10, P50, P90 for hours origin ..< origin + horizon; uses only data before `origin`.
    func forecast(_ series: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)]
    /// The model that actually forecasts after the last fit (`auto` names its choice).
    var fittedName: String { get }
    /// Day-ahead MAE on days the last fit held out (or forecast before seeing), when the
    /// model measured one; the ensemble admits its members by it.
    var heldOutMAE: Double? { get }
    /// Whole days of history before the first origin the model needs: its longest lag and
    /// the data its fit estimates from. `Forecaster.run` and `Backtest.run` refuse a shorter
    /// history with `InsufficientHistory` instead of forecasting from nothing.
    var minimumHistoryDays: Int { get }
    /// What the last fit wants its user to know (e.g. `auto` left candidates out for want of
    /// history); empty when there is nothing to say.
    var notes: [String] { get }
}

extension ForecastModel {
    public var fittedName: String { name }
    public var heldOutMAE: Double? { nil }
    /// One day unless the model says otherwise.
    public var minimumHistoryDays: Int { 1 }
    public var notes: [String] { [] }

    /// Throws `InsufficientHistory` when fewer than `minimumHistoryDays` whole days lie
    /// before `origin`.
    public func requireHistory(before origin: Int) throws(InsufficientHistory) {
        guard origin >= minimumHistoryDays * 24 else {
            throw InsufficientHistory(model: name, neededDays: minimumHistoryDays, availableHours: max(origin, 0))
        }
    }
}

/// A model was asked to forecast from less history than it needs.
public struct InsufficientHistory: Error, CustomStringConvertible, Sendable {
    /// The model's name (`snaive_week`, `mlp`, …).
    public let model: String
    /// Its `minimumHistoryDays`.
    public let neededDays: Int
    /// Hours of the series before the (first) origin.
    public let availableHours: Int
    public var description: String {
        let days = Double(availableHours) / 24
        let have = days == days.rounded() ? "\(Int(days)) days" : String(format: "%.1f days", days)
        return "model '\(model)' needs at least \(neededDays) days of history before the forecast, the series has \(have)"
    }
}

/// Seasonal naive: the same hour one day (lag 24) or one week (lag 168) earlier; a missing
/// value falls back one more season. Intervals from the empirical 10 % and 90 % quantiles
/// of its own in-sample errors (estimated at each refit).
public struct SeasonalNaive: ForecastModel {
    public let lag: Int
    public var name: String { lag == 24 ? "snaive_day" : "snaive_week" }
    var q10 = 0.0
    var q90 = 0.0

    public init(lag: Int) { self.lag = lag }

    /// One season to copy and a day of in-sample errors for the interval.
    public var minimumHistoryDays: Int { lag / 24 + 1 }

    func value(_ s: HourlySeries, _ t: Int, before origin: Int) -> Double? {
        var k = t - lag
        while k >= 0 {
            if k < origin, let v = s.values[k] { return v }
            k -= lag
        }
        return nil
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        var errors: [Double] = []
        for t in max(lag, origin - 24 * 7 * 8)..<max(lag, origin) {
            if let y = s.values[t], let f = s.values[t - lag] { errors.append(y - f) }
        }
        errors.sort()
        q10 = Quantile.sorted(errors, 0.1)
        q90 = Quantile.sorted(errors, 0.9)
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        (0..<horizon).map { h in
            let p = value(s, origin + h, before: origin) ?? 0
            return (p + q10, p, p + q90)
        }
    }
}

enum Quantile {
    /// Linear-interpolated quantile of sorted data (0 for empty data).
    static func sorted(_ v: [Double], _ q: Double) -> Double {
        guard !v.isEmpty else { return 0 }
        let pos = q * Double(v.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, v.count - 1)
        return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
    }
}
