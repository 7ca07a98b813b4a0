import Foundation

/// A time-series chart drawn as inline SVG: axes with units, time labels on the park's
/// clock, grid lines, lines, stacked areas (up and down from zero), horizontal markers and a
/// legend. No scripts, no external fonts: the SVG is part of a self-contained HTML file.
struct TimeChart {
    var title: String
    var unit: String
    /// Step start times as written in the scenario (ISO-8601 with the park's offset).
    var times: [String]
    var width = 1180.0, height = 320.0
    /// Label the time axis with the day (MM-DD) instead of the hour: a chart over many days.
    var dayLabels = false
    let left = 78.0, right = 16.0, top = 34.0, bottom = 46.0
    private var elements: [String] = []
    private var legend: [(label: String, color: String, dashed: Bool)] = []
    private var low = 0.0, high = 0.0

    init(title: String, unit: String, times: [String]) {
        self.title = title
        self.unit = unit
        self.times = times
    }

    var steps: Int { max(times.count, 1) }
    func x(_ t: Double) -> Double { left + (width - left - right) * t / Double(steps) }
    func y(_ v: Double) -> Double {
        let span = high > low ? high - low : 1
        return top + (height - top - bottom) * (1 - (v - low) / span)
    }

    private mutating func extend(_ values: [Double]) {
        for v in values where v.isFinite { low = min(low, v); high = max(high, v) }
    }

    /// A step line (each value held over its step).
    mutating func line(_ values: [Double], label: String, color: String, dashed: Bool = false) {
        extend(values)
        pending.append(.line(values, color, dashed))
        legend.append((label, color, dashed))
    }

    /// Layers stacked upwards (`sign` 1) or downwards (`sign` −1) from zero.
    mutating func stack(_ layers: [(label: String, color: String, values: [Double])], sign: Double) {
        var base = [Double](repeating: 0, count: times.count)
        for layer in layers where layer.values.contains(where: { abs($0) > 1e-9 }) {
            let top = zip(base, layer.values).map { $0 + sign * max($1, 0) }
            extend(top)
            pending.append(.area(base, top, layer.color))
            legend.append((layer.label, layer.color, false))
            base = top
        }
    }

    /// A horizontal reference line, e.g. the grid limit or a cap.
    mutating func marker(_ value: Double, label: String, color: String) {
        extend([value])
        pending.append(.hline(value, color, label))
    }

    /// A dot with a label at (step, value), e.g. the peak.
    mutating func point(step: Int, value: Double, label: String, color: String) {
        extend([value])
        pending.append(.dot(step, value, color, label))
    }

    private enum Shape {
        case line([Double], String, Bool)
        case area([Double], [Double], String)
        case hline(Double, String, String)
        case dot(Int, Double, String, String)
    }
    private var pending: [Shape] = []

    func path(_ values: [Double]) -> String {
        var d = ""
        for (t, v) in values.enumerated() {
            d += (t == 0 ? "M" : "L") + f(x(Double(t))) + "," + f(y(v)) + "L" + f(x(Double(t + 1))) + "," + f(y(v))
        }
        return d
    }

