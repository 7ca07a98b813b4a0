/// `pv_clearsky`: PV power through a clear-sky envelope learned per plant from its own
/// history — at each hour of the day, the 90th percentile of the power over the last 21
/// days, i.e. what the plant makes under a clear sky at this season, with its own
/// orientation, capacity, clock offsets and shading, and zero at night.
/// - Without drivers: power = envelope × clear-sky index k, where k blends yesterday's
///   index (energy ÷ envelope energy) with the 7-day mean; the blend weight is chosen by
///   day-ahead error over the last 14 days.
/// - With drivers (the first an irradiance such as GHI, the others e.g. air temperature):
///   a linear regression of power on the irradiance at t − 1, t, t + 1 (absorbing clock
///   offsets between the weather and the meter), irradiance × each other driver and
///   irradiance × hinges max(0, knot − driver) at the driver's 10th–90th percentiles (a
///   piecewise-linear response: snow on the panels below freezing, derating in the heat),
///   max(0, irradiance − knot) at its 50th, 70th and 90th percentiles (the inverter's
///   clipping), and the envelope, fitted on the daylight hours of the last 60 or 30 days, or
///   of the last 30 and the same season a year before (``PVTrainingSet``), by least squares
///   or least absolute deviations (training set and fit chosen at each refit: each fitted on
///   the days before the week before the origin and scored on that week by its absolute
///   error), times a performance ratio (yesterday's energy ÷ the model's,
///   blended with 1 by the same validation) that carries snow cover or soiling over; night
///   hours (envelope 0) forecast 0.
/// Intervals: `IntervalCalibration` on the errors of the last 14 days, which scales them
/// with the forecast level (narrow at night and in the morning, wide at noon).
///
/// With a ``SolarSite`` and an irradiance driver the envelope comes from the sun's geometry instead
/// (``SolarGeometry``): the clear-sky irradiance on the panels' plane at every hour of the
/// year, times the plant's factor (the 90th percentile of power ÷ that irradiance over the
/// daylight hours of the last 21 days), so it follows the season day by day rather than
/// lagging the last three weeks; the irradiance driver enters as the irradiance on the
/// panels' plane (beam and diffuse split by Erbs, isotropic sky). A tilt or azimuth the site
/// leaves out is fitted at each refit: the orientation, from 0–60° tilt and east to west
/// through the equator-facing direction,
/// whose plane-of-array irradiance of the driver best explains the power of the last 60 days.
/// Without a driver the learned envelope stays: it holds what the geometry does not know (an
/// inverter that clips at noon, shading in the morning), forecasts about as well as the
/// geometric one on pvdaq_system50, and needs no site.
public struct PVForecaster: ForecastModel {
    public var name: String { "pv_clearsky" }
    /// A day for the envelope and the previous day's index.
    public var minimumHistoryDays: Int { 2 }
    public let drivers: [String]
    public let site: SolarSite?
    var envelope = [Double](repeating: 0, count: 24)
    var blend = 0.5
    var beta: [Double] = []
    var calibration = IntervalCalibration()
    /// The panels' orientation in use (the site's, or fitted) and the plant's factor.
    public private(set) var orientation = (tilt: 0.0, azimuth: 180.0)
    var plantFactor = 0.0
    /// Per further driver, hinge knots (its 10th, 30th, 50th, 70th and 90th percentiles over
    /// the fit's daylight hours): irradiance × max(0, knot − driver), a piecewise-linear
    /// response (panels covered by snow below freezing, derating in the heat).
    var knots: [[Double]] = []
    /// Hinge knots of the irradiance itself (its 50th, 70th and 90th percentiles over the
    /// fit's daylight hours): max(0, irradiance − knot), the inverter's clipping.
    var irradianceKnots: [Double] = []
    /// Whether the geometry is in use (a site and an irradiance driver).
    var geometric: Bool { site != nil && !drivers.isEmpty }

    public init(drivers: [String], site: SolarSite? = nil) {
        self.drivers = drivers
        self.site = site
    }

    /// The hours computed once per refit: the recent windows, the week held out before them
    /// and two weeks after the origin; and the season a year back.
    var recentHours = SunHours(), seasonHours = SunHours()

    /// The cache entry of hour `t`, when one of the two segments holds it.
    func cached(_ t: Int) -> SunHours.Hour? { recentHours[t] ?? seasonHours[t] }

