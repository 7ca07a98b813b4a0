import DataFiles
import Foundation
import Measurements
import RunHistory

/// One resource manager's session with the park's CEM, as a state machine without a socket:
/// each received frame gives the frames to send back, the measurements to store and the
/// events to log. The exchange: the RM's Handshake is acknowledged and answered with the
/// CEM's Handshake and HandshakeResponse; its ResourceManagerDetails with a
/// SelectControlType (fill-rate based control for storage, power-envelope based control
/// otherwise, when offered; operation-mode based control when it offers nothing else); once
/// its system description (FRBC, OMBC) or power constraints (PEBC) are in, the CEM sends the instruction derived from the plan and waits for the
/// RM's ReceptionStatus. Every RM message gets exactly one ReceptionStatus: OK, or
/// INVALID_DATA (not JSON), INVALID_MESSAGE (unknown type, missing fields).
/// `refresh()` gives the instructions due without a message from the RM: a fill-rate or
/// operation-mode instruction for each new step of the plan (with the resource's
/// `aheadSeconds`, for each step beginning within that time, revoking with RevokeObject
/// those sent ahead that a re-plan changes), and a new one of any kind when the plan itself
/// changes (a re-plan recorded).
public final class S2Session: @unchecked Sendable {
    /// What handling one message gives: the messages to send back, the measurements and forecasts to store, the events to log.
    public struct Output {
        public var send: [String] = []
        public var measurements: [StoredMeasurement] = []
        /// The RM's power forecast (series `<series>_forecast`, kW at each element's start);
        /// a later forecast revises an earlier one.
        public var forecasts: [StoredMeasurement] = []
        public var events: [(kind: String, message: String)] = []
    }

    /// How the CEM knows resource managers: by their name, the asset whose plan they
    /// follow, the series their power measurements feed, the credential they present when
    /// they connect (none: the resource manager cannot connect) and the largest power, either
    /// way, they may report.
    public struct Resource: Sendable, Equatable {
        public var asset: String
        public var series: String
        public var credential: Credential?
        public var maxKW: Double
        /// How far ahead (seconds) step-based instructions go out: each step that begins
        /// within this time of now gets its instruction in advance, to be executed at the
        /// step's start, so that the device follows the plan through a lost connection.
        /// 0: one instruction at a time, for the step in effect.
        public var aheadSeconds: Double
        public init(asset: String, series: String, credential: Credential? = nil, maxKW: Double = S2Resources.defaultMaxKW,
                    aheadSeconds: Double = 0) {
            self.asset = asset
            self.series = series
            self.credential = credential
            self.maxKW = maxKW
            self.aheadSeconds = aheadSeconds
        }
    }

    /// How far back a measurement's timestamp may lie, and how far ahead of now it or a
    /// forecast's end may lie.
    public static let maxAgeSeconds = 86_400.0
    public static let maxMeasurementLeadSeconds = 300.0
    public static let maxForecastHorizonSeconds = 7 * 86_400.0
    /// Most elements one PowerForecast may carry.
    public static let maxForecastElements = 2_880

    let resources: [String: Resource]
    let plan: @Sendable (String) -> S2Plan?
    let now: @Sendable () -> Date
    public private(set) var name: String?
    public private(set) var controlType: String?
    public internal(set) var acknowledged: [String] = []
    /// The instructions and revocations sent and not yet answered, oldest first.
    var awaited: [Awaited] = []
    /// The last instruction sent and not yet answered.
    public var pendingInstruction: String? { awaited.last(where: { !$0.isRevocation })?.messageID }
    var frbc: (actuator: String, mode: String, low: Double, high: Double)?
    var ombcModes: [(id: String, low: Double, high: Double)]?
    var pebcConstraints: String?

    /// Step-based control (fill rate, operation mode): the instruction sent for each step
    /// still to come or in effect, by the step's start.
    var sentForStep: [Date: Sent] = [:]
    /// Power-envelope control: the plan the last envelope was made from.
    var envelopeFrom: S2Plan?
    /// Whether any instruction has gone out in this session.
    var hasInstructed = false

    /// The name the connection authenticated as (the server's sessions), or nil (a session
    /// that takes the name its ResourceManagerDetails gives).
    let bound: String?

    public init(resources: [String: Resource], plan: @escaping @Sendable (String) -> S2Plan?, now: @escaping @Sendable () -> Date = { Date() },
                authenticatedAs bound: String? = nil) {
        self.resources = resources
        self.plan = plan
        self.now = now
        self.bound = bound
        name = bound
    }