    func render() -> String {
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" "
                   + "aria-label=\"\(escape(title))\" class=\"chart\">"]
        out.append("<text x=\"\(f(left))\" y=\"18\" class=\"title\">\(escape(title))</text>")
        // Y axis: five ticks over a padded range.
        let ticks = niceTicks(low, high)
        for v in ticks {
            out.append("<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" class=\"grid\"/>")
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" class=\"tick\" text-anchor=\"end\">\(tickText(v))</text>")
        }
        out.append("<text transform=\"translate(14,\(f((top + height - bottom) / 2))) rotate(-90)\" class=\"axis\" text-anchor=\"middle\">\(escape(unit))</text>")
        // X axis: a label every 3 hours of the park's clock (from the scenario's own times).
        let every = max(1, times.count / 8)
        for t in stride(from: 0, to: times.count, by: every) {
            let label = dayLabels ? String(times[t].dropFirst(5).prefix(5)) : clock(times[t])
            out.append("<line x1=\"\(f(x(Double(t))))\" x2=\"\(f(x(Double(t))))\" y1=\"\(f(top))\" y2=\"\(f(height - bottom))\" class=\"grid\"/>")
            out.append("<text x=\"\(f(x(Double(t))))\" y=\"\(f(height - bottom + 16))\" class=\"tick\" text-anchor=\"middle\">\(label)</text>")
        }
        let offset = times.first.map { String($0.suffix(6)) } ?? ""
        let span = dayLabels ? "\(times.first.map { String($0.prefix(10)) } ?? "") … \(times.last.map { String($0.prefix(10)) } ?? "")"
            : times.first.map { String($0.prefix(10)) } ?? ""
        out.append("<text x=\"\(f(width - right))\" y=\"\(f(height - 8))\" class=\"axis\" text-anchor=\"end\">time (UTC\(offset)) · \(span)</text>")
        for shape in pending {
            switch shape {
            case .area(let base, let topValues, let color):
                var d = path(topValues)
                for t in stride(from: base.count - 1, through: 0, by: -1) {
                    d += "L" + f(x(Double(t + 1))) + "," + f(y(base[t])) + "L" + f(x(Double(t))) + "," + f(y(base[t]))
                }
                out.append("<path d=\"\(d)Z\" fill=\"\(color)\" fill-opacity=\"0.85\" stroke=\"none\"/>")
            case .line(let values, let color, let dashed):
                out.append("<path d=\"\(path(values))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>")
            case .hline(let v, let color, let label):
                out.append("<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>")
                out.append("<text x=\"\(f(width - right - 4))\" y=\"\(f(y(v) - 4))\" class=\"tick\" text-anchor=\"end\" fill=\"\(color)\">\(escape(label))</text>")
            case .dot(let t, let v, let color, let label):
                out.append("<circle cx=\"\(f(x(Double(t) + 0.5)))\" cy=\"\(f(y(v)))\" r=\"4\" fill=\"\(color)\"/>")
                let nearRight = x(Double(t) + 0.5) > width - right - 160
                out.append("<text x=\"\(f(x(Double(t) + 0.5) + (nearRight ? -8 : 6)))\" y=\"\(f(y(v) + (nearRight ? 16 : -6)))\" class=\"tick\" "
                           + "text-anchor=\"\(nearRight ? "end" : "start")\" fill=\"\(color)\">\(escape(label))</text>")
            }
        }
        out.append("<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" class=\"zero\"/>")
        out.append("</svg>")
        return out.joined(separator: "\n") + legendHTML()
    }

    func legendHTML() -> String {
        guard !legend.isEmpty else { return "" }
        let items = legend.map { item in
            "<span class=\"key\"><span class=\"swatch\" style=\"background:\(item.color)\(item.dashed ? ";opacity:.6" : "")\"></span>\(escape(item.label))</span>"
        }
        return "<div class=\"legend\">" + items.joined() + "</div>"
    }
}

/// Horizontal bars per category, one or two values each (e.g. standalone cost against the
/// cost in the park), labelled with the category and the numbers.
struct BarChart {
    var title: String
    var unit: String
    var rows: [(label: String, values: [Double])]
    var series: [(label: String, color: String)]

    func render() -> String {
        let rowHeight = 8.0 + 12.0 * Double(series.count), left = 300.0, right = 120.0, top = 30.0, width = 1180.0
        let height = top + rowHeight * Double(rows.count) + 30
        let all = rows.flatMap(\.values).filter(\.isFinite)
        let low = min(0, all.min() ?? 0), high = max(0, all.max() ?? 1)
        let span = high > low ? high - low : 1
        func x(_ v: Double) -> Double { left + (width - left - right) * (v - low) / span }
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">",
                   "<text x=\"\(f(left))\" y=\"18\" class=\"title\">\(escape(title))</text>"]
        for v in niceTicks(low, high) {
            out.append("<line x1=\"\(f(x(v)))\" x2=\"\(f(x(v)))\" y1=\"\(f(top))\" y2=\"\(f(height - 24))\" class=\"grid\"/>")
            out.append("<text x=\"\(f(x(v)))\" y=\"\(f(height - 10))\" class=\"tick\" text-anchor=\"middle\">\(tickText(v))</text>")
        }
        out.append("<text x=\"\(f(width - 4))\" y=\"\(f(height - 10))\" class=\"axis\" text-anchor=\"end\">\(escape(unit))</text>")
        for (r, row) in rows.enumerated() {
            let y0 = top + rowHeight * Double(r)
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(y0 + rowHeight / 2 + 4))\" class=\"tick\" text-anchor=\"end\">\(escape(row.label))</text>")
            for (k, v) in row.values.enumerated() where v.isFinite {
                let yb = y0 + 4 + 12 * Double(k), a = x(min(0, v)), b = x(max(0, v))
                out.append("<rect x=\"\(f(a))\" y=\"\(f(yb))\" width=\"\(f(max(b - a, 0.5)))\" height=\"10\" fill=\"\(series[k].color)\"/>")
                out.append("<text x=\"\(f(max(a, b) + 4))\" y=\"\(f(yb + 9))\" class=\"tick\">\(tickText(v))</text>")
            }
        }
        out.append("<line x1=\"\(f(x(0)))\" x2=\"\(f(x(0)))\" y1=\"\(f(top))\" y2=\"\(f(height - 24))\" class=\"zero\"/>")
        out.append("</svg>")
        let legend = series.map { "<span class=\"key\"><span class=\"swatch\" style=\"background:\($0.color)\"></span>\(escape($0.label))</span>" }
        return out.joined(separator: "\n") + "<div class=\"legend\">" + legend.joined() + "</div>"
    }
}