    /// The cached plane-of-array irradiances of hour `t`, when it has them.
    func plane(_ t: Int) -> SunHours.Hour? { cached(t).flatMap { $0.planesSet ? $0 : nil } }

    /// The sun over hour `t` (four quarter-hour positions).
    func sun(_ s: HourlySeries, _ t: Int) -> [SolarGeometry.Position] {
        cached(t)?.sun ?? SolarGeometry.hourPositions(unixSeconds: Double(s.start + t * 3600), site: site!)
    }

    /// Clear-sky irradiance on the panels over hour `t` (W/m²).
    func clearSkyPOA(_ sun: [SolarGeometry.Position], tilt: Double, azimuth: Double) -> Double {
        Self.meanOnPlane(Self.clearSkies(sun), sun, SolarGeometry.Panel(tilt: tilt, azimuth: azimuth))
    }

    /// `ghi` (the hour's mean) on the panels' plane over hour `t`.
    func planeOfArray(_ ghi: Double, _ sun: [SolarGeometry.Position], tilt: Double, azimuth: Double) -> Double {
        Self.meanOnPlane(Self.skies(ghi: ghi, sun), sun, SolarGeometry.Panel(tilt: tilt, azimuth: azimuth))
    }

    /// The clear sky of each quarter hour.
    static func clearSkies(_ sun: [SolarGeometry.Position]) -> [SolarGeometry.Sky?] {
        sun.map { SolarGeometry.sky(ghi: SolarGeometry.clearSkyGHI(cosZenith: $0.cosZenith), sun: $0) }
    }

    /// The sky of each quarter hour from the hour's mean `ghi`: each quarter gets the hour's
    /// clear-sky index, so the hour's mean is kept. Empty when the sun is down all hour.
    static func skies(ghi: Double, _ sun: [SolarGeometry.Position]) -> [SolarGeometry.Sky?] {
        let clearGHI = sun.reduce(0) { $0 + SolarGeometry.clearSkyGHI(cosZenith: $1.cosZenith) }
        guard clearGHI > 0 else { return [] }
        return sun.map { p in
            let share = SolarGeometry.clearSkyGHI(cosZenith: p.cosZenith) / clearGHI * Double(sun.count)
            return SolarGeometry.sky(ghi: ghi * share, sun: p)
        }
    }

    /// The hour's mean irradiance on `panel` from its quarter hours' skies; `cosAzimuth`, when
    /// given, is `panel.cosAzimuthDifference` of each quarter's sun.
    static func meanOnPlane(_ skies: [SolarGeometry.Sky?], _ sun: [SolarGeometry.Position], _ panel: SolarGeometry.Panel,
                            cosAzimuth: [Double]? = nil) -> Double {
        guard !skies.isEmpty else { return 0 }
        var sum = 0.0
        for q in sun.indices {
            guard let sky = skies[q] else { continue }
            sum += SolarGeometry.onPlane(sky, sun: sun[q], panel: panel,
                                         cosAzimuthDifference: cosAzimuth?[q] ?? panel.cosAzimuthDifference(sun[q]))
        }
        return sum / Double(sun.count)
    }

    /// The plant's clear-sky power at hour `t`: the geometric envelope with a site, the
    /// learned hour-of-day envelope without.
    func envelope(_ s: HourlySeries, _ t: Int) -> Double {
        guard geometric else { return envelope[s.localHour[t]] }
        if let cached = plane(t) { return plantFactor * cached.clear }
        return plantFactor * clearSkyPOA(sun(s, t), tilt: orientation.tilt, azimuth: orientation.azimuth)
    }

