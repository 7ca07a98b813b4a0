import Foundation
import ParkModel

/// `report.html`: one self-contained page (inline CSS and SVG, no scripts, no network,
/// system fonts) that an energy manager reads offline or prints: the park balance, the
/// internal price against the tariff, batteries, flexible loads and shedding, each firm's
/// cost alone and in the park, carbon against the cap, the cost breakdown, the forecasts,
/// and for an infeasible run the explanation first.
public enum RunReport {
    /// The report of `r`; `revision` lines (a re-plan's start, what it replaces, its notes)
    /// open it when given.
    public static func html(scenario s: Scenario, run r: DispatchRun, generated: Date = Date(), revision: [String] = []) -> String {
        var body: [String] = []
        let currency = escape(s.currency)
        let stamp = ISO8601DateFormatter().string(from: generated)
        body.append("<h1>\(escape(s.name)) — \(revision.isEmpty ? "day-ahead dispatch" : "re-plan")</h1>")
        body.append("<p class=\"meta\">\(s.firms.count) firms · \(s.steps) steps of \(s.stepMinutes) min from \(escape(s.times.first ?? "")) · "
                    + "status <b>\(r.status.rawValue)</b> · solved in \(String(format: "%.2f", r.solveSeconds)) s, \(r.iterations) iterations · "
                    + "LP \(r.rows) × \(r.columns) · report written \(stamp)</p>")
        if let head = revision.first {
            body.append("<section><h2>\(escape(head))</h2>" + (revision.count > 1 ? "<ul>" + revision.dropFirst().map { "<li>\(escape($0))</li>" }.joined() + "</ul>" : "") + "</section>")
        }
        if r.status != .optimal && !r.schedule.isEmpty {
            body.append("<section class=\"alert\"><h2>Not proven optimal: the solve stopped at its \(r.status == .timeLimit ? "time" : "iteration") limit</h2>"
                        + "<p>The plan below is the best point the solver reached; its cost may be above the optimum and its limits met only approximately.</p></section>")
        } else if r.status != .optimal {
            body.append("<section class=\"alert\"><h2>No dispatch: the scenario is \(r.status.rawValue)</h2>")
            if r.conflicts.isEmpty {
                body.append("<p>The solver reached no verdict; see the log of the run.</p>")
            } else {
                body.append("<p>These constraints cannot hold together:</p><ul>" + r.conflicts.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
            }
            body.append("</section>")
            return page(title: s.name, body: body)
        }
        let d = ReportSeries(s, r)
        body.append(summaryTable(s, r, currency: currency))
        if r.limits == .soft { body.append(breaches(r, currency: currency)) }
        body.append(section("Park balance", balance(s, d), note: "Supply above zero, use below; the dashed line is the park's import limit, the dot the day's import peak."))
        var price = TimeChart(title: "Internal price λ against the grid tariff", unit: "\(s.currency)/kWh", times: s.times)
        price.line(s.park.importPrice, label: "grid import price", color: "#888888", dashed: true)
        price.line(s.park.exportPrice, label: "grid export price", color: "#bbbbbb", dashed: true)
        price.line(r.internalPrice, label: "internal price λ", color: "#d62728")
        body.append(section("Prices", price.render(), note: "λ is the dual of the park balance per kWh: what one more kWh used inside the park costs at that step."))
        if !d.soc.isEmpty {
            var soc = TimeChart(title: "Battery state of charge", unit: "% of capacity", times: s.times)
            for (k, b) in d.soc.prefix(10).enumerated() { soc.line(b.values, label: b.label, color: palette[k % palette.count]) }
            body.append(section("Batteries", soc.render(), note: d.soc.count > 10 ? "The ten largest of \(d.soc.count) batteries." : nil))
        }
        if !d.flexible.isEmpty {
            let chart = WindowChart(title: "Shiftable loads inside their windows, and electrolyzers", times: s.times,
                                    rows: d.flexible.map { ($0.label, $0.window, $0.values, $0.maxKW, $0.electrolyzer ? "#e377c2" : "#ff7f0e") })
            body.append(section("Flexible loads", chart.render(), note: "Orange: shiftable loads (their energy placed inside the window); pink: electrolyzers (any time)."))
        }
        if d.shedByFirm.contains(where: { $0.value > 1e-6 }) {
            let rows = d.shedByFirm.filter { $0.value > 1e-6 }.sorted { $0.value > $1.value }.map { (label: $0.key, values: [$0.value]) }
            body.append(section("Shed energy", BarChart(title: "Energy shed per firm", unit: "kWh", rows: rows, series: [("shed", "#9467bd")]).render(), note: nil))
        }
        body.append(section("Firms", firms(s, r), note: "Standalone: the firm alone behind its own connection at the grid tariff. In the park: its settlement at λ. Sorted by the firm's gain."))
        body.append(section("Carbon and costs", carbon(s, d) + costs(s, r), note: nil))
        if !s.forecasts.isEmpty { body.append(section("Forecasts", forecasts(s), note: nil)) }
        return page(title: s.name, body: body)
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func section(_ title: String, _ content: String, note: String?) -> String {
        "<section><h2>\(escape(title))</h2>\(note.map { "<p class=\"note\">\(escape($0))</p>" } ?? "")\(content)</section>"
    }

