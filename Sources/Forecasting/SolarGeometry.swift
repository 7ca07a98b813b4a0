import Foundation

/// Where a PV plant is and how its panels face: what the clear-sky model needs.
public struct SolarSite: Sendable, Equatable, Codable {
    /// Degrees north (−90…90).
    public var latitude: Double
    /// Degrees east (−180…180).
    public var longitude: Double
    /// Panel tilt from horizontal, degrees (0…90); nil: fitted from the plant's history.
    public var tilt: Double?
    /// Panel azimuth, degrees clockwise from north (180 = facing south); nil: fitted.
    public var azimuth: Double?
    /// Hours the series' clock is ahead of UTC when its times carry no offset (e.g. −7 for
    /// a logger on Mountain Standard Time); 0 when the times are UTC or carry their offset.
    public var clockOffsetHours: Double

    public init(latitude: Double, longitude: Double, tilt: Double? = nil, azimuth: Double? = nil, clockOffsetHours: Double = 0) {
        self.latitude = latitude
        self.longitude = longitude
        self.tilt = tilt
        self.azimuth = azimuth
        self.clockOffsetHours = clockOffsetHours
    }

    /// A description of what is wrong, or nil when every field is in range.
    public var problem: String? {
        if !(latitude.isFinite && abs(latitude) <= 90) { return "latitude \(latitude) is not within −90…90" }
        if !(longitude.isFinite && abs(longitude) <= 180) { return "longitude \(longitude) is not within −180…180" }
        if let tilt, !(tilt.isFinite && (0...90).contains(tilt)) { return "tilt \(tilt) is not within 0…90" }
        if let azimuth, !(azimuth.isFinite && (0...360).contains(azimuth)) { return "azimuth \(azimuth) is not within 0…360" }
        if !(clockOffsetHours.isFinite && abs(clockOffsetHours) <= 14) { return "clock offset \(clockOffsetHours) h is not within −14…14" }
        return nil
    }
}

/// The sun's position and clear-sky irradiance, from documented textbook models: Spencer's
/// (1971) Fourier series for the declination, the equation of time and the Earth–Sun
/// distance; the solar constant 1361 W/m²; Haurwitz's (1945) clear-sky global horizontal
/// irradiance, 1098 · cos z · exp(−0.059 / cos z); Erbs et al.'s (1982) diffuse fraction; and
/// the isotropic sky (Liu and Jordan) with ground albedo 0.2 to bring irradiance onto a
/// tilted plane. Accurate to a fraction of a degree, which is ample at hourly resolution.
///
/// ```swift
/// let golden = SolarSite(latitude: 39.74, longitude: -105.18)
/// let noon = SolarGeometry.position(unixSeconds: 1_340_305_200, site: golden)   // 2012-06-21 19:00 UTC
/// let ghi = SolarGeometry.clearSkyGHI(cosZenith: noon.cosZenith)
/// ```
public enum SolarGeometry {
    public static let solarConstant = 1361.0

    /// The sun at an instant: cosine of the zenith angle, azimuth (degrees clockwise from
    /// north) and the extraterrestrial irradiance on a plane normal to the beam (W/m²).
    public struct Position: Sendable, Equatable {
        public var cosZenith: Double
        public var azimuth: Double
        public var extraterrestrial: Double
    }

    public static func position(unixSeconds: Double, site: SolarSite) -> Position {
        let days = unixSeconds / 86400
        let dayOfYear = dayOfYear(days)
        let g = 2 * Double.pi * (dayOfYear - 1 + (days - days.rounded(.down) - 0.5)) / 365
        let declination = 0.006918 - 0.399912 * cos(g) + 0.070257 * sin(g) - 0.006758 * cos(2 * g)
            + 0.000907 * sin(2 * g) - 0.002697 * cos(3 * g) + 0.00148 * sin(3 * g)
        let equationOfTime = 229.18 * (0.000075 + 0.001868 * cos(g) - 0.032077 * sin(g) - 0.014615 * cos(2 * g) - 0.040849 * sin(2 * g))
        let utcMinutes = (days - days.rounded(.down)) * 1440
        let solarMinutes = utcMinutes + 4 * site.longitude + equationOfTime
        // Wrapped into −180…180°: solar time runs past midnight UTC at most longitudes.
        let hourAngle = remainder(solarMinutes / 4 - 180, 360) * .pi / 180
        let phi = site.latitude * .pi / 180
        let cosZ = sin(phi) * sin(declination) + cos(phi) * cos(declination) * cos(hourAngle)
        let zenith = acos(max(-1, min(1, cosZ)))
        // Azimuth from north, clockwise: east in the morning (hour angle < 0), west after noon.
        var azimuth = 180.0
        if sin(zenith) > 1e-9 {
            let cosA = (sin(declination) - sin(phi) * cosZ) / (cos(phi) * sin(zenith))
            let a = acos(max(-1, min(1, cosA))) * 180 / .pi
            azimuth = hourAngle > 0 ? 360 - a : a
        }
        let e0 = solarConstant * (1.000110 + 0.034221 * cos(g) + 0.001280 * sin(g) + 0.000719 * cos(2 * g) + 0.000077 * sin(2 * g))
        return Position(cosZenith: cosZ, azimuth: azimuth, extraterrestrial: e0)
    }