    /// With a site: the orientation (given, or the best of a grid by the share of the power's
    /// variance a plane-of-array irradiance explains through the origin) and the plant factor.
    mutating func fitGeometry(_ s: HourlySeries, before origin: Int) {
        guard let site, geometric else { return }
        let hours = Array(max(0, origin - 60 * 24)..<origin)
        // The sun over the longest recent window and the week held out before it too, and
        // over the season a year back for both the validation's fit and the origin's.
        let recentFirst = max(0, origin - (Self.longestRecentDays + Self.validationDays) * 24) - 1
        let earlier = [recentHours, seasonHours]
        recentHours = SunHours(s, site: site, hours: recentFirst..<(origin + 14 * 24 + 1), reusing: earlier)
        let year = PVTrainingSet.yearDays * 24, half = PVTrainingSet.seasonHalfWidthDays * 24
        let seasonFirst = max(0, origin - Self.validationDays * 24 - year - half - 1)
        seasonHours = SunHours(s, site: site, hours: seasonFirst..<max(seasonFirst, origin - year + half + 1),
                               reusing: earlier)
        let irradiance = drivers.first.flatMap { s.drivers[$0] }
        let tilts = site.tilt.map { [$0] } ?? stride(from: 0.0, through: 60, by: 10).map { $0 }
        // East to west through the equator-facing direction: south in the northern
        // hemisphere, north in the southern.
        let azimuths = site.azimuth.map { [$0] }
            ?? stride(from: 90.0, through: 270, by: 30).map { site.latitude >= 0 ? $0 : ($0 + 180).truncatingRemainder(dividingBy: 360) }
        // Each hour's quarter-hour skies are split once; each azimuth's angle to the sun once
        // per hour; then every tilt.
        let panels = tilts.map { tilt in azimuths.map { SolarGeometry.Panel(tilt: tilt, azimuth: $0) } }
        var xy = [[Double]](repeating: [Double](repeating: 0, count: azimuths.count), count: tilts.count), xx = xy
        for t in hours {
            guard let y = s.values[t] else { continue }
            let sunT = sun(s, t)
            let skies: [SolarGeometry.Sky?]
            if let irradiance {
                guard let g = irradiance[t] else { continue }
                skies = Self.skies(ghi: g, sunT)
            } else {
                skies = Self.clearSkies(sunT)
            }
            guard skies.contains(where: { $0 != nil }) else { continue }
            for j in azimuths.indices {
                let cosAzimuth = sunT.map { panels[0][j].cosAzimuthDifference($0) }
                for i in tilts.indices {
                    let x = Self.meanOnPlane(skies, sunT, panels[i][j], cosAzimuth: cosAzimuth)
                    xy[i][j] += x * y; xx[i][j] += x * x
                }
            }
        }
        var best = (score: -1.0, tilt: tilts[0], azimuth: azimuths[0])
        for i in tilts.indices {
            for j in azimuths.indices {
                let score = xx[i][j] > 0 ? xy[i][j] * xy[i][j] / xx[i][j] : 0
                if score > best.score { best = (score, tilts[i], azimuths[j]) }
            }
        }
        orientation = (best.tilt, best.azimuth)
        // Each cached hour's irradiances on the panels, once for all the fits of this refit.
        let panel = SolarGeometry.Panel(tilt: best.tilt, azimuth: best.azimuth)
        for segment in [\PVForecaster.recentHours, \PVForecaster.seasonHours] {
            self[keyPath: segment].setPlanes { t, sun in
                let g = t >= 0 ? irradiance.flatMap { t < $0.count ? $0[t] : nil } : nil
                return (Self.meanOnPlane(Self.clearSkies(sun), sun, panel),
                        g.map { ($0, Self.meanOnPlane(Self.skies(ghi: $0, sun), sun, panel)) })
            }
        }
        var ratios: [Double] = []
        for t in hours where t >= origin - 21 * 24 {
            let cs = plane(t)?.clear ?? clearSkyPOA(sun(s, t), tilt: orientation.tilt, azimuth: orientation.azimuth)
            if cs > 100, let y = s.values[t] { ratios.append(Swift.max(0, y) / cs) }
        }
        ratios.sort()
        plantFactor = Quantile.sorted(ratios, 0.9)
    }

    static func envelope(_ s: HourlySeries, before origin: Int) -> [Double] {
        var byHour = [[Double]](repeating: [], count: 24)
        for t in max(0, origin - 21 * 24)..<origin { if let v = s.values[t] { byHour[s.localHour[t]].append(v) } }
        return byHour.map { Swift.max(0, Quantile.sorted($0.sorted(), 0.9)) }
    }

