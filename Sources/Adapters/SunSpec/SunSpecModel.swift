import Foundation

/// SunSpec point types, named as in the SunSpec information model.
public enum SunSpecPointType: String, Sendable {
    case int16, uint16, count, acc16, enum16, bitfield16, pad
    case int32, uint32, acc32, enum32, bitfield32, ipaddr
    case int64, uint64, acc64, ipv6addr, float32, float64, string, sunssf, eui48
}

/// A point's scale factor: another point of the model (type `sunssf`) or a constant.
public enum SunSpecScale: Sendable, Equatable {
    case point(String)
    case fixed(Int)
}

/// Whether a SunSpec point may be written.
public enum SunSpecAccess: Sendable, Equatable { case readOnly, readWrite }

/// One point of a model's fixed block; `offset` counts registers from the model's ID register.
public struct SunSpecPoint: Sendable, Equatable {
    public let name: String
    public let offset: Int
    public let size: Int
    public let type: SunSpecPointType
    public let scale: SunSpecScale?
    public let units: String?
    public let access: SunSpecAccess
    public let mandatory: Bool

    public init(_ name: String, offset: Int, size: Int, type: SunSpecPointType, scale: SunSpecScale? = nil, units: String?,
                access: SunSpecAccess, mandatory: Bool) {
        self.name = name
        self.offset = offset
        self.size = size
        self.type = type
        self.scale = scale
        self.units = units
        self.access = access
        self.mandatory = mandatory
    }

    /// The point's unit as the validator knows units: every percentage ("%WHRtg",
    /// "% AhrRtg", "Pct") is "%", "Secs" is "s", "AH" is "Ah"; others as the model says.
    public var canonicalUnit: String? {
        guard let u = units?.trimmingCharacters(in: .whitespaces) else { return nil }
        if u.hasPrefix("%") || u == "Pct" { return "%" }
        switch u {
        case "Secs": return "s"
        case "AH": return "Ah"
        default: return u
        }
    }

    /// The point's raw number from a model's registers (index 0 = the ID register); nil
    /// when the device marks it "not implemented" (the type's sentinel) or it is not a number.
    public func raw(in registers: [UInt16]) -> Double? {
        guard offset + size <= registers.count else { return nil }
        let r = registers[offset..<(offset + size)]
        var bits: UInt64 = 0
        for v in r.prefix(4) { bits = bits << 16 | UInt64(v) }
        switch type {
        case .int16, .sunssf: return bits == 0x8000 ? nil : Double(Int16(bitPattern: UInt16(bits)))
        case .uint16, .count, .enum16, .bitfield16: return bits == 0xFFFF ? nil : Double(bits)
        case .acc16, .acc32, .acc64: return Double(bits)
        case .int32: return bits == 0x8000_0000 ? nil : Double(Int32(bitPattern: UInt32(bits)))
        case .uint32, .enum32, .bitfield32, .ipaddr: return bits == 0xFFFF_FFFF ? nil : Double(bits)
        case .int64: return bits == 0x8000_0000_0000_0000 ? nil : Double(Int64(bitPattern: bits))
        case .uint64: return bits == UInt64.max ? nil : Double(bits)
        case .float32:
            let f = Float(bitPattern: UInt32(bits))
            return f.isNaN ? nil : Double(f)
        case .float64:
            let d = Double(bitPattern: bits)
            return d.isNaN ? nil : d
        case .pad, .string, .ipv6addr, .eui48: return nil
        }
    }

    /// A string point's text (NUL-padded ASCII); nil for other types or an empty string.
    public func text(in registers: [UInt16]) -> String? {
        guard type == .string, offset + size <= registers.count else { return nil }
        let bytes = registers[offset..<(offset + size)].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }.prefix { $0 != 0 }
        let s = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return s.isEmpty ? nil : s
    }

    /// Registers holding `raw` (already divided by the scale), or an error when the type
    /// cannot hold it.
    public func encode(raw: Double) throws -> [UInt16] {
        let v = raw.rounded()
        func range(_ lo: Double, _ hi: Double) throws {
            guard v >= lo && v <= hi else { throw SunSpecError.outOfRange(point: name, value: raw, type: type) }
        }
        switch type {
        case .int16, .sunssf:
            try range(-32767, 32767)
            return [UInt16(bitPattern: Int16(v))]
        case .uint16, .enum16, .bitfield16, .count, .acc16:
            try range(0, 65534)
            return [UInt16(v)]
        case .int32:
            try range(-2_147_483_647, 2_147_483_647)
            let b = UInt32(bitPattern: Int32(v))
            return [UInt16(b >> 16), UInt16(b & 0xFFFF)]
        case .uint32, .enum32, .bitfield32, .acc32:
            try range(0, 4_294_967_294)
            let b = UInt32(v)
            return [UInt16(b >> 16), UInt16(b & 0xFFFF)]
        case .float32:
            let b = Float(raw).bitPattern
            return [UInt16(b >> 16), UInt16(b & 0xFFFF)]
        default:
            throw SunSpecError.notWritable(point: name, why: "type \(type.rawValue) is not written by FlexDispatch")
        }
    }
}