    public var resource: Resource? { name.flatMap { resources[$0] } }

    public func receive(_ text: String) -> Output {
        var out = Output()
        guard let o = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            out.send.append(S2Messages.receptionStatus(nil, "INVALID_DATA", "Not valid JSON."))
            out.events.append(("rejected", "a frame that is not JSON"))
            return out
        }
        let type = o["message_type"] as? String ?? ""
        let messageID = o["message_id"] as? String
        if type == "ReceptionStatus" {
            if let subject = o["subject_message_id"] as? String { answered(subject, status: o["status"] as? String ?? "?",
                                                                           label: o["diagnostic_label"] as? String ?? "", into: &out) }
            return out
        }
        guard let messageID else {
            out.events.append(("rejected", "\(type.isEmpty ? "a message" : type) without message_id"))
            return out
        }
        func ok() { out.send.append(S2Messages.receptionStatus(messageID, "OK", "ok")) }
        func invalid(_ why: String) -> Output {
            out.send.append(S2Messages.receptionStatus(messageID, "INVALID_MESSAGE", why))
            out.events.append(("rejected", "\(Printable.escaped(type)): \(why)"))
            return out
        }
        /// Well formed, but values the CEM does not take (out of range, out of time).
        func refused(_ why: String) -> Output {
            out.send.append(S2Messages.receptionStatus(messageID, "INVALID_CONTENT", why))
            out.events.append(("rejected", why))
            return out
        }
        switch type {
        case "Handshake":
            guard o["role"] as? String == "RM" else { return invalid("the CEM expects role RM") }
            ok()
            out.send += [S2Messages.handshake(), S2Messages.handshakeResponse()]
        case "ResourceManagerDetails":
            let offered = o["available_control_types"] as? [String] ?? []
            let roles = (o["roles"] as? [[String: Any]] ?? []).compactMap { $0["role"] as? String }
            let claimed = o["name"] as? String ?? o["resource_id"] as? String
            if let bound, let claimed, claimed != bound {
                return invalid("this connection is authenticated as '\(bound)', not '\(Printable.escaped(claimed))'")
            }
            name = bound ?? claimed.map { Printable.escaped($0) }
            let preferred = (roles.contains("ENERGY_STORAGE")
                ? ["FILL_RATE_BASED_CONTROL", "POWER_ENVELOPE_BASED_CONTROL"] : ["POWER_ENVELOPE_BASED_CONTROL", "FILL_RATE_BASED_CONTROL"])
                + ["OPERATION_MODE_BASED_CONTROL"]
            ok()
            guard let choice = preferred.first(where: offered.contains) else {
                out.events.append(("error", "\(name ?? "?") offers none of the control types the CEM drives (\(offered.joined(separator: ", ")))"))
                return out
            }
            controlType = choice
            out.send.append(S2Messages.selectControlType(choice))
            out.events.append(("connected", "\(name ?? "?"): \(choice)\(resource == nil ? " (not in the configuration: measurements only)" : "")"))
        case "FRBC.SystemDescription":
            guard let a = (o["actuators"] as? [[String: Any]])?.first, let actuator = a["id"] as? String,
                  let mode = (a["operation_modes"] as? [[String: Any]])?.first, let modeID = mode["id"] as? String,
                  let range = ((mode["elements"] as? [[String: Any]])?.first?["power_ranges"] as? [[String: Any]])?.first,
                  let low = range["start_of_range"] as? Double, let high = range["end_of_range"] as? Double, high > low else {
                return invalid("needs an actuator with an operation mode and a power range")
            }
            ok()
            frbc = (actuator, modeID, low, high)
            out.events.append(("described", "FRBC actuator \(actuator), mode \(modeID): \(low / 1000)…\(high / 1000) kW"))
            add(instructions(), to: &out)
        case "OMBC.SystemDescription":
            var modes: [(id: String, low: Double, high: Double)] = []
            for m in o["operation_modes"] as? [[String: Any]] ?? [] where m["abnormal_condition_only"] as? Bool != true {
                guard let id = m["id"] as? String, let r = (m["power_ranges"] as? [[String: Any]])?.first,
                      let low = (r["start_of_range"] as? NSNumber)?.doubleValue, let high = (r["end_of_range"] as? NSNumber)?.doubleValue,
                      high >= low else { return invalid("every operation mode needs an id and a power range") }
                modes.append((id, low, high))
            }
            guard !modes.isEmpty else { return invalid("needs an operation mode for normal conditions") }
            ok()
            out.events.append(("described", "OMBC modes " + modes.map { "\($0.id) \($0.low / 1000)…\($0.high / 1000) kW" }.joined(separator: ", ")))
            ombcModes = modes
            add(instructions(), to: &out)
        case "PEBC.PowerConstraints":
            guard let constraints = o["id"] as? String else { return invalid("needs an id") }
            ok()
            pebcConstraints = constraints
            add(envelope(constraints), to: &out)
        case "PowerMeasurement":
            guard let t = S2Messages.parseTime(o["measurement_timestamp"] as? String) else { return invalid("needs measurement_timestamp (RFC 3339)") }
            let w = S2Messages.electricPowerW(o["values"] as? [[String: Any]] ?? [], key: "value")
            if let problem = check(time: t, lead: Self.maxMeasurementLeadSeconds) ?? w.flatMap(check(watts:)) {
                return refused("PowerMeasurement: \(problem)")
            }
            ok()
            if let series = resource?.series, let w {
                out.measurements.append(StoredMeasurement(series: series, time: t, value: w / 1000, unit: "kW", source: "s2:\(name ?? "?")"))
            }
        case "PowerForecast":
            guard var t = S2Messages.parseTime(o["start_time"] as? String), let elements = o["elements"] as? [[String: Any]] else {
                return invalid("needs start_time and elements")
            }
            guard elements.count <= Self.maxForecastElements else {
                return refused("PowerForecast: \(elements.count) elements, at most \(Self.maxForecastElements)")
            }
            var values: [(Date, Double)] = []
            for (k, e) in elements.enumerated() {
                guard let ms = (e["duration"] as? NSNumber)?.doubleValue, ms > 0, ms.isFinite else {
                    return refused("PowerForecast element \(k): needs a positive duration")
                }
                let w = S2Messages.electricPowerW(e["power_values"] as? [[String: Any]] ?? [], key: "value_expected")
                if let problem = check(time: t, lead: Self.maxForecastHorizonSeconds) ?? w.flatMap(check(watts:)) {
                    return refused("PowerForecast element \(k): \(problem)")
                }
                if let w { values.append((t, w)) }
                t = t.addingTimeInterval(min(ms / 1000, Self.maxForecastHorizonSeconds + 1))
            }
            if let problem = check(time: t, lead: Self.maxForecastHorizonSeconds) {
                return refused("PowerForecast: its end \(problem)")
            }
            ok()
            if let series = resource?.series {
                out.forecasts = values.map { StoredMeasurement(series: series + "_forecast", time: $0.0, value: $0.1 / 1000, unit: "kW", source: "s2:\(name ?? "?")") }
            }
        case "FRBC.StorageStatus", "FRBC.ActuatorStatus", "PEBC.EnergyConstraint", "OMBC.Status", "OMBC.TimerStatus", "FRBC.UsageForecast",
             "FRBC.LeakageBehaviour", "FRBC.FillLevelTargetProfile", "FRBC.TimerStatus", "InstructionStatusUpdate", "SessionRequest":
            ok()
        default:
            return invalid("unknown message type '\(Printable.escaped(type))'")
        }
        return out
    }

    /// Why a time is refused: older than a day, or more than `lead` seconds ahead of now.
    func check(time t: Date, lead: Double) -> String? {
        let n = now()
        if n.timeIntervalSince(t) > Self.maxAgeSeconds { return "\(S2Messages.time(t)) is more than a day old" }
        if t.timeIntervalSince(n) > lead { return "\(S2Messages.time(t)) is more than \(Int(lead)) s ahead" }
        return nil
    }

    /// Why a power is refused: beyond the resource's `maxKW` either way.
    func check(watts w: Double) -> String? {
        let limit = resource?.maxKW ?? S2Resources.defaultMaxKW
        return abs(w) / 1000 > limit ? "\(w / 1000) kW is beyond the resource's limit of ±\(limit) kW" : nil
    }

    /// Why no instruction went out.
    func noPlan() -> String {
        guard let name, let r = resources[name] else { return "\(name ?? "?") is not in the configuration: no plan to follow" }
        guard let p = plan(r.asset) else { return "asset \(r.asset) has no plan in this run" }
        let end = p.starts.last.map { S2Messages.time($0.addingTimeInterval(p.stepSeconds)) } ?? "?"
        return "the plan of \(r.asset) ended at \(end): nothing to instruct now"
    }
}
