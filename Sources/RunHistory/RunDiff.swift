import Foundation

/// What changed between two stored runs, in lines for `flexdispatch runs diff`: inputs
/// (scenario hash, solver settings, program version), then results (objective and parts,
/// value of the cluster, each firm's settlement and standalone cost, internal prices,
/// schedules, forecast models). Numbers within `tolerance` (relative) count as equal.
public enum RunDiff {
    public static func lines(_ a: RunDetail, _ b: RunDetail, tolerance: Double = 1e-9) -> [String] {
        var out: [String] = []
        func same(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (nil, nil): return true
            case let (x?, y?): return abs(x - y) <= tolerance * max(1, abs(x), abs(y))
            default: return false
            }
        }
        func text(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "n/a" }
        func change(_ x: Double?, _ y: Double?) -> String {
            guard let x, let y else { return "\(text(x)) → \(text(y))" }
            return "\(text(x)) → \(text(y)) (\(y - x >= 0 ? "+" : "")\(String(format: "%.6f", y - x)))"
        }
        out.append("inputs:")
        for field in ["scenario", "scenario_hash", "solver_settings", "program_version", "status"] {
            let x = a.field(field) ?? "", y = b.field(field) ?? ""
            out.append(x == y ? "  \(field): same" : "  \(field): \(x) → \(y)")
        }
        out.append("results:")
        for field in ["objective", "value_of_cluster", "park_residual"] {
            let x = a.field(field).flatMap(Double.init), y = b.field(field).flatMap(Double.init)
            out.append(same(x, y) ? "  \(field): same (\(text(x)))" : "  \(field): \(change(x, y))")
        }
        for part in Set(a.parts.keys).union(b.parts.keys).sorted() where !same(a.parts[part], b.parts[part]) {
            out.append("  part \(part): \(change(a.parts[part], b.parts[part]))")
        }
        var firmChanges: [(String, Double)] = []
        for id in Set(a.firms.keys).union(b.firms.keys).sorted() {
            let x = a.firms[id], y = b.firms[id]
            if !same(x?.settlement ?? nil, y?.settlement ?? nil) || !same(x?.standaloneCost ?? nil, y?.standaloneCost ?? nil) {
                firmChanges.append((id, abs((y?.settlement ?? nil ?? 0) - (x?.settlement ?? nil ?? 0))))
            }
        }
        out.append("  firms with a changed settlement or standalone cost: \(firmChanges.count) of \(Set(a.firms.keys).union(b.firms.keys).count)")
        for (id, _) in firmChanges.sorted(by: { $0.1 > $1.1 }).prefix(10) {
            out.append("    \(id): settlement \(change(a.firms[id]?.settlement ?? nil, b.firms[id]?.settlement ?? nil)), "
                       + "standalone \(change(a.firms[id]?.standaloneCost ?? nil, b.firms[id]?.standaloneCost ?? nil))")
        }
        let steps = max(a.internalPrice.count, b.internalPrice.count)
        var worst = (step: -1, delta: 0.0)
        for t in 0..<steps {
            let x = t < a.internalPrice.count ? a.internalPrice[t] : nil, y = t < b.internalPrice.count ? b.internalPrice[t] : nil
            if !same(x, y) { let d = abs((y ?? 0) - (x ?? 0)); if d >= worst.delta { worst = (t, d) } }
        }
        out.append(worst.step < 0 ? "  internal price: same at every step"
                   : "  internal price: largest change \(String(format: "%.6f", worst.delta)) at step \(worst.step)")
        if a.importPrice != b.importPrice { out.append("  import price series differs (an input change)") }
        var changed: [(String, Double)] = []
        for key in Set(a.scheduleValues.keys).union(b.scheduleValues.keys) {
            let x = a.scheduleValues[key] ?? [], y = b.scheduleValues[key] ?? []
            var d = x.count == y.count ? 0.0 : Double.infinity
            if x.count == y.count { for t in x.indices where !same(x[t], y[t]) { d = max(d, abs(x[t] - y[t])) } }
            if d > 0 { changed.append((key, d)) }
        }
        out.append("  schedule series changed: \(changed.count) of \(Set(a.scheduleValues.keys).union(b.scheduleValues.keys).count)")
        for (key, d) in changed.sorted(by: { $0.1 > $1.1 }).prefix(10) { out.append("    \(key): largest change \(String(format: "%.4f", d))") }
        for series in Set(a.forecastModels.keys).union(b.forecastModels.keys).sorted() where a.forecastModels[series] != b.forecastModels[series] {
            out.append("  forecast \(series): \(a.forecastModels[series] ?? "none") → \(b.forecastModels[series] ?? "none")")
        }
        return out
    }
}
