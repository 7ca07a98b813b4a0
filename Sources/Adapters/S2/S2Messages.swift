import Foundation

/// S2 (EN 50491-12-2) messages as JSON text frames, without a socket: what the CEM sends,
/// and reading what resource managers send. Every message carries `message_type`; ids are
/// lower-case UUIDs; times RFC 3339 with a zone; durations integer milliseconds; power in W.
public enum S2Messages {
    public static let protocolVersion = "0.0.2-beta"
    public static let electricPower = "ELECTRIC.POWER.3_PHASE_SYMMETRIC"

    public static func id() -> String { UUID().uuidString.lowercased() }

    public static func time(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    public static func parseTime(_ s: String?) -> Date? { s.flatMap { OpenADRDates.parse($0) } }

    /// The electric power (W) in a list of S2 power values: the symmetric 3-phase value,
    /// else the sum of the phases given (L1, L2, L3); nil when there is none.
    public static func electricPowerW(_ values: [[String: Any]], key: String) -> Double? {
        func value(_ q: String) -> Double? {
            values.first { $0["commodity_quantity"] as? String == q }.flatMap { ($0[key] as? NSNumber)?.doubleValue }.flatMap { $0.isFinite ? $0 : nil }
        }
        if let w = value(electricPower) { return w }
        let phases = ["ELECTRIC.POWER.L1", "ELECTRIC.POWER.L2", "ELECTRIC.POWER.L3"].compactMap(value)
        return phases.isEmpty ? nil : phases.reduce(0, +)
    }

    static func json(_ o: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The answer to a message; never sent for a ReceptionStatus.
    public static func receptionStatus(_ subject: String?, _ status: String, _ label: String) -> String {
        json(["message_type": "ReceptionStatus", "subject_message_id": subject ?? "00000000-0000-0000-0000-000000000000",
              "status": status, "diagnostic_label": label])
    }

    public static func handshake() -> String {
        json(["message_type": "Handshake", "message_id": id(), "role": "CEM", "supported_protocol_versions": [protocolVersion]])
    }

    public static func handshakeResponse() -> String {
        json(["message_type": "HandshakeResponse", "message_id": id(), "selected_protocol_version": protocolVersion])
    }

    public static func selectControlType(_ type: String) -> String {
        json(["message_type": "SelectControlType", "message_id": id(), "control_type": type])
    }

    /// Fill-rate based control: run `mode` of `actuator` at `factor` (0…1 between the
    /// mode's range ends) from `at`; `objectID` is the instruction's own id, which a
    /// RevokeObject names.
    public static func frbcInstruction(messageID: String, objectID: String = id(), actuator: String, mode: String, factor: Double,
                                       at: Date) -> String {
        json(["message_type": "FRBC.Instruction", "message_id": messageID, "id": objectID, "actuator_id": actuator, "operation_mode": mode,
              "operation_mode_factor": factor, "execution_time": time(at), "abnormal_condition": false])
    }

    /// Operation-mode based control: run `mode` at `factor` (0…1 between its power range's
    /// ends) from `at`; `objectID` as for ``frbcInstruction(messageID:objectID:actuator:mode:factor:at:)``.
    public static func ombcInstruction(messageID: String, objectID: String = id(), mode: String, factor: Double, at: Date) -> String {
        json(["message_type": "OMBC.Instruction", "message_id": messageID, "id": objectID, "operation_mode_id": mode,
              "operation_mode_factor": factor, "execution_time": time(at), "abnormal_condition": false])
    }

    /// Withdraws an object sent before (an instruction not yet executed): `objectType` is
    /// its message type (e.g. `FRBC.Instruction`), `objectID` its `id`.
    public static func revokeObject(messageID: String, objectType: String, objectID: String) -> String {
        json(["message_type": "RevokeObject", "message_id": messageID, "object_type": objectType, "object_id": objectID])
    }

    /// Power-envelope based control: one envelope of (duration, lower, upper) elements.
    public static func pebcInstruction(messageID: String, constraints: String, elements: [(durationMS: Int, lower: Double, upper: Double)],
                                       at: Date) -> String {
        json(["message_type": "PEBC.Instruction", "message_id": messageID, "id": id(), "execution_time": time(at), "abnormal_condition": false,
              "power_constraints_id": constraints,
              "power_envelopes": [["id": "flexdispatch-plan", "commodity_quantity": electricPower,
                                   "power_envelope_elements": elements.map { ["duration": $0.durationMS, "lower_limit": $0.lower, "upper_limit": $0.upper] }]]])
    }
}

/// A resource manager's planned power from a run: the step starts, their length and the
/// power in W (positive = consume or charge).
public struct S2Plan: Sendable, Equatable {
    public var starts: [Date]
    public var stepSeconds: Double
    public var powerW: [Double]

    public init(starts: [Date], stepSeconds: Double, powerW: [Double]) {
        self.starts = starts
        self.stepSeconds = stepSeconds
        self.powerW = powerW
    }

    /// The plan's steps from the one in effect at `now` (all of them before the plan starts).
    public func remaining(at now: Date) -> [Int] {
        let k = starts.lastIndex { $0 <= now } ?? 0
        let end = starts.last.map { $0.addingTimeInterval(stepSeconds) } ?? now
        return now >= end ? [] : Array(k..<powerW.count)
    }

    /// From a run's setpoints for one asset (kW → W).
    public static func from(_ setpoints: [Setpoint], asset: String) -> S2Plan? {
        let own = setpoints.filter { $0.asset == asset }.sorted { $0.step < $1.step }
        guard !own.isEmpty else { return nil }
        return S2Plan(starts: own.map(\.time), stepSeconds: own[0].seconds, powerW: own.map { $0.powerKW * 1000 })
    }
}
