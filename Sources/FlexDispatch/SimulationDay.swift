import DataFiles
import Forecasting
import Foundation
import LinearProgramming
import ParkModel

extension Simulation {
    /// One day: the measured park, the hindsight optimum, and the strategy carried out by the twin.
    static func simulateDay(_ base: Scenario, history: HistoryDays, request: ForecastRequest, start: Date, offset: Int,
                            options: Options, imbalancePrice: Double) throws -> Day {
        // The measured day: every series the history holds for it, the rest as the scenario gives.
        var missing: [String] = []
        var measured: [String: [Double]] = [:]
        for s in request.series {
            if let v = history.day(s.name, start: start, stepMinutes: base.stepMinutes, steps: base.steps) {
                measured[s.name] = v
            } else {
                missing.append(s.name)
            }
        }
        guard missing.isEmpty else {
            throw DailyBatch.Failure.input(["history: the day from \(ISO8601Formatting.string(start)) lacks values of " + missing.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
                                            + (missing.count > 5 ? " and \(missing.count - 5) more" : "")])
        }
        let actual = base.withSeries(start: start, utcOffsetSeconds: offset) { measured[$0] }
        let label = actual.times.first ?? ""
        var solves = 0, seconds = 0.0, failed: [String] = []
        func attempt(_ s: Scenario) throws -> DispatchRun? {
            let run = try DispatchRun.solve(s, settings: options.settings, limits: .soft, standalone: false)
            solves += 1
            seconds += run.solveSeconds
            guard run.status == .optimal else {
                failed.append("the plan from \(s.times.first ?? "?") ended \(run.status.rawValue)")
                if let dir = ProcessInfo.processInfo.environment["FLEXDISPATCH_DUMP_FAILED"],
                   let lp = try? DispatchFormulation(s, scope: .park, limits: .soft).model.build() {
                    try? MPSWriter.write(lp, to: "\(dir)/simulation-\(s.name)-\(s.start.timeIntervalSince1970).mps")
                }
                return nil
            }
            return run
        }
        func solve(_ s: Scenario) throws -> DispatchRun {
            guard let run = try attempt(s) else {
                throw DailyBatch.Failure.writing("\(label): \(failed.last ?? "a plan failed")")
            }
            return run
        }
        let perfect = try solve(actual)
        let perfectCost = perfect.objective ?? 0
        var twin = ParkTwin(actual: actual)
        let parts: [String: Double]
        var first = perfect
        switch options.strategy {
        case .perfect:
            twin.apply(perfect, of: actual, steps: actual.steps)
            parts = twin.settlement(nominated: netImport(perfect, steps: actual.steps), imbalancePrice: imbalancePrice)
        case .dayAhead, .rolling:
            // The day-ahead forecasts, made from the history before the day.
            var dayRequest = request
            dayRequest.start = start
            dayRequest.columns = measured
            let response = HistoryForecaster(models: options.forecastModels).forecast(dayRequest)
            guard response.messages.isEmpty else { throw DailyBatch.Failure.input(response.messages.map { "\(label): \($0)" }) }
            let p50 = options.exactForecasts ? measured : Dictionary(response.forecasts.map { ($0.series, $0.p50) }, uniquingKeysWith: { a, _ in a })
            // PV at night (P10 = P50 = P90 = 0) is left at 0 by the intraday update.
            let nights = options.exactForecasts ? [:] : Dictionary(response.forecasts.map {
                ($0.series, IntradayCorrection.structuralZeros(p10: $0.p10, p50: $0.p50, p90: $0.p90))
            }, uniquingKeysWith: { a, _ in a })
            let roles = Dictionary(response.forecasts.map { ($0.series, $0.role) }, uniquingKeysWith: { a, _ in a })
            let forecastDay = base.withSeries(start: start, utcOffsetSeconds: offset) { p50[$0] ?? measured[$0] }
            let dayAhead = try solve(forecastDay)
            first = dayAhead
            let nominated = netImport(dayAhead, steps: actual.steps)
            if options.strategy == .dayAhead {
                twin.apply(dayAhead, of: forecastDay, steps: actual.steps)
            } else {
                let every = options.everyMinutes / base.stepMinutes
                let update = IntradayCorrection.standard(stepMinutes: base.stepMinutes)
                twin.apply(dayAhead, of: forecastDay, steps: every)
                // A re-plan that fails leaves the plan in force running, as in operation.
                var current = (plan: dayAhead, scenario: forecastDay, first: 0)
                var plannedNet = Array(nominated.prefix(every))
                var k = every
                while k < actual.steps {
                    let realisedNet = zip(twin.imports, twin.exports).map { $0 - $1 }
                    let reserve = options.peakReserveQuantile.map { Self.peakReserve(planned: plannedNet, realised: realisedNet, quantile: $0, stepMinutes: base.stepMinutes) } ?? 0
                    // Forecasts corrected by the error of the measured steps before k.
                    var corrected: [String: [Double]] = [:]
                    for (name, forecast) in p50 {
                        let bounds: ClosedRange<Double> = roles[name] == "profile" ? 0...1 : 0...Double.infinity
                        corrected[name] = update.corrected(forecast, actual: Array((measured[name] ?? []).prefix(k)), origin: k,
                                                           bounds: bounds, fixed: nights[name] ?? [])
                    }
                    var now = base.withSeries(start: start, utcOffsetSeconds: offset) { corrected[$0] ?? measured[$0] }
                    // The re-plan tracks the nominated (day-ahead) schedule at the imbalance price.
                    now.park.nomination = nominated
                    now.park.imbalancePricePerKWh = imbalancePrice
                    var state = twin.state
                    if reserve > 0, let p = state.peakKW { state.peakKW = max(0, p - reserve) }
                    let replan = try now.replanned(from: k, state: state)
                    if let plan = try attempt(replan.scenario) { current = (plan, replan.scenario, k) }
                    let net = netImport(current.plan, steps: current.scenario.steps)
                    plannedNet += (0..<min(every, actual.steps - k)).map { j in net.indices.contains(k - current.first + j) ? net[k - current.first + j] : 0 }
                    twin.apply(current.plan, of: current.scenario, from: k - current.first, steps: every)
                    k += every
                }
            }
            parts = twin.settlement(nominated: nominated, imbalancePrice: imbalancePrice)
        }
        let realised = parts.values.reduce(0, +)
        let planned = first.series(steps: actual.steps).assets
        let batteries = actual.allAssets.filter { $0.kind.storageCapacityKWh != nil }.map(\.id)
        let series = DaySeries(times: actual.times, plannedImportKW: netImport(first, steps: actual.steps),
                               realisedImportKW: zip(twin.imports, twin.exports).map { $0 - $1 },
                               plannedStoredKWh: (0..<actual.steps).map { t in batteries.reduce(0) { $0 + (planned[$1]?[.stateOfCharge]?[t] ?? 0) } },
                               realisedStoredKWh: twin.storedKWh)
        return Day(day: label, realisedCost: realised, perfectCost: perfectCost, regret: realised - perfectCost, parts: parts,
                   solves: solves, solveSeconds: seconds, failedPlans: failed, breaches: breaches(twin), series: series)
    }

