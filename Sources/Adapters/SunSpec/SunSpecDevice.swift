import Foundation

/// A model found on a device: where its ID register is and how long it is.
public struct SunSpecModelInstance: Sendable, Equatable {
    public let id: Int
    /// Address of the model's ID register.
    public let address: Int
    /// L: registers after ID and L.
    public let length: Int
}

/// A SunSpec device behind any Modbus transport: discovered once (the "SunS" marker at
/// 40000, 0 or 50000, then the chain of models up to the end model 0xFFFF), then read
/// model by model and written point by point with read-back confirmation.
public struct SunSpecDevice: Sendable {
    public let transport: any ModbusTransport
    public let unitID: UInt8
    public let base: Int
    public let models: [SunSpecModelInstance]

    public static let markerBases = [40000, 0, 50000]

    public static func discover(_ transport: any ModbusTransport, unitID: UInt8 = 1,
                                bases: [Int] = markerBases) async throws -> SunSpecDevice {
        var found: [String] = []
        for base in bases {
            let marker: [UInt16]
            do {
                marker = try await transport.send(.readHoldingRegisters(address: UInt16(base), count: 2), unitID: unitID)
            } catch ModbusError.exception(_, let code) where code == 2 {
                found.append("\(base): illegal address")
                continue
            }
            guard marker == [0x5375, 0x6E53] else {
                found.append(String(format: "%d: 0x%04X 0x%04X", base, marker[0], marker[1]))
                continue
            }
            return SunSpecDevice(transport: transport, unitID: unitID, base: base,
                                 models: try await chain(transport, unitID: unitID, from: base + 2))
        }
        throw SunSpecError.notSunSpec(tried: bases.map { UInt16($0) }, found: found.joined(separator: "; "))
    }

    static func chain(_ transport: any ModbusTransport, unitID: UInt8, from start: Int) async throws -> [SunSpecModelInstance] {
        var models: [SunSpecModelInstance] = []
        var address = start
        while true {
            guard address + 2 <= 65536, models.count < 200 else { throw SunSpecError.badModelChain("no end model before register \(address)") }
            let header = try await transport.send(.readHoldingRegisters(address: UInt16(address), count: 2), unitID: unitID)
            if header[0] == 0xFFFF { return models }
            guard header[0] != 0 else { throw SunSpecError.badModelChain("model id 0 at register \(address)") }
            let id = Int(header[0]), length = Int(header[1])
            if let known = SunSpecModelDefinition.known(id), length < known.length {
                throw SunSpecError.badModelChain("model \(id) at \(address) has L = \(length), its definition needs \(known.length)")
            }
            models.append(SunSpecModelInstance(id: id, address: address, length: length))
            address += 2 + length
        }
    }

    public func instance(_ modelID: Int, _ index: Int = 0) throws -> SunSpecModelInstance {
        let all = models.filter { $0.id == modelID }
        guard index < all.count else { throw SunSpecError.modelMissing(modelID) }
        return all[index]
    }

    /// Reads a whole model (in requests of at most 125 registers).
    public func read(_ modelID: Int, index: Int = 0) async throws -> SunSpecModelReading {
        let m = try instance(modelID, index)
        guard let definition = SunSpecModelDefinition.known(modelID) else { throw SunSpecError.unknownModel(modelID) }
        var registers: [UInt16] = []
        let total = min(m.length, definition.length) + 2
        while registers.count < total {
            let n = min(125, total - registers.count)
            registers += try await transport.send(.readHoldingRegisters(address: UInt16(m.address + registers.count), count: UInt16(n)),
                                                  unitID: unitID)
        }
        return SunSpecModelReading(definition: definition, registers: registers)
    }

    /// Writes `value` (in the point's units, scale factor applied by this call) and reads
    /// it back; returns the confirmed value. Errors: unknown or read-only point, a scale
    /// factor the device does not implement, a value the type cannot hold, a device that
    /// does not keep what was written.
    @discardableResult
    public func write(_ modelID: Int, _ pointName: String, _ value: Double, current: SunSpecModelReading? = nil) async throws -> Double {
        let reading: SunSpecModelReading
        if let current { reading = current } else { reading = try await read(modelID) }
        guard let p = reading.definition.point(pointName) else { throw SunSpecError.unknownPoint(model: modelID, point: pointName) }
        guard p.access == .readWrite else { throw SunSpecError.notWritable(point: pointName, why: "read-only in model \(modelID)") }
        guard let exponent = reading.scaleExponent(p) else { throw SunSpecError.notImplemented(model: modelID, point: pointName) }
        let words = try p.encode(raw: value / pow(10, Double(exponent)))
        let address = UInt16(try instance(modelID).address + p.offset)
        if words.count == 1 {
            _ = try await transport.send(.writeSingleRegister(address: address, value: words[0]), unitID: unitID)
        } else {
            _ = try await transport.send(.writeMultipleRegisters(address: address, values: words), unitID: unitID)
        }
        let back = try await transport.send(.readHoldingRegisters(address: address, count: UInt16(words.count)), unitID: unitID)
        guard back == words else { throw SunSpecError.notConfirmed(point: pointName, wrote: words, readBack: back) }
        var registers = reading.registers
        registers.replaceSubrange(p.offset..<(p.offset + p.size), with: back)
        return SunSpecModelReading(definition: reading.definition, registers: registers).value(pointName) ?? value
    }
}