    /// The day's index from hour `start`: its energy ÷ the envelope's energy, or with
    /// drivers ÷ the irradiance model's energy (a performance ratio: snow or soiling on
    /// the panels shows as an index well below 1 that persists).
    func index(_ s: HourlySeries, day start: Int) -> Double? {
        guard start >= 0 else { return nil }
        var e = 0.0, c = 0.0
        let series = driverSeries(s)
        for t in start..<(start + 24) {
            guard let v = s.values[t] else { return nil }
            e += v
            c += beta.isEmpty ? envelope(s, t) : modelled(s, t, series) ?? 0
        }
        return c > 0 ? Swift.min(1.3, Swift.max(0, e / c)) : nil
    }

    func modelled(_ s: HourlySeries, _ t: Int) -> Double? { modelled(s, t, driverSeries(s)) }

    /// `modelled(_:_:)` with the drivers' series looked up once by the caller (`driverSeries`).
    func modelled(_ s: HourlySeries, _ t: Int, _ series: [[Double?]?]) -> Double? {
        guard envelope(s, t) > 0, let x = features(s, t, series) else { return nil }
        return Swift.max(0, zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 })
    }

    func persistence(_ s: HourlySeries, origin: Int, blend w: Double) -> Double {
        persistence(indices: (1...7).map { index(s, day: origin - 24 * $0) }, blend: w)
    }

    /// Yesterday's index (`indices[0]`; the indices of the seven days before the origin,
    /// latest first) blended with weight `w` against the reference level.
    func persistence(indices: [Double?], blend w: Double) -> Double {
        let days = indices.compactMap { $0 }
        // With an irradiance model the reference level is 1 (the model itself).
        let mean = beta.isEmpty ? (days.isEmpty ? 1 : days.reduce(0, +) / Double(days.count)) : 1
        return w * (indices[0] ?? mean) + (1 - w) * mean
    }

    /// The series of each driver, in the order of `drivers` (nil where `s` lacks one).
    func driverSeries(_ s: HourlySeries) -> [[Double?]?] { drivers.map { s.drivers[$0] } }

    func features(_ s: HourlySeries, _ t: Int) -> [Double]? { features(s, t, driverSeries(s)) }

    /// `features(_:_:)` with the drivers' series looked up once by the caller (`driverSeries`).
    func features(_ s: HourlySeries, _ t: Int, _ series: [[Double?]?]) -> [Double]? {
        guard let first = series.first, let g = first else { return nil }
        func at(_ k: Int) -> Double? { k >= 0 && k < g.count ? g[k] : nil }
        guard var g0 = at(t) else { return nil }
        var previous = at(t - 1) ?? g0, next = at(t + 1) ?? g0
        if geometric {
            // Each hour's irradiance on the panels, under that hour's sun (cached per refit
            // for the hours whose driver is given, used while the value is the same).
            let (tilt, azimuth) = orientation
            func onPlane(_ k: Int, _ value: Double) -> Double {
                if let cached = plane(k)?.driver, cached.value == value { return cached.onPlane }
                return planeOfArray(value, sun(s, k), tilt: tilt, azimuth: azimuth)
            }
            previous = onPlane(t - 1, previous)
            next = onPlane(t + 1, next)
            g0 = onPlane(t, g0)
        }
        var x = [previous, g0, next, envelope(s, t)]
        for knot in irradianceKnots { x.append(Swift.max(0, g0 - knot)) }
        for (i, other) in series.dropFirst().enumerated() {
            guard let other, t < other.count, let v = other[t] else { return nil }
            x.append(v * g0)
            for knot in knots[i] { x.append(Swift.max(0, knot - v) * g0) }
        }
        return x
    }

    func point(_ s: HourlySeries, _ t: Int, k: Double) -> Double {
        let cs = envelope(s, t)
        guard cs > 0 else { return 0 }
        if !beta.isEmpty, let m = modelled(s, t) { return m * k }
        return cs * k
    }

    /// The regression's training sets, in order of preference on a tie; one is chosen at each
    /// refit by the error on the ``validationDays`` before the origin (fitted on the days
    /// before them). The season is a candidate only when the history reaches back to it.
    static let trainingSets: [PVTrainingSet] = [.recent(days: 60), .recent(days: 30), .season]
    /// Days held out to choose the training set.
    static let validationDays = 7
    /// The training set in use, from the last refit: the last 60 days, the last 30, or the
    /// season (``PVTrainingSet/season``); the 60 days when none could be scored.
    public private(set) var trainingSet = PVForecaster.trainingSets[0]
    /// The recent window in use (days); nil when the training set is the season.
    public var regressionDays: Int? {
        if case .recent(let days) = trainingSet { return days }
        return nil
    }
    /// Whether the regression is fitted by least absolute deviations rather than least
    /// squares, chosen at each refit with its training set.
    public private(set) var leastAbsolute = false
    /// The longest recent window (days).
    static var longestRecentDays: Int {
        trainingSets.compactMap { if case .recent(let days) = $0 { days } else { nil } }.max() ?? 60
    }

    /// The hinge knots and the regression's coefficients from the daylight hours of `hours`
    /// (none without drivers), by least absolute deviations when `absolute` and that LP
    /// solves, else by least squares; whether least absolute deviations were used.
    @discardableResult
    mutating func fitRegression(_ s: HourlySeries, hours: [Int], absolute: Bool = false) -> Bool {
        beta = []
        knots = []
        irradianceKnots = []
        guard !drivers.isEmpty else { return false }
        let series = driverSeries(s)
        knots = series.dropFirst().map { column in
            var v: [Double] = []
            for t in hours where envelope(s, t) > 0 { if let column, t < column.count, let x = column[t] { v.append(x) } }
            v.sort()
            return v.isEmpty ? [] : [0.1, 0.3, 0.5, 0.7, 0.9].map { Quantile.sorted(v, $0) }
        }
        var irradiance: [Double] = []
        for t in hours where envelope(s, t) > 0 {
            if let x = features(s, t, series) { irradiance.append(x[1]) }
        }
        irradiance.sort()
        irradianceKnots = irradiance.isEmpty ? [] : [0.5, 0.7, 0.9].map { Quantile.sorted(irradiance, $0) }
        var rows: [[Double]] = [], y: [Double] = []
        for t in hours where envelope(s, t) > 0 {
            if let v = s.values[t], let x = features(s, t, series) { rows.append(x); y.append(v) }
        }
        guard rows.count > 48 else { return false }
        // Least absolute deviations by the interior point, as the median's quantile regression.
        if absolute, let median = QuantileRegression.fit(rows, y, tau: 0.5) { beta = median; return true }
        beta = RidgeForecaster.solve(rows, y, lambda: 1e-6, scaled: false) ?? []
        return false
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        envelope = Self.envelope(s, before: origin)
        fitGeometry(s, before: origin)
        trainingSet = Self.trainingSets[0]
        leastAbsolute = false
        if !drivers.isEmpty {
            // The training set and the fit by the week before the origin: each candidate fitted
            // on the days before that week and scored on it, the best refitted up to the origin.
            // In the order of `trainingSets`, least squares before least absolute deviations: a
            // later candidate must do strictly better (a short history, where the windows see
            // the same days, keeps the longer one).
            let week = max(0, origin - Self.validationDays * 24), series = driverSeries(s)
            var best = (set: Self.trainingSets[0], absolute: false, error: Double.infinity)
            for set in Self.trainingSets {
                guard let hours = set.hours(before: week) else { continue }
                for absolute in [false, true] {
                    fitRegression(s, hours: hours, absolute: absolute)
                    guard !beta.isEmpty else { continue }
                    var error = 0.0, count = 0
                    for t in week..<origin {
                        guard let v = s.values[t], let m = modelled(s, t, series) else { continue }
                        error += abs(v - m)
                        count += 1
                    }
                    if count > 0, error / Double(count) < best.error { best = (set, absolute, error / Double(count)) }
                }
            }
            trainingSet = best.set
            leastAbsolute = best.absolute
        }
        let hours = trainingSet.hours(before: origin) ?? Array(max(0, origin - Self.longestRecentDays * 24)..<origin)
        leastAbsolute = fitRegression(s, hours: hours, absolute: leastAbsolute)
        // Day-ahead errors over the last 14 days: the persistence blend and the intervals.
        // Each day's index (the 21 days before the origin) and each hour's forecast at index 1
        // (the 14 days), computed once for all the blends.
        let dayIndex = (0...21).map { $0 >= 2 ? index(s, day: origin - 24 * $0) : nil }
        let unscaled = (0..<(14 * 24)).map { h in origin - 14 * 24 + h >= 0 ? point(s, origin - 14 * 24 + h, k: 1) : 0 }
        var best = (w: 0.5, error: Double.infinity, p50: [Double](), hours: [Int](), actual: [Double]())
        for w in [0.0, 0.25, 0.5, 0.75, 1.0] {
            var p50: [Double] = [], hours: [Int] = [], actual: [Double] = [], error = 0.0
            for d in 1...14 {
                let o = origin - 24 * d
                guard o >= 24 else { continue }
                let k = persistence(indices: (1...7).map { dayIndex[d + $0] }, blend: w)
                for t in o..<(o + 24) {
                    guard let v = s.values[t] else { continue }
                    let p = unscaled[t - (origin - 14 * 24)] * k
                    p50.append(p); hours.append(s.localHour[t]); actual.append(v); error += abs(v - p)
                }
            }
            if error < best.error { best = (w, error, p50, hours, actual) }
        }
        blend = best.w
        calibration.fit(p50: best.p50, hours: best.hours, actual: best.actual)
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        let k = persistence(s, origin: origin, blend: blend)
        return (0..<horizon).map { h in
            let t = origin + h
            let p = point(s, t, k: k)
            guard envelope(s, t) > 0 else { return (0, 0, 0) }
            let r = calibration.interval(p50: p, hour: s.localHour[t])
            return (Swift.max(0, r.p10), r.p50, r.p90)
        }
    }
}

