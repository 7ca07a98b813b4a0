import Foundation

extension Scenario {
    /// The same park over another horizon of the same length: every series a field names
    /// (``seriesNames``) replaced by `values(name)` when it gives one, the others kept; the
    /// horizon starts at `start`, its times written with `utcOffsetSeconds`. Windows keep
    /// their steps. A scenario built in code (no series names) keeps all its series.
    public func withSeries(start: Date, utcOffsetSeconds: Int, _ values: (String) -> [Double]?) -> Scenario {
        var s = self
        s.start = start
        s.times = Self.stepTimes(start: start, stepMinutes: stepMinutes, steps: steps, utcOffsetSeconds: utcOffsetSeconds)
        func series(_ owner: String, _ field: String) -> [Double]? {
            seriesNames["\(owner).\(field)"].flatMap(values).flatMap { $0.count == steps ? $0 : nil }
        }
        if let v = series("park", "importPrice") { s.park.importPrice = v }
        if let v = series("park", "exportPrice") { s.park.exportPrice = v }
        if let v = series("park", "carbonIntensity") { s.park.carbonIntensity = v }
        if let v = series("park", "importLimit") { s.park.importLimit = v }
        if let v = series("park", "exportLimit") { s.park.exportLimit = v }
        func assets(_ list: [Asset]) -> [Asset] {
            list.map { a in Asset(id: a.id, kind: a.kind.withSeries { series(a.id, $0) }) }
        }
        s.park.assets = assets(park.assets)
        s.firms = firms.map { f in
            var firm = f
            if let v = series(f.id, "load") { firm.load = v }
            firm.assets = assets(f.assets)
            return firm
        }
        s.forecasts = []
        return s
    }
}
