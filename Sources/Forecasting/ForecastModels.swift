/// The models by name, as the CLI and scenario files name them.
public enum ForecastModels {
    /// Every model `make` knows, in the order `all` runs them.
    public static let names = ["snaive_day", "snaive_week", "holt_winters", "ridge", "ridge_unscaled", "mlp", "pv_clearsky", "ensemble", "auto"]

    /// A fresh model; nil for an unknown name. `drivers` are the exogenous columns the
    /// models that use drivers (ridge, auto) regress on.
    public static func make(_ name: String, drivers: [String] = []) -> (any ForecastModel)? {
        switch name {
        case "snaive_day": return SeasonalNaive(lag: 24)
        case "snaive_week": return SeasonalNaive(lag: 168)
        case "holt_winters": return DoubleSeasonalHoltWinters()
        case "ridge": return RidgeForecaster(drivers: drivers)
        case "ridge_unscaled": return RidgeForecaster(drivers: drivers, standardized: false)
        case "mlp": return MLPForecaster(drivers: drivers)
        case "pv_clearsky": return PVForecaster(drivers: drivers)
        case "ensemble": return EnsembleForecaster(drivers: drivers)
        case "auto": return AutoForecaster(drivers: drivers)
        default: return nil
        }
    }
}
