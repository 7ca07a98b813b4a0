import Foundation

/// `simulation.html`: the digital twin's page, self-contained like the run's report: the
/// totals, the regret per day, the planned against the realised net import, the energy the
/// batteries hold planned against realised, the re-plans that failed and the limits breached.
public enum SimulationReport {
    /// What the page shows; the series run over all days, step by step.
    public struct Input: Sendable {
        public var scenario: String
        public var strategy: String
        public var everyMinutes: Int?
        public var currency: String
        public var imbalancePrice: Double
        public var realisedCost: Double
        public var perfectCost: Double
        public var solves: Int
        public var solveSeconds: Double
        /// Per day: its first time, realised and hindsight-optimal cost.
        public var days: [(day: String, realised: Double, perfect: Double)]
        /// Each step's start over all days, and per step the plan's and the twin's net import and stored energy.
        public var times: [String]
        public var plannedImportKW: [Double]
        public var realisedImportKW: [Double]
        public var plannedStoredKWh: [Double]
        public var realisedStoredKWh: [Double]
        public var failedPlans: [String]
        public var breaches: [String]

        public init(scenario: String, strategy: String, everyMinutes: Int?, currency: String, imbalancePrice: Double, realisedCost: Double,
                    perfectCost: Double, solves: Int, solveSeconds: Double, days: [(day: String, realised: Double, perfect: Double)],
                    times: [String], plannedImportKW: [Double], realisedImportKW: [Double], plannedStoredKWh: [Double],
                    realisedStoredKWh: [Double], failedPlans: [String], breaches: [String]) {
            self.scenario = scenario
            self.strategy = strategy
            self.everyMinutes = everyMinutes
            self.currency = currency
            self.imbalancePrice = imbalancePrice
            self.realisedCost = realisedCost
            self.perfectCost = perfectCost
            self.solves = solves
            self.solveSeconds = solveSeconds
            self.days = days
            self.times = times
            self.plannedImportKW = plannedImportKW
            self.realisedImportKW = realisedImportKW
            self.plannedStoredKWh = plannedStoredKWh
            self.realisedStoredKWh = realisedStoredKWh
            self.failedPlans = failedPlans
            self.breaches = breaches
        }
    }

    public static func html(_ i: Input, generated: Date = Date()) -> String {
        let currency = escape(i.currency)
        let regret = i.realisedCost - i.perfectCost
        let strategy = i.strategy + (i.everyMinutes.map { " every \($0) min" } ?? "")
        var body = ["<h1>\(escape(i.scenario)) — digital twin, \(escape(strategy))</h1>",
                    "<p class=\"meta\">\(i.days.count) day(s) from \(escape(i.days.first?.day ?? "")) · \(i.solves) plans solved in "
                    + String(format: "%.1f", i.solveSeconds) + " s · imbalance settled at " + String(format: "%.4f", i.imbalancePrice)
                    + " \(currency)/kWh · page written \(ISO8601DateFormatter().string(from: generated))</p>"]
        body.append("<table class=\"summary\"><tr><th>realised cost</th><td>\(RunReport.money(i.realisedCost, currency))</td></tr>"
                    + "<tr><th>hindsight optimum (perfect)</th><td>\(RunReport.money(i.perfectCost, currency))</td></tr>"
                    + "<tr><th>regret</th><td>\(RunReport.money(regret, currency))"
                    + (i.perfectCost != 0 ? String(format: " (%.2f %% of the optimum)", 100 * regret / abs(i.perfectCost)) : "") + "</td></tr></table>")
        let rows = i.days.map { (label: String($0.day.prefix(10)), values: [$0.realised - $0.perfect]) }
        body.append(RunReport.section("Regret per day", BarChart(title: "Realised cost less the hindsight optimum", unit: i.currency, rows: rows,
                                                                 series: [("regret", "#d62728")]).render(),
                                      note: "The day's cost at the flows the twin realised (imbalance included) less the optimum of a plan made knowing the day."))
        var imports = TimeChart(title: "Net import: planned against realised", unit: "kW", times: i.times)
        imports.dayLabels = i.days.count > 1
        let planned = i.strategy == "perfect" ? "planned (the hindsight optimum)" : "planned (the day-ahead nomination)"
        imports.line(i.plannedImportKW, label: planned, color: "#888888", dashed: true)
        imports.line(i.realisedImportKW, label: "realised", color: "#1f77b4")
        body.append(RunReport.section("Grid", imports.render(), note: "Import less export at the park's connection, per step."))
        if i.plannedStoredKWh.contains(where: { $0 != 0 }) || i.realisedStoredKWh.contains(where: { $0 != 0 }) {
            var stored = TimeChart(title: "Energy in the batteries: planned against realised", unit: "kWh", times: i.times)
            stored.dayLabels = i.days.count > 1
            stored.line(i.plannedStoredKWh, label: planned, color: "#888888", dashed: true)
            stored.line(i.realisedStoredKWh, label: "realised", color: "#2ca02c")
            body.append(RunReport.section("Batteries", stored.render(), note: "The sum of every battery's state of charge at the end of each step."))
        }
        let lists = [("Re-plans that failed (the plan in force kept running)", i.failedPlans), ("Limits breached in the realised days", i.breaches)]
        for (title, items) in lists where !items.isEmpty {
            body.append(RunReport.section(title, "<ul>" + items.prefix(50).map { "<li>\(escape($0))</li>" }.joined() + "</ul>",
                                          note: items.count > 50 ? "The first 50 of \(items.count)." : nil))
        }
        return RunReport.page(title: i.scenario, body: body)
    }
}
