// A forecasting model of one's own, plugged in through the public `ForecastModel`
// protocol: scored by the backtest beside the built-in models on the bundled park's
// history, then used by the daily batch for every series the park forecasts.
import FlexDispatch
import Forecasting
import Foundation

/// Each hour of the day: the mean of that hour over the last seven days, with the
/// seven days' spread as its P10–P90 band.
struct SameHourLastWeek: ForecastModel {
    var name: String { "same_hour_last_week" }
    var minimumHistoryDays: Int { 7 }

    mutating func fit(_ series: HourlySeries, origin: Int) {}

    func forecast(_ series: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        (0..<horizon).map { h in
            let values = (1...7).compactMap { day -> Double? in
                let t = origin + h % 24 - 24 * day
                return t >= 0 && t < origin ? series.values[t] : nil
            }.sorted()
            guard !values.isEmpty else { return (0, 0, 0) }
            let mean = values.reduce(0, +) / Double(values.count)
            return (min(mean, values[values.count / 10]), mean, max(mean, values[values.count - 1 - values.count / 10]))
        }
    }
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../..").standardizedFileURL
let park = root.appendingPathComponent("datasets/ordos-park")

do {
    // 1. The backtest: the same protocol and days for every model.
    let history = try HistoryReader.read(path: park.appendingPathComponent("history/history.csv").path, column: "f01_load")
    let backtest = try Backtest(history, testDays: 14)
    print("backtest of f01_load over \(backtest.days.count) days (MASE, lower is better):")
    var models: [any ForecastModel] = [SameHourLastWeek(), SeasonalNaive(lag: 24), SeasonalNaive(lag: 168), DoubleSeasonalHoltWinters()]
    for k in models.indices {
        let score = try backtest.run(&models[k])
        print("  \(score.model.padding(toLength: 22, withPad: " ", startingAt: 0)) MASE \(String(format: "%.3f", score.mase))"
              + "  P10–P90 coverage \(String(format: "%.0f", 100 * score.coverage80)) %")
    }

    // 2. The daily batch with the model in its catalog, named by the scenario.
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("own-forecast-model-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: work) }
    let scenario = work.appendingPathComponent("ordos-park")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: park, to: scenario)
    let json = scenario.appendingPathComponent("scenario.json")
    guard var root = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any],
          var forecast = root["forecast"] as? [String: Any] else {
        print("\(json.path): no \"forecast\" object")
        exit(1)
    }
    forecast["model"] = "same_hour_last_week"
    root["forecast"] = forecast
    try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]).write(to: json)

    var options = DailyBatch.Options()
    options.outputDirectory = work.appendingPathComponent("out").path
    options.forecastModels.add("same_hour_last_week") { _ in SameHourLastWeek() }
    let outcome = try DailyBatch.run(scenarioDirectory: scenario.path, options: options)
    let byModel = Dictionary(grouping: outcome.scenario.forecasts, by: \.model).mapValues(\.count)
    print("daily batch: \(outcome.run.status.rawValue), cost \(String(format: "%.0f", outcome.run.objective ?? .nan)) \(outcome.scenario.currency);"
          + " series forecast by model: \(byModel.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    guard byModel["same_hour_last_week"] == outcome.scenario.forecasts.count, !outcome.scenario.forecasts.isEmpty else {
        print("the batch did not use the model")
        exit(1)
    }
} catch let failure as DailyBatch.Failure {
    print(failure.description)
    exit(failure.exitStatus)
} catch {
    print("\(error)")
    exit(1)
}