/// The hours `PVForecaster`'s regression is fitted on.
public enum PVTrainingSet: Hashable, Sendable {
    /// The `days` days before the end (the validation week, or the origin).
    case recent(days: Int)
    /// The last 30 days and the 60 days centred on the same date a year before: the sun's
    /// path, the panels' shading and the weather of this season, as a year of history has
    /// them. A candidate only when the history holds that year.
    case season

    static let yearDays = 365
    static let seasonHalfWidthDays = 30

    /// The hours before `end`; nil when the history does not reach back far enough.
    func hours(before end: Int) -> [Int]? {
        switch self {
        case .recent(let days):
            return Array(max(0, end - days * 24)..<end)
        case .season:
            let year = end - Self.yearDays * 24, half = Self.seasonHalfWidthDays * 24
            guard year - half >= 0 else { return nil }
            return Array((year - half)..<(year + half)) + Array(max(0, end - 30 * 24)..<end)
        }
    }
}

/// A run of consecutive hours of a `PVForecaster` refit, with the sun over each (computed
/// once) and, once the orientation is fitted, its irradiances on the panels.
struct SunHours {
    struct Hour {
        /// The sun's four quarter-hour positions.
        var sun: [SolarGeometry.Position]
        /// The clear-sky irradiance on the panels.
        var clear = 0.0
        /// The irradiance driver's value at the refit and that value on the panels.
        var driver: (value: Double, onPlane: Double)?
        /// Whether `clear` and `driver` are set.
        var planesSet = false
    }