/// A SunSpec model's layout (its fixed block).
public struct SunSpecModelDefinition: Sendable {
    public let id: Int
    public let name: String
    public let label: String
    /// L: registers after the ID and L registers.
    public let length: Int
    public let points: [SunSpecPoint]
    private let byName: [String: Int]

    public init(id: Int, name: String, label: String, length: Int, points: [SunSpecPoint]) {
        self.id = id
        self.name = name
        self.label = label
        self.length = length
        self.points = points
        byName = Dictionary(points.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func point(_ name: String) -> SunSpecPoint? { byName[name].map { points[$0] } }

    /// The definitions FlexDispatch knows: common, inverters, nameplate, settings,
    /// immediate controls, storage, meters and the lithium-ion battery.
    public static func known(_ id: Int) -> SunSpecModelDefinition? { builtIn[id] }

    static let builtIn = builtInInverters.merging(builtInMetersAndStorage) { a, _ in a }
}

/// One model's registers as read from a device, with its points decoded and scaled.
public struct SunSpecModelReading: Sendable {
    public let definition: SunSpecModelDefinition
    /// From the ID register on.
    public let registers: [UInt16]

    /// The point's value with its scale factor applied; nil when not implemented (the
    /// point or its scale factor) or unknown.
    public func value(_ name: String) -> Double? {
        guard let p = definition.point(name), let raw = p.raw(in: registers) else { return nil }
        guard let exponent = scaleExponent(p) else { return nil }
        return raw * pow(10, Double(exponent))
    }

    /// The exponent of the point's scale factor (0 without one); nil when the factor point
    /// is not implemented.
    public func scaleExponent(_ p: SunSpecPoint) -> Int? {
        switch p.scale {
        case nil: return 0
        case .fixed(let e): return e
        case .point(let sf):
            guard let s = definition.point(sf), let e = s.raw(in: registers), abs(e) <= 10 else { return nil }
            return Int(e)
        }
    }

    public func text(_ name: String) -> String? { definition.point(name)?.text(in: registers) }
}

/// A device that does not answer as SunSpec says: no marker, a missing model or point, a value out of range.
public enum SunSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    case notSunSpec(tried: [UInt16], found: String)
    case modelMissing(Int)
    case unknownModel(Int)
    case unknownPoint(model: Int, point: String)
    case notImplemented(model: Int, point: String)
    case notWritable(point: String, why: String)
    case outOfRange(point: String, value: Double, type: SunSpecPointType)
    case notConfirmed(point: String, wrote: [UInt16], readBack: [UInt16])
    case badModelChain(String)

    public var description: String {
        switch self {
        case .notSunSpec(let tried, let found):
            "not a SunSpec device: no 'SunS' marker at \(tried.map(String.init).joined(separator: ", ")) (\(found))"
        case .modelMissing(let id): "the device has no SunSpec model \(id)"
        case .unknownModel(let id): "SunSpec model \(id) is not one FlexDispatch knows"
        case .unknownPoint(let m, let p): "model \(m) has no point '\(p)'"
        case .notImplemented(let m, let p): "model \(m) point '\(p)' (or its scale factor) is not implemented by the device"
        case .notWritable(let p, let why): "point '\(p)' cannot be written: \(why)"
        case .outOfRange(let p, let v, let t): "value \(v) does not fit point '\(p)' (\(t.rawValue))"
        case .notConfirmed(let p, let w, let r): "write of '\(p)' not confirmed: wrote \(w), read back \(r)"
        case .badModelChain(let why): "broken SunSpec model chain: \(why)"
        }
    }
}