/// Round tick values covering [low, high] (about five).
func niceTicks(_ low: Double, _ high: Double) -> [Double] {
    let span = high - low
    guard span > 0, span.isFinite else { return [low] }
    let raw = span / 5
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var v = (low / step).rounded(.down) * step
    var out: [Double] = []
    while v <= high + 1e-9 * span { if v >= low - 1e-9 * span { out.append(v) }; v += step }
    return out
}

func tickText(_ v: Double) -> String {
    let a = abs(v)
    if a >= 1e6 { return String(format: "%.2fM", v / 1e6) }
    if a >= 1e4 { return String(format: "%.0fk", v / 1e3) }
    if a >= 100 || a == 0 { return String(format: "%.0f", v) }
    if a >= 1 { return String(format: "%.2f", v) }
    return String(format: "%.3f", v)
}

/// HH:MM of a scenario timestamp as written (the park's own clock).
func clock(_ time: String) -> String { time.count >= 16 ? String(time.dropFirst(11).prefix(5)) : time }

func f(_ v: Double) -> String { String(format: "%.1f", v) }

func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// One row per asset over the horizon: its allowed window as a light band and its power
/// as a filled profile scaled to the asset's maximum — shiftable loads inside their
/// windows at a glance.
struct WindowChart {
    var title: String
    var times: [String]
    var rows: [(label: String, window: Range<Int>, values: [Double], maxKW: Double, color: String)]

    func render() -> String {
        let left = 170.0, right = 16.0, top = 30.0, rowHeight = 22.0, width = 1180.0
        let height = top + rowHeight * Double(rows.count) + 34
        let steps = Double(max(times.count, 1))
        func x(_ t: Double) -> Double { left + (width - left - right) * t / steps }
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">",
                   "<text x=\"\(f(left))\" y=\"18\" class=\"title\">\(escape(title))</text>"]
        let every = max(1, times.count / 8)
        for t in stride(from: 0, to: times.count, by: every) {
            out.append("<line x1=\"\(f(x(Double(t))))\" x2=\"\(f(x(Double(t))))\" y1=\"\(f(top))\" y2=\"\(f(height - 30))\" class=\"grid\"/>")
            out.append("<text x=\"\(f(x(Double(t))))\" y=\"\(f(height - 16))\" class=\"tick\" text-anchor=\"middle\">\(clock(times[t]))</text>")
        }
        for (r, row) in rows.enumerated() {
            let y0 = top + rowHeight * Double(r), base = y0 + rowHeight - 3
            out.append("<rect x=\"\(f(x(Double(row.window.lowerBound))))\" y=\"\(f(y0 + 1))\" width=\"\(f(x(Double(row.window.upperBound)) - x(Double(row.window.lowerBound))))\" height=\"\(f(rowHeight - 3))\" fill=\"#eeeeee\"/>")
            var d = "M\(f(x(0))),\(f(base))"
            for (t, v) in row.values.enumerated() {
                let h = row.maxKW > 0 ? (rowHeight - 5) * min(max(v, 0) / row.maxKW, 1) : 0
                d += "L\(f(x(Double(t)))),\(f(base - h))L\(f(x(Double(t + 1)))),\(f(base - h))"
            }
            d += "L\(f(x(steps))),\(f(base))Z"
            out.append("<path d=\"\(d)\" fill=\"\(row.color)\"/>")
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(y0 + rowHeight / 2 + 4))\" class=\"tick\" text-anchor=\"end\">\(escape(row.label))</text>")
        }
        out.append("<text x=\"\(f(width - right))\" y=\"\(f(height - 2))\" class=\"axis\" text-anchor=\"end\">grey: allowed window · filled: power, full row height = the asset's maximum kW</text>")
        out.append("</svg>")
        return out.joined(separator: "\n")
    }
}
