import DataFiles
import ParkModel

/// The park-level series the report draws, aggregated from a run's tidy schedule and the
/// scenario's asset types.
struct ReportSeries {
    var importKW: [Double], exportKW: [Double]
    var pv: [Double], wind: [Double]
    var charge: [Double], discharge: [Double]
    var shiftable: [Double], electrolyzer: [Double]
    var shed: [Double], load: [Double]
    var soc: [(label: String, values: [Double])] = []
    /// Shiftable loads and electrolyzers: power, allowed window (steps) and maximum kW.
    var flexible: [(label: String, window: Range<Int>, values: [Double], maxKW: Double, electrolyzer: Bool)] = []
    var shedByFirm: [String: Double] = [:]

    init(_ s: Scenario, _ r: DispatchRun) {
        let T = s.steps
        let zero = [Double](repeating: 0, count: T)
        importKW = zero; exportKW = zero; pv = zero; wind = zero; charge = zero; discharge = zero
        shiftable = zero; electrolyzer = zero; shed = zero; load = zero
        for f in s.firms { for t in 0..<T { load[t] += f.load[t] } }
        var kinds: [String: any AssetKind] = [:]
        for a in s.park.assets { kinds[a.id] = a.kind }
        for f in s.firms { for a in f.assets { kinds[a.id] = a.kind } }
        var socs: [String: [Double]] = [:], flex: [String: [Double]] = [:]
        for e in r.schedule {
            let t = e.step
            switch e.variable {
            case .gridImport: importKW[t] += e.value
            case .gridExport: exportKW[t] += e.value
            case .charge: charge[t] += e.value
            case .discharge: discharge[t] += e.value
            case .shed:
                shed[t] += e.value
                shedByFirm[e.owner, default: 0] += e.value * s.stepHours
            case .stateOfCharge: socs[e.asset, default: zero][t] = e.value
            case .generation:
                if kinds[e.asset]?.reportGroup == .wind { wind[t] += e.value } else { pv[t] += e.value }
            case .consumption:
                if kinds[e.asset]?.reportGroup == .electrolyzer { electrolyzer[t] += e.value } else { shiftable[t] += e.value }
                flex[e.asset, default: zero][t] = e.value
            case .exchange: break
            }
        }
        func capacity(_ id: String) -> Double { kinds[id]?.storageCapacityKWh ?? 0 }
        // State of charge in % of each storage's energy capacity, largest first.
        soc = socs.sorted { capacity($0.key) > capacity($1.key) || (capacity($0.key) == capacity($1.key) && $0.key < $1.key) }
            .map { id, values in (id, values.map { capacity(id) > 0 ? 100 * $0 / capacity(id) : 0 }) }
        for (id, values) in flex.sorted(by: { $0.key < $1.key }) {
            guard let kind = kinds[id], let limits = kind.flexibility(steps: T) else { continue }
            flexible.append((id, limits.window, values, limits.maxKW, kind.reportGroup == .electrolyzer))
        }
    }
}
