import Forecasting
import Foundation

/// Prints `forecast backtest` results: one window's table or JSON array, or the spread over
/// many windows.
enum BacktestReport {
    static func row(_ s: Backtest.Score) -> [String: Any] {
        var r: [String: Any] = ["model": s.model, "mae": s.mae, "rmse": s.rmse, "mase": s.mase, "pinball": s.pinball,
                                "coverage80": s.coverage80, "seconds": s.seconds]
        if let i = s.intraday { r["intraday"] = i.map(leadRow) }
        if let c = s.scenarios { r["scenarios"] = scenarioRow(c) }
        return r
    }

    static func leadRow(_ l: Backtest.IntradayLead) -> [String: Any] {
        ["leadHours": l.leadHours, "dayAheadMASE": l.dayAheadMASE, "correctedMASE": l.correctedMASE, "samples": l.samples,
         "timeConstantHours": l.timeConstantHours]
    }

    static func scenarioRow(_ c: Backtest.ScenarioScore) -> [String: Any] {
        ["samples": c.samples, "days": c.days, "energyScoreCopula": c.copula, "energyScoreIndependent": c.independent,
         "ratio": c.ratio, "shrinkage": c.shrinkage]
    }

    static func emit(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    static func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: max(width, s.count), withPad: " ", startingAt: 0) }

    static func printSingle(_ backtest: Backtest, _ scores: [Backtest.Score], skipped: [(model: String, reason: String)],
                            json: Bool) throws {
        if json {
            try emit(scores.map(row) + skipped.map { ["model": $0.model, "skipped": $0.reason] })
            return
        }
        print("test days \(backtest.days.first!.date) … \(backtest.days.last!.date), MASE scale \(String(format: "%.6g", backtest.scale))")
        let width = max(12, scores.map(\.model.count).max() ?? 0)
        print(pad("model", width) + "          MAE          RMSE         MASE      pinball      cover80  seconds")
        for s in scores {
            print(pad(s.model, width)
                  + String(format: " %12.6g %12.6g %9.6f %12.6g %8.4f %8.3f", s.mae, s.rmse, s.mase, s.pinball, s.coverage80, s.seconds))
        }
        for s in skipped { print(pad(s.model, width) + "  skipped: " + s.reason) }
        printExtras(scores.map { ($0.model, $0.intraday, $0.scenarios) }, width: width, scaled: false)
    }

    /// Intraday MASE by lead and the scenarios' energy scores, when they were measured.
    static func printExtras(_ rows: [(String, [Backtest.IntradayLead]?, Backtest.ScenarioScore?)], width: Int, scaled: Bool) {
        if rows.contains(where: { $0.1 != nil }) {
            print("\nintraday update, MASE by lead hour: day-ahead → corrected (ratio); mean time constant")
            for (model, leads, _) in rows {
                guard let leads else { continue }
                print(pad(model, width) + leads.map {
                    String(format: "  %dh %.4f→%.4f (%.3f)", $0.leadHours, $0.dayAheadMASE, $0.correctedMASE,
                           $0.correctedMASE / $0.dayAheadMASE)
                }.joined() + String(format: "  τ %.2f h", leads.first?.timeConstantHours ?? .nan))
            }
        }
        if rows.contains(where: { $0.2 != nil }) {
            print("\nscenarios, mean energy score\(scaled ? " / MASE scale" : ""): copula, independent, ratio (< 1: copula better), shrinkage")
            for (model, _, c) in rows {
                guard let c else { continue }
                print(pad(model, width) + String(format: " %12.6g %12.6g %7.4f %6.3f  (%d draws, %d days)", c.copula, c.independent,
                                                 c.ratio, c.shrinkage, c.samples, c.days))
            }
        }
    }

    static func printWindows(_ results: [(backtest: Backtest, scores: [Backtest.Score])],
                             skipped: [(model: String, reason: String)], json: Bool) throws {
        let spread = Backtest.spread(results.map(\.scores), scales: results.map(\.backtest.scale))
        if json {
            let windows: [[String: Any]] = results.map { r in
                ["testFirst": r.backtest.days.first!.date, "testLast": r.backtest.days.last!.date, "scale": r.backtest.scale,
                 "scores": r.scores.map(row)]
            }
            let summary: [[String: Any]] = spread.map { s in
                var r: [String: Any] = ["model": s.model, "windows": s.windows, "maseMean": s.maseMean, "maseSD": s.maseSD,
                                        "maseMin": s.maseMin, "maseMax": s.maseMax, "scaledPinballMean": s.scaledPinballMean,
                                        "coverageMean": s.coverageMean, "coverageMin": s.coverageMin,
                                        "coverageMax": s.coverageMax, "seconds": s.seconds]
                if let i = s.intraday { r["intraday"] = i.map(leadRow) }
                if let c = s.scenarios { r["scenarios"] = scenarioRow(c) }
                return r
            }
            try emit(["windows": windows, "summary": summary, "skipped": skipped.map { ["model": $0.model, "reason": $0.reason] }])
            return
        }
        print("\(results.count) windows of 60 test days, last test days \(results.first!.backtest.days.last!.date) … "
              + "\(results.last!.backtest.days.last!.date)")
        let width = max(12, spread.map(\.model.count).max() ?? 0)
        print(pad("model", width) + " windows  MASE mean     sd      min      max  pinball/scale  cover80 mean  min   max   seconds")
        for s in spread {
            print(pad(s.model, width) + String(format: " %7d %9.4f %7.4f %8.4f %8.4f %14.4f %12.3f %5.3f %5.3f %9.2f", s.windows,
                                               s.maseMean, s.maseSD, s.maseMin, s.maseMax, s.scaledPinballMean,
                                               s.coverageMean, s.coverageMin, s.coverageMax, s.seconds))
        }
        for s in skipped { print(pad(s.model, width) + "  skipped in some windows: " + s.reason) }
        printExtras(spread.map { ($0.model, $0.intraday, $0.scenarios) }, width: width, scaled: true)
    }
}
