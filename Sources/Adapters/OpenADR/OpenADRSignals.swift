import Foundation
import OpenADRAPI

/// OpenADR events as the park's signal series. PRICE is the import price, EXPORT_PRICE the
/// export price (currency per kWh), IMPORT_CAPACITY_LIMIT and EXPORT_CAPACITY_LIMIT the
/// connection limits (kW; W or MW when the event's payload descriptor says so), GHG the grid's carbon intensity (g/kWh, given here in kg/kWh as
/// the park model uses). An interval without its own period takes the event's: the event's
/// start plus its position times the duration. Where events of one kind overlap, the one
/// with the lower `priority` number wins, then the later by `VENEvents.isOlder` (modified
/// last, then created last, then the id that sorts last with digits as numbers) — so an
/// update or a more urgent event overrides, nothing is counted twice, and events made in
/// the same second resolve the same way whatever order they are listed in.
public enum OpenADRSignals {
    static let kinds: [String: (Signal.Kind, Double)] = [
        "PRICE": (.importPrice, 1), "EXPORT_PRICE": (.exportPrice, 1),
        "IMPORT_CAPACITY_LIMIT": (.importLimit, 1), "EXPORT_CAPACITY_LIMIT": (.exportLimit, 1), "GHG": (.carbonIntensity, 0.001),
    ]

    struct Candidate {
        var signal: Signal
        var priority: Int
        var event: Components.Schemas.Event

        /// Whether `self` wins over `other` where both cover a stretch.
        func wins(over other: Candidate) -> Bool {
            priority != other.priority ? priority < other.priority : VENEvents.isOlder(other.event, event)
        }
    }

    public static func signals(_ events: [Components.Schemas.Event], from: Date, to: Date) -> [Signal] {
        var candidates: [Candidate] = []
        for e in events {
            let base = e.value2.intervalPeriod
            // Capacity limits in the units the event's descriptor gives (kW when none).
            var scale: [String: Double] = [:]
            for d in e.value2.payloadDescriptors ?? [] {
                switch d.units?.uppercased() {
                case "W": scale[d.payloadType] = 0.001
                case "MW": scale[d.payloadType] = 1000
                default: break
                }
            }
            for (k, interval) in (e.value2.intervals ?? []).enumerated() {
                let own = interval.intervalPeriod
                guard let seconds = (own?.duration ?? base?.duration).flatMap(VTNValidation.seconds), seconds > 0 else { continue }
                let start: Date
                if let s = own?.start { start = s } else if let s = base?.start { start = s.addingTimeInterval(Double(k) * seconds) } else { continue }
                for p in interval.payloads {
                    guard let (kind, factor) = kinds[p._type],
                          let v = p.values.first.flatMap({ $0.value1 ?? $0.value2.map(Double.init) }), v.isFinite else { continue }
                    let unit = (kind == .importLimit || kind == .exportLimit) ? scale[p._type] ?? 1 : 1
                    candidates.append(Candidate(signal: Signal(kind: kind, start: start, end: start.addingTimeInterval(seconds), value: v * factor * unit),
                                                priority: e.value2.priority ?? Int.max, event: e))
                }
            }
        }
        var out: [Signal] = []
        for kind in Set(candidates.map(\.signal.kind)).sorted(by: { $0.rawValue < $1.rawValue }) {
            let own = candidates.filter { $0.signal.kind == kind }
            let cuts = Set(own.flatMap { [$0.signal.start, $0.signal.end] } + [from, to]).filter { $0 >= from && $0 <= to }.sorted()
            for (a, b) in zip(cuts, cuts.dropFirst()) {
                let covering = own.filter { $0.signal.start <= a && $0.signal.end >= b }
                guard let best = covering.min(by: { $0.wins(over: $1) }) else { continue }
                if var last = out.last, last.kind == kind, last.end == a, last.value == best.signal.value {
                    last.end = b
                    out[out.count - 1] = last
                } else {
                    out.append(Signal(kind: kind, start: a, end: b, value: best.signal.value))
                }
            }
        }
        return out
    }
}