    /// Day of the year (1…366) of a UTC day count since 1970-01-01.
    static func dayOfYear(_ days: Double) -> Double {
        let d = Int(days.rounded(.down))
        var year = 1970 + Int((Double(d) / 366).rounded(.down))
        while daysBefore(year) > d { year -= 1 }
        while daysBefore(year + 1) <= d { year += 1 }
        return Double(d - daysBefore(year) + 1)
    }

    /// Days from 1970-01-01 to 1 January of `year`.
    static func daysBefore(_ year: Int) -> Int {
        let y = year - 1
        return 365 * (year - 1970) + (y / 4 - y / 100 + y / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400)
    }

    /// Haurwitz's clear-sky global horizontal irradiance (W/m²); 0 with the sun below the horizon.
    public static func clearSkyGHI(cosZenith: Double) -> Double {
        cosZenith > 0.01 ? 1098 * cosZenith * exp(-0.059 / cosZenith) : 0
    }

    /// Global horizontal irradiance split into its beam (on a plane normal to the sun) and
    /// diffuse parts by Erbs's diffuse fraction of the clearness index.
    public struct Sky: Sendable, Equatable {
        public var ghi: Double
        public var beamNormal: Double
        public var diffuse: Double
    }

    /// `ghi` under `sun` split into beam and diffuse; nil when there is no light (ghi ≤ 0 or
    /// the sun below cos z = 0.01).
    public static func sky(ghi: Double, sun: Position) -> Sky? {
        guard ghi > 0, sun.cosZenith > 0.01 else { return nil }
        let kt = min(1, ghi / (sun.extraterrestrial * sun.cosZenith))
        let diffuseFraction: Double
        if kt <= 0.22 {
            diffuseFraction = 1 - 0.09 * kt
        } else if kt <= 0.8 {
            diffuseFraction = 0.9511 - 0.1604 * kt + 4.388 * kt * kt - 16.638 * pow(kt, 3) + 12.336 * pow(kt, 4)
        } else {
            diffuseFraction = 0.165
        }
        let diffuse = ghi * diffuseFraction
        // At most the beam above the atmosphere (an hour's irradiance given to a quarter hour
        // just after sunrise would otherwise make thousands of W/m²).
        let beamNormal = min((ghi - diffuse) / sun.cosZenith, sun.extraterrestrial)
        return Sky(ghi: ghi, beamNormal: beamNormal, diffuse: diffuse)
    }

    /// A panel orientation with its trigonometry computed once.
    public struct Panel: Sendable {
        public let tilt: Double
        public let azimuth: Double
        let cosTilt: Double
        let sinTilt: Double

        public init(tilt: Double, azimuth: Double) {
            self.tilt = tilt
            self.azimuth = azimuth
            cosTilt = cos(tilt * .pi / 180)
            sinTilt = sin(tilt * .pi / 180)
        }

        /// cos of the angle between the sun's azimuth and the panel's.
        func cosAzimuthDifference(_ sun: Position) -> Double { cos((sun.azimuth - azimuth) * .pi / 180) }
    }

    /// `sky` on the panel's plane: the beam projected on it, the diffuse from an isotropic
    /// sky and the ground's reflection (albedo 0.2). `cosAzimuthDifference` is
    /// `panel.cosAzimuthDifference(sun)`, passed in so that a search over tilts computes it once.
    static func onPlane(_ sky: Sky, sun: Position, panel: Panel, cosAzimuthDifference: Double) -> Double {
        let sinZ = (1 - sun.cosZenith * sun.cosZenith).squareRoot()
        let cosIncidence = sun.cosZenith * panel.cosTilt + sinZ * panel.sinTilt * cosAzimuthDifference
        return max(0, sky.beamNormal * max(0, cosIncidence) + sky.diffuse * (1 + panel.cosTilt) / 2
                   + 0.2 * sky.ghi * (1 - panel.cosTilt) / 2)
    }

    /// Irradiance on a plane of `tilt` and `azimuth` (degrees) from global horizontal
    /// irradiance `ghi` (``sky(ghi:sun:)``, then the beam projected on the plane, the
    /// diffuse from an isotropic sky and the ground's reflection, albedo 0.2).
    public static func planeOfArray(ghi: Double, sun: Position, tilt: Double, azimuth: Double) -> Double {
        planeOfArray(ghi: ghi, sun: sun, panel: Panel(tilt: tilt, azimuth: azimuth))
    }

    /// ``planeOfArray(ghi:sun:tilt:azimuth:)`` for a ``Panel``.
    public static func planeOfArray(ghi: Double, sun: Position, panel: Panel) -> Double {
        guard let sky = sky(ghi: ghi, sun: sun) else { return 0 }
        return onPlane(sky, sun: sun, panel: panel, cosAzimuthDifference: panel.cosAzimuthDifference(sun))
    }

    /// Mean over the hour starting at `unixSeconds` (four quarter-hour midpoints) of the sun's
    /// positions, for hourly series whose values are hour means.
    public static func hourPositions(unixSeconds: Double, site: SolarSite) -> [Position] {
        [450.0, 1350, 2250, 3150].map { position(unixSeconds: unixSeconds + $0 - site.clockOffsetHours * 3600, site: site) }
    }
}
