import Forecasting
import Foundation
import ParkModel

/// A forecaster for a re-plan: the day-ahead forecasts of `base`, each one that has realised
/// values corrected from the re-plan's step on by the error of the steps just before it
/// (`IntradayCorrection`, docs/forecasting.md "Intraday updates"). Only the values before
/// that step are read; the model is named with a `+intraday` suffix.
struct IntradayForecaster: SeriesForecaster {
    let base: any SeriesForecaster
    /// Where the re-plan starts: an instant (the step that holds it), or a step.
    enum Origin { case instant(Date), step(Int) }
    let origin: Origin
    /// nil: `IntradayCorrection.standard(stepMinutes:)` for the request's step.
    let correction: IntradayCorrection?

    func forecast(_ request: ForecastRequest) -> ForecastResponse {
        var response = base.forecast(request)
        let k: Int
        switch origin {
        case .step(let step): k = step
        case .instant(let at):
            let offset = at.timeIntervalSince(request.start) / Double(request.stepMinutes * 60)
            guard offset >= 0, offset < Double(request.steps) else { return response }
            k = Int(offset.rounded(.down))
        }
        guard k >= 1, k < request.steps else { return response }
        let correction = self.correction ?? .standard(stepMinutes: request.stepMinutes)
        for i in response.forecasts.indices {
            var f = response.forecasts[i]
            guard let actual = f.actual, let error = correction.recentError(f.p50, actual: actual, origin: k) else { continue }
            let bounds: ClosedRange<Double> = f.role == "profile" ? 0...1 : 0...Double.infinity
            f.dayAheadP50 = f.p50
            let night = IntradayCorrection.structuralZeros(p10: f.p10, p50: f.p50, p90: f.p90)
            f.p10 = correction.shifted(f.p10, by: error, origin: k, bounds: bounds, fixed: night)
            f.p50 = correction.shifted(f.p50, by: error, origin: k, bounds: bounds, fixed: night)
            f.p90 = correction.shifted(f.p90, by: error, origin: k, bounds: bounds, fixed: night)
            f.model += "+intraday"
            f.notes.append("corrected from step \(k) on by the mean error of the \(correction.window) step(s) before it "
                           + "(\(String(format: "%.4g", error))), decaying with a time constant of \(String(format: "%.3g", correction.timeConstant)) steps")
            response.forecasts[i] = f
        }
        return response
    }
}