    /// How far below the peak so far a re-plan keeps its imports: the `quantile` of the
    /// realised net import's excess over the planned one in the last eight hours of steps
    /// carried out (`planned` and `realised` per step, oldest first).
    static func peakReserve(planned: [Double], realised: [Double], quantile: Double, stepMinutes: Int = 15) -> Double {
        let n = min(planned.count, realised.count), window = max(0, n - 480 / max(1, stepMinutes))
        let excess = (window..<n).map { max(0, realised[$0] - planned[$0]) }.sorted()
        guard !excess.isEmpty else { return 0 }
        return excess[min(excess.count - 1, Int((quantile * Double(excess.count)).rounded(.down)))]
    }

    /// A plan's net import (import − export) per step.
    static func netImport(_ run: DispatchRun, steps: Int) -> [Double] {
        let series = run.series(steps: steps)
        return zip(series.imports, series.exports).map { $0 - $1 }
    }

    /// The limits the realised day breached, in words.
    static func breaches(_ twin: ParkTwin) -> [String] {
        let s = twin.actual, park = s.park
        var out: [String] = []
        let over = twin.imports.indices.filter { twin.imports[$0] > min(park.importMaxKW, park.importLimit?[$0] ?? .infinity) * (1 + 1e-9) + 1e-6 }
        if !over.isEmpty { out.append("park import limit exceeded in \(over.count) step(s)") }
        for f in s.firms {
            let steps = (twin.exchange[f.id] ?? []).filter { abs($0) > f.connectionKW * (1 + 1e-9) + 1e-6 }.count
            if steps > 0 { out.append("firm '\(f.id)': connection exceeded in \(steps) step(s)") }
        }
        for a in s.allAssets {
            if let unmet = a.kind.unmetCommitment(progress: a.kind.progressKind.flatMap { twin.state[$0, a.id] }) {
                out.append("asset '\(a.id)': \(unmet)")
            }
        }
        if let cap = park.carbonCapKg, (twin.state.carbonKg ?? 0) > cap * (1 + 1e-9) + 1e-6 { out.append("park: carbon cap exceeded") }
        return out
    }
}