    static func money(_ v: Double?, _ currency: String) -> String {
        guard let v else { return "n/a" }
        return String(format: "%.2f", v).replacingOccurrences(of: #"(\d)(?=(\d{3})+\.)"#, with: "$1 ", options: .regularExpression) + " " + currency
    }

    static func summaryTable(_ s: Scenario, _ r: DispatchRun, currency: String) -> String {
        let standalone = r.standaloneCost.values.compactMap { $0 }.reduce(0, +)
        let rows = [("Total cost in the park", money(r.objective, currency)),
                    ("Sum of standalone costs", r.valueOfCluster == nil ? "n/a" : money(standalone, currency)),
                    ("Value of the cluster", money(r.valueOfCluster, currency)),
                    ("Park residual (peak charge, congestion, park assets)", money(r.parkResidual, currency))]
        return "<table class=\"summary\">" + rows.map { "<tr><th>\(escape($0.0))</th><td>\($0.1)</td></tr>" }.joined() + "</table>"
    }

    /// The limits a plan with soft limits breaches, or that it breaches none.
    static func breaches(_ r: DispatchRun, currency: String) -> String {
        guard !r.breaches.isEmpty else {
            return section("Limits", "<p>Soft limits: the plan meets every limit.</p>", note: nil)
        }
        let rows = r.breaches.map { "<tr><td>\(escape($0.description))</td><td>\(money($0.cost, currency))</td></tr>" }.joined()
        return "<section class=\"alert\"><h2>Limits breached</h2><p class=\"note\">Soft limits: each breach is priced "
            + "(scenario park.breachPrices); the plan breaches these because no plan can meet them or meeting them costs more.</p>"
            + "<table><tr><th>Breach</th><th>Cost</th></tr>\(rows)</table></section>"
    }

    static func balance(_ s: Scenario, _ d: ReportSeries) -> String {
        var c = TimeChart(title: "Park balance", unit: "kW", times: s.times)
        c.height = 380
        c.stack([("grid import", "#7f7f7f", d.importKW), ("PV", "#f2c200", d.pv), ("wind", "#2ca02c", d.wind),
                 ("battery discharge", "#1f77b4", d.discharge), ("load shed", "#9467bd", d.shed)], sign: 1)
        c.stack([("firm loads", "#8c564b", d.load), ("battery charge", "#17becf", d.charge),
                 ("shiftable loads", "#ff7f0e", d.shiftable), ("electrolyzers", "#e377c2", d.electrolyzer),
                 ("grid export", "#bcbd22", d.exportKW)], sign: -1)
        c.marker(s.park.importMaxKW, label: "import limit \(tickText(s.park.importMaxKW)) kW", color: "#d62728")
        if let peak = d.importKW.indices.max(by: { d.importKW[$0] < d.importKW[$1] }) {
            c.point(step: peak, value: d.importKW[peak], label: "peak \(tickText(d.importKW[peak])) kW", color: "#d62728")
        }
        return c.render()
    }

    static func firms(_ s: Scenario, _ r: DispatchRun) -> String {
        let rows = s.firms.map { firm -> (label: String, values: [Double], gain: Double) in
            let alone = (r.standaloneCost[firm.id] ?? nil) ?? .nan
            let park = r.settlement[firm.id] ?? .nan
            let gain = alone - park
            return ("\(firm.name) (\(firm.id))" + (gain.isNaN ? "" : " · gain \(tickText(gain))"), [alone, park], gain)
        }.sorted { ($0.gain.isNaN ? -Double.infinity : $0.gain) > ($1.gain.isNaN ? -Double.infinity : $1.gain) }
        return BarChart(title: "Cost per firm: standalone against in the park", unit: s.currency,
                        rows: rows.map { ($0.label, $0.values) },
                        series: [("standalone", "#7f7f7f"), ("in the park (settlement)", "#1f77b4")]).render()
    }

    static func carbon(_ s: Scenario, _ d: ReportSeries) -> String {
        guard let intensity = s.park.carbonIntensity else { return "<p>The scenario has no carbon intensity.</p>" }
        var cumulative: [Double] = []
        var total = 0.0
        for t in 0..<s.steps { total += intensity[t] * d.importKW[t] * s.stepHours; cumulative.append(total) }
        var c = TimeChart(title: "Emissions of the park's imports, cumulative", unit: "kg CO₂", times: s.times)
        c.line(cumulative, label: "cumulative emissions", color: "#555555")
        if let cap = s.park.carbonCapKg { c.marker(cap, label: "cap \(tickText(cap)) kg", color: "#d62728") }
        return c.render()
    }

    static func costs(_ s: Scenario, _ r: DispatchRun) -> String {
        let rows = r.parts.sorted { $0.key < $1.key }.map { (label: $0.key, values: [$0.value]) }
        return BarChart(title: "Cost breakdown of the park optimum", unit: s.currency, rows: rows, series: [("cost", "#1f77b4")]).render()
    }

    static func forecasts(_ s: Scenario) -> String {
        var out = ""
        let loads = s.forecasts.filter { $0.role == "load" }
        if !loads.isEmpty {
            func sum(_ key: KeyPath<SeriesForecast, [Double]>) -> [Double] {
                (0..<s.steps).map { t in loads.reduce(0) { $0 + $1[keyPath: key][t] } }
            }
            var c = TimeChart(title: "Forecast park load (sum of the forecast firm loads)", unit: "kW", times: s.times)
            c.line(sum(\.p10), label: "Σ P10", color: "#9ecae1", dashed: true)
            c.line(sum(\.p90), label: "Σ P90", color: "#9ecae1", dashed: true)
            c.line(sum(\.p50), label: "Σ P50 (dispatched)", color: "#1f77b4")
            if loads.allSatisfy({ $0.actual != nil }) {
                c.line((0..<s.steps).map { t in loads.reduce(0) { $0 + $1.actual![t] } }, label: "realised", color: "#d62728")
            }
            out += c.render()
        }
        out += "<table><tr><th>series</th><th>model</th><th>history</th><th>MAE against the realised day</th></tr>"
        for f in s.forecasts {
            out += "<tr><td>\(escape(f.series))</td><td>\(escape(f.model))</td><td>\(f.historyHours) h from \(escape(f.historyFile))</td>"
                + "<td>\(f.maeAgainstActual.map { tickText($0) } ?? "—")</td></tr>"
        }
        return out + "</table>"
    }

    static func page(title: String, body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(escape(title)) — FlexDispatch report</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;max-width:1220px;margin:0 auto;padding:16px 20px;color:#222;background:#fff}
        h1{font-size:24px;margin:8px 0}h2{font-size:18px;margin:24px 0 6px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .meta,.note{color:#555;font-size:13px}.chart{width:100%;height:auto;display:block}
        .title{font-size:14px;font-weight:600;fill:#222}.tick{font-size:11px;fill:#444}.axis{font-size:12px;fill:#444}
        .grid{stroke:#e5e5e5;stroke-width:1}.zero{stroke:#999;stroke-width:1}
        .legend{font-size:12px;margin:2px 0 10px 78px}.key{margin-right:14px;white-space:nowrap}
        .swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px}
        table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
        .summary th{background:#f5f5f5}.alert{border:2px solid #d62728;background:#fff3f3;padding:8px 16px;margin:16px 0}
        .alert h2{color:#d62728;border:none}
        @media print{body{max-width:none;padding:0}section{break-inside:avoid}}
        </style></head><body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }
}
