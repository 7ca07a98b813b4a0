/// The models by name, as the CLI and scenario files name them.
public enum ForecastModels {
    /// Every model `make` knows, in the order `all` runs them.
    public static let names = ["snaive_day", "snaive_week", "holt_winters", "ridge", "ridge_unscaled", "mlp", "pv_clearsky", "ensemble", "auto"]

    /// A fresh model; nil for an unknown name. `drivers` are the exogenous columns the
    /// models that use drivers (ridge, auto) regress on; `site` gives `pv_clearsky` (and
    /// `auto`'s PV candidate) the sun's geometry.
    public static func make(_ name: String, drivers: [String] = [], site: SolarSite? = nil) -> (any ForecastModel)? {
        switch name {
        case "snaive_day": return SeasonalNaive(lag: 24)
        case "snaive_week": return SeasonalNaive(lag: 168)
        case "holt_winters": return DoubleSeasonalHoltWinters()
        case "ridge": return RidgeForecaster(drivers: drivers)
        case "ridge_unscaled": return RidgeForecaster(drivers: drivers, standardized: false)
        case "mlp": return MLPForecaster(drivers: drivers)
        case "pv_clearsky": return PVForecaster(drivers: drivers, site: site)
        case "ensemble": return EnsembleForecaster(drivers: drivers)
        case "auto": return AutoForecaster(drivers: drivers, site: site)
        default: return nil
        }
    }
}

/// The models a scenario, the batch and the backtest can name: the built-in ones
/// (``ForecastModels``) and those an integrator adds. A model added under a built-in
/// model's name replaces it.
///
/// ```swift
/// var catalog = ForecastCatalog()
/// catalog.add("weekly_profile") { _ in WeeklyProfile() }
/// let model = catalog.make("weekly_profile")   // a fresh WeeklyProfile
/// ```
public struct ForecastCatalog: Sendable {
    /// Makes a fresh model for the given driver columns.
    public typealias Factory = @Sendable (_ drivers: [String]) -> any ForecastModel

    private var added: [(name: String, make: Factory)] = []

    /// The built-in models only.
    public init() {}

    /// Adds a model under `name`; a later model of the same name replaces an earlier one.
    public mutating func add(_ name: String, _ make: @escaping Factory) {
        added.removeAll { $0.name == name }
        added.append((name, make))
    }

    /// Every name the catalog knows: the built-in models, then the added ones.
    public var names: [String] { ForecastModels.names.filter { n in !added.contains { $0.name == n } } + added.map(\.name) }

    /// A fresh model; nil for an unknown name. `site` reaches the built-in models only.
    public func make(_ name: String, drivers: [String] = [], site: SolarSite? = nil) -> (any ForecastModel)? {
        if let entry = added.last(where: { $0.name == name }) { return entry.make(drivers) }
        return ForecastModels.make(name, drivers: drivers, site: site)
    }
}
