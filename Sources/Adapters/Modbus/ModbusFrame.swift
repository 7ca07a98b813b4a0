import Foundation

/// Modbus TCP application data units, pure: requests to bytes, bytes to responses. The
/// transport (`ModbusTCPClient`) only moves these frames.
///
/// A frame is the MBAP header (transaction id, protocol id 0, length of what follows,
/// unit id) and the PDU (function code and data), all big-endian.
public enum ModbusRequest: Sendable, Equatable {
    /// Function 3: `count` (1…125) holding registers from `address`.
    case readHoldingRegisters(address: UInt16, count: UInt16)
    /// Function 6: one register.
    case writeSingleRegister(address: UInt16, value: UInt16)
    /// Function 16: 1…123 consecutive registers from `address`.
    case writeMultipleRegisters(address: UInt16, values: [UInt16])

    public var functionCode: UInt8 {
        switch self {
        case .readHoldingRegisters: 3
        case .writeSingleRegister: 6
        case .writeMultipleRegisters: 16
        }
    }

    /// The PDU: function code and data.
    public var pdu: [UInt8] {
        switch self {
        case .readHoldingRegisters(let a, let n): [3] + Self.be(a) + Self.be(n)
        case .writeSingleRegister(let a, let v): [6] + Self.be(a) + Self.be(v)
        case .writeMultipleRegisters(let a, let vs):
            [16] + Self.be(a) + Self.be(UInt16(vs.count)) + [UInt8(vs.count * 2)] + vs.flatMap(Self.be)
        }
    }

    /// Checks the limits the standard puts on a request before it goes out.
    public func validate() throws {
        switch self {
        case .readHoldingRegisters(let a, let n):
            guard (1...125).contains(n) else { throw ModbusError.invalidRequest("read of \(n) registers (1…125)") }
            guard Int(a) + Int(n) <= 65536 else { throw ModbusError.invalidRequest("read past register 65535") }
        case .writeSingleRegister: break
        case .writeMultipleRegisters(let a, let vs):
            guard (1...123).contains(vs.count) else { throw ModbusError.invalidRequest("write of \(vs.count) registers (1…123)") }
            guard Int(a) + vs.count <= 65536 else { throw ModbusError.invalidRequest("write past register 65535") }
        }
    }

    /// The whole frame with its MBAP header.
    public func frame(transactionID: UInt16, unitID: UInt8) -> [UInt8] {
        let body = pdu
        return Self.be(transactionID) + [0, 0] + Self.be(UInt16(body.count + 1)) + [unitID] + body
    }

    static func be(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
}

/// A decoded response frame.
public struct ModbusResponse: Sendable, Equatable {
    public var transactionID: UInt16
    public var unitID: UInt8
    public var functionCode: UInt8
    /// The PDU's data after the function code.
    public var data: [UInt8]

    /// True when the device answered with an exception (function code | 0x80).
    public var isException: Bool { functionCode & 0x80 != 0 }

    /// The registers of a read response, after checking it answers `request`; the
    /// device's exception, or a malformed answer, as an error.
    public func result(of request: ModbusRequest) throws -> [UInt16] {
        if isException {
            guard functionCode & 0x7F == request.functionCode, let code = data.first else {
                throw ModbusError.malformedResponse("exception frame for function \(functionCode & 0x7F), asked \(request.functionCode)")
            }
            throw ModbusError.exception(function: request.functionCode, code: code)
        }
        guard functionCode == request.functionCode else {
            throw ModbusError.malformedResponse("function \(functionCode) in the answer to function \(request.functionCode)")
        }
        switch request {
        case .readHoldingRegisters(_, let n):
            guard data.count == 1 + 2 * Int(n), data[0] == UInt8(2 * Int(n)) else {
                throw ModbusError.malformedResponse("read of \(n) registers answered with \(data.count) bytes")
            }
            return (0..<Int(n)).map { UInt16(data[1 + 2 * $0]) << 8 | UInt16(data[2 + 2 * $0]) }
        case .writeSingleRegister(let a, let v):
            guard data == ModbusRequest.be(a) + ModbusRequest.be(v) else {
                throw ModbusError.malformedResponse("write of register \(a) not echoed")
            }
            return [v]
        case .writeMultipleRegisters(let a, let vs):
            guard data == ModbusRequest.be(a) + ModbusRequest.be(UInt16(vs.count)) else {
                throw ModbusError.malformedResponse("write of \(vs.count) registers at \(a) not confirmed")
            }
            return vs
        }
    }

    /// Splits complete frames off the front of `buffer`; returns nil when more bytes are
    /// needed. A header that cannot be Modbus TCP (protocol id ≠ 0, length 0 or > 254)
    /// throws, so that the transport drops the connection rather than resynchronising on
    /// garbage.
    public static func parse(_ buffer: [UInt8]) throws -> (response: ModbusResponse, consumed: Int)? {
        guard buffer.count >= 7 else { return nil }
        let protocolID = UInt16(buffer[2]) << 8 | UInt16(buffer[3])
        let length = Int(UInt16(buffer[4]) << 8 | UInt16(buffer[5]))
        guard protocolID == 0 else { throw ModbusError.malformedResponse("protocol id \(protocolID), not Modbus (0)") }
        guard (2...254).contains(length) else { throw ModbusError.malformedResponse("frame length \(length)") }
        guard buffer.count >= 6 + length else { return nil }
        let r = ModbusResponse(transactionID: UInt16(buffer[0]) << 8 | UInt16(buffer[1]), unitID: buffer[6],
                               functionCode: buffer[7], data: Array(buffer[8..<(6 + length)]))
        return (r, 6 + length)
    }
}

/// What can go wrong talking Modbus, each with a message an operator can act on.
public enum ModbusError: Error, Sendable, Equatable, CustomStringConvertible {
    case exception(function: UInt8, code: UInt8)
    case timeout(seconds: Double)
    case connectionFailed(String)
    case connectionClosed
    case malformedResponse(String)
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .exception(let f, let c): "Modbus exception \(c) (\(Self.exceptionName(c))) to function \(f)"
        case .timeout(let s): "no answer within \(s) s"
        case .connectionFailed(let why): "cannot connect: \(why)"
        case .connectionClosed: "the device closed the connection"
        case .malformedResponse(let why): "malformed answer: \(why)"
        case .invalidRequest(let why): "invalid request: \(why)"
        }
    }

    /// The standard's names for exception codes.
    public static func exceptionName(_ code: UInt8) -> String {
        switch code {
        case 1: "illegal function"
        case 2: "illegal data address"
        case 3: "illegal data value"
        case 4: "server device failure"
        case 5: "acknowledge"
        case 6: "server device busy"
        case 8: "memory parity error"
        case 10: "gateway path unavailable"
        case 11: "gateway target device failed to respond"
        default: "unknown exception code"
        }
    }

    /// Worth retrying on the same device: timeouts, lost connections, busy devices.
    public var isTransient: Bool {
        switch self {
        case .timeout, .connectionFailed, .connectionClosed: true
        case .exception(_, let c): c == 5 || c == 6 || c == 11
        case .malformedResponse, .invalidRequest: false
        }
    }
}
