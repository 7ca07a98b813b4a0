@testable import Adapters
import Foundation
import Testing

@Suite struct ModbusFrameTests {
    @Test func requestsEncodeAsTheStandardSays() throws {
        // Read 2 holding registers at 40000 (0x9C40), transaction 1, unit 1: MBAP length 6.
        #expect(ModbusRequest.readHoldingRegisters(address: 40000, count: 2).frame(transactionID: 1, unitID: 1)
                == [0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x9C, 0x40, 0x00, 0x02])
        #expect(ModbusRequest.writeSingleRegister(address: 40100, value: 0xABCD).frame(transactionID: 0x1234, unitID: 7)
                == [0x12, 0x34, 0x00, 0x00, 0x00, 0x06, 0x07, 0x06, 0x9C, 0xA4, 0xAB, 0xCD])
        // Write two registers: byte count 4, MBAP length 1 + 1 + 2 + 2 + 1 + 4 = 11.
        #expect(ModbusRequest.writeMultipleRegisters(address: 1, values: [1, 0xFFFF]).frame(transactionID: 2, unitID: 1)
                == [0x00, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x01, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x01, 0xFF, 0xFF])
        #expect(throws: ModbusError.self) { try ModbusRequest.readHoldingRegisters(address: 0, count: 126).validate() }
        #expect(throws: ModbusError.self) { try ModbusRequest.readHoldingRegisters(address: 65535, count: 2).validate() }
        #expect(throws: ModbusError.self) { try ModbusRequest.writeMultipleRegisters(address: 0, values: []).validate() }
    }

    @Test func responsesParseAcrossPartialReadsAndCheckWhatWasAsked() throws {
        let read = ModbusRequest.readHoldingRegisters(address: 40000, count: 2)
        let bytes: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x01, 0x03, 0x04, 0x53, 0x75, 0x6E, 0x53]
        for cut in 0..<bytes.count { #expect(try ModbusResponse.parse(Array(bytes.prefix(cut))) == nil) }
        let (r, consumed) = try #require(try ModbusResponse.parse(bytes + [0x00]))
        #expect(consumed == bytes.count)
        #expect(try r.result(of: read) == [0x5375, 0x6E53])
        // The same answer does not satisfy a read of 3 registers or a write.
        #expect(throws: ModbusError.self) { try r.result(of: .readHoldingRegisters(address: 40000, count: 3)) }
        #expect(throws: ModbusError.self) { try r.result(of: .writeSingleRegister(address: 40000, value: 1)) }
        // Exception 2 to function 3.
        let (e, _) = try #require(try ModbusResponse.parse([0x00, 0x09, 0x00, 0x00, 0x00, 0x03, 0x01, 0x83, 0x02]))
        #expect(e.isException)
        #expect(throws: ModbusError.exception(function: 3, code: 2)) { try e.result(of: read) }
        #expect("\(ModbusError.exception(function: 3, code: 2))".contains("illegal data address"))
        #expect(ModbusError.exception(function: 3, code: 6).isTransient && !ModbusError.exception(function: 3, code: 2).isTransient)
        // Not Modbus TCP: protocol id 1, or a length of 0.
        #expect(throws: ModbusError.self) { try ModbusResponse.parse([0, 1, 0, 1, 0, 3, 1, 3, 0]) }
        #expect(throws: ModbusError.self) { try ModbusResponse.parse([0, 1, 0, 0, 0, 0, 1, 3, 0]) }
    }

    @Test func sunSpecPointsDecodeWithSentinelsAndEncodeInRange() throws {
        let w = SunSpecPoint("W", offset: 2, size: 1, type: .int16, scale: .point("W_SF"), units: "W", access: .readOnly, mandatory: true)
        #expect(w.raw(in: [103, 50, 0xFFFE]) == -2)
        #expect(w.raw(in: [103, 50, 0x8000]) == nil)
        let e = SunSpecPoint("WH", offset: 2, size: 2, type: .acc32, units: "Wh", access: .readOnly, mandatory: true)
        #expect(e.raw(in: [103, 50, 0x0001, 0x0002]) == 65538)
        let s = SunSpecPoint("Mn", offset: 2, size: 3, type: .string, units: nil, access: .readOnly, mandatory: true)
        #expect(s.text(in: [1, 66, 0x4142, 0x4300, 0]) == "ABC")
        let pct = SunSpecPoint("WMaxLimPct", offset: 2, size: 1, type: .uint16, scale: .point("SF"), units: "%", access: .readWrite, mandatory: false)
        #expect(try pct.encode(raw: 5000) == [5000])
        #expect(throws: SunSpecError.self) { try pct.encode(raw: -1) }
        #expect(throws: SunSpecError.self) { try w.encode(raw: 40000) }
        let i32 = SunSpecPoint("X", offset: 2, size: 2, type: .int32, units: nil, access: .readWrite, mandatory: false)
        #expect(try i32.encode(raw: -2) == [0xFFFF, 0xFFFE])
        #expect(i32.raw(in: [0, 0, 0xFFFF, 0xFFFE]) == -2)
        #expect(SunSpecModelDefinition.known(802)?.point("SoC")?.canonicalUnit == "%")
        #expect(SunSpecModelDefinition.known(124)?.point("InWRte")?.canonicalUnit == "%")
        #expect(SunSpecModelDefinition.known(103)?.point("W")?.canonicalUnit == "W")
    }
}