    var first = 0
    /// UTC start of hour `first`, seconds since 1970.
    var firstStart = 0
    var hours: [Hour] = []

    init() {}

    /// The hours of `range`, each sun taken from `earlier` segments (the same site's, from the
    /// previous refit) where one holds the same UTC hour, else computed.
    init(_ s: HourlySeries, site: SolarSite, hours range: Range<Int>, reusing earlier: [SunHours] = []) {
        first = range.lowerBound
        firstStart = s.start + first * 3600
        hours = range.map { t in
            let start = s.start + t * 3600
            for segment in earlier {
                let k = (start - segment.firstStart) / 3600
                if start >= segment.firstStart, k < segment.hours.count, (start - segment.firstStart) % 3600 == 0 {
                    return Hour(sun: segment.hours[k].sun)
                }
            }
            return Hour(sun: SolarGeometry.hourPositions(unixSeconds: Double(start), site: site))
        }
    }

    subscript(_ t: Int) -> Hour? {
        let k = t - first
        return k >= 0 && k < hours.count ? hours[k] : nil
    }

    /// Sets every hour's plane-of-array irradiances from its index and sun.
    mutating func setPlanes(_ planes: (Int, [SolarGeometry.Position]) -> (clear: Double, driver: (value: Double, onPlane: Double)?)) {
        for k in hours.indices {
            let p = planes(first + k, hours[k].sun)
            hours[k].clear = p.clear
            hours[k].driver = p.driver
            hours[k].planesSet = true
        }
    }
}
