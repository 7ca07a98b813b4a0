import Foundation

/// The instructions a session derives from the plan: which are due, which are revoked, and
/// how their answers are followed.
extension S2Session {
    /// An instruction sent for one step: its message id, the instruction's own id (what a
    /// RevokeObject names), its message type and the planned power it carries.
    struct Sent: Equatable {
        var messageID: String
        var objectID: String
        var type: String
        var powerW: Double
    }

    /// A message sent that waits for the RM's ReceptionStatus: an instruction (for the step
    /// beginning at `step`; nil for an envelope) or a revocation.
    struct Awaited: Equatable {
        var messageID: String
        var step: Date?
        var isRevocation: Bool
    }

    /// The instructions due now without a message from the RM. Fill-rate and operation-mode
    /// control: an instruction for the step in effect when it or its planned power differs
    /// from the last one's, and, with the resource's `aheadSeconds`, one for each later step
    /// beginning within that time, executed at its start; one sent ahead whose step a re-plan
    /// changes or drops is revoked first (RevokeObject). Power envelope: a new envelope when
    /// the plan differs. Nothing before the RM has described what it controls. An instruction
    /// still unacknowledged when a later step's or a replacement goes out is logged as
    /// superseded.
    public func refresh() -> Output {
        if frbc != nil || ombcModes != nil { return instructions() }
        if let constraints = pebcConstraints { return envelope(constraints) }
        return Output()
    }

    /// Appends what an instruction pass gave to `out`; says why nothing went out when no
    /// instruction has yet.
    func add(_ pass: Output, to out: inout Output) {
        out.send += pass.send
        out.events += pass.events
        if !hasInstructed { out.events.append(("waiting", noPlan())) }
    }

    /// The RM's answer to a message of ours.
    func answered(_ subject: String, status: String, label: String, into out: inout Output) {
        guard let k = awaited.firstIndex(where: { $0.messageID == subject }) else { return }
        let a = awaited.remove(at: k)
        switch (a.isRevocation, status == "OK") {
        case (false, true):
            acknowledged.append(subject)
            out.events.append(("acknowledged", "instruction \(subject) accepted"))
        case (true, true):
            out.events.append(("revoked", "revocation \(subject) accepted"))
        case (let revocation, false):
            out.events.append(("error", "\(revocation ? "revocation" : "instruction") \(subject): \(status) \(label)"))
        }
    }

    /// Step-based control (FRBC, OMBC): see `refresh()`.
    func instructions() -> Output {
        var out = Output()
        guard let name, let r = resources[name] else { return out }
        let now = now()
        // No plan for the asset any more (a re-plan without it): nothing is wanted, and
        // what was sent ahead is revoked.
        let p = plan(r.asset) ?? S2Plan(starts: [], stepSeconds: 900, powerW: [])
        let steps = p.remaining(at: now)
        let horizon = now.addingTimeInterval(max(0, r.aheadSeconds))
        let wanted = steps.enumerated().filter { $0.offset == 0 || p.starts[$0.element] <= horizon }.map(\.element)
        var planned: [Date: Double] = [:]
        for k in steps { planned[p.starts[k]] = p.powerW[k] }
        // Steps over, or begun before the step in effect, need nothing more.
        let current = steps.first.map { p.starts[$0] } ?? now
        sentForStep = sentForStep.filter { $0.key >= current || $0.key > now }
        var replaced = Set<Date>()
        for (start, sent) in sentForStep.sorted(by: { $0.key < $1.key })
        where start > now && !Self.samePower(planned[start], sent.powerW) {
            let id = S2Messages.id()
            out.send.append(S2Messages.revokeObject(messageID: id, objectType: sent.type, objectID: sent.objectID))
            awaited.append(Awaited(messageID: id, step: nil, isRevocation: true))
            sentForStep[start] = nil
            replaced.insert(start)
            let why = planned[start].map { "the plan now says \($0 / 1000) kW" } ?? "the plan no longer holds that step"
            out.events.append(("revoking", "instruction \(sent.messageID) for the step from \(S2Messages.time(start)): \(why)"))
        }
        var made: [(frame: String, event: String, awaited: Awaited)] = []
        for k in wanted where !Self.samePower(sentForStep[p.starts[k]]?.powerW, p.powerW[k]) {
            let start = p.starts[k], w = p.powerW[k]
            guard let (type, frame, messageID, objectID) = stepInstruction(w, at: max(now, start)) else { continue }
            if sentForStep[start] != nil { replaced.insert(start) }
            sentForStep[start] = Sent(messageID: messageID, objectID: objectID, type: type, powerW: w)
            made.append((frame, "instruction \(messageID): \(w / 1000) kW for the step from \(S2Messages.time(start))",
                         Awaited(messageID: messageID, step: start, isRevocation: false)))
        }
        guard !made.isEmpty else { return out }
        // Unanswered instructions for a step that is over, or whose instruction was replaced.
        let superseded = { (a: Awaited) in !a.isRevocation && (a.step.map { $0 < current || replaced.contains($0) } ?? false) }
        for a in awaited where superseded(a) {
            out.events.append(("superseded", "instruction \(a.messageID) was not acknowledged before the next"))
        }
        awaited.removeAll(where: superseded)
        for m in made {
            out.send.append(m.frame)
            out.events.append(("instructed", m.event))
            awaited.append(m.awaited)
        }
        hasInstructed = true
        return out
    }

    /// Whether a planned power (W) is the one an instruction carries, to half a watt: a
    /// re-plan that moves a step by the solver's rounding does not instruct it again.
    static func samePower(_ planned: Double?, _ sent: Double?) -> Bool {
        guard let planned, let sent else { return false }
        return abs(planned - sent) <= 0.5
    }

    /// The instruction for a planned power `w` (W) executed from `at`: FRBC, the mode's
    /// factor that gives it (clamped); OMBC, the mode whose power range holds it (else the
    /// nearest, at the end of its range nearest the plan) and the factor within that range.
    func stepInstruction(_ w: Double, at: Date) -> (type: String, frame: String, messageID: String, objectID: String)? {
        let messageID = S2Messages.id(), objectID = S2Messages.id()
        if let f = frbc {
            let factor = min(1, max(0, (w - f.low) / (f.high - f.low)))
            return ("FRBC.Instruction", S2Messages.frbcInstruction(messageID: messageID, objectID: objectID, actuator: f.actuator,
                                                                   mode: f.mode, factor: factor, at: at), messageID, objectID)
        }
        guard let modes = ombcModes else { return nil }
        func distance(_ m: (id: String, low: Double, high: Double)) -> Double { max(m.low - w, w - m.high, 0) }
        guard let best = modes.min(by: { (distance($0), $0.high - $0.low) < (distance($1), $1.high - $1.low) }) else { return nil }
        let factor = best.high > best.low ? min(1, max(0, (w - best.low) / (best.high - best.low))) : 0
        return ("OMBC.Instruction", S2Messages.ombcInstruction(messageID: messageID, objectID: objectID, mode: best.id, factor: factor, at: at),
                messageID, objectID)
    }

    /// PEBC: the rest of the plan as an envelope with both limits at the planned power, from
    /// now (the step in effect for what is left of it); again only when the plan changes.
    func envelope(_ constraints: String) -> Output {
        var out = Output()
        guard let name, let r = resources[name], let p = plan(r.asset), envelopeFrom != p else { return out }
        let now = now()
        let steps = p.remaining(at: now)
        guard let first = steps.first else { return out }
        let id = S2Messages.id()
        if let pending = awaited.last(where: { !$0.isRevocation }) {
            out.events.append(("superseded", "instruction \(pending.messageID) was not acknowledged before the next"))
            awaited.removeAll { $0 == pending }
        }
        awaited.append(Awaited(messageID: id, step: nil, isRevocation: false))
        envelopeFrom = p
        hasInstructed = true
        // From now on: the step in effect only for what is left of it, so that every later
        // element starts on its step's boundary.
        let at = max(now, p.starts[first])
        let elements = steps.map { k in
            (durationMS: Int(((k == first ? p.starts[k].addingTimeInterval(p.stepSeconds).timeIntervalSince(at) : p.stepSeconds) * 1000).rounded()),
             lower: max(0, p.powerW[k]), upper: max(0, p.powerW[k]))
        }
        out.send.append(S2Messages.pebcInstruction(messageID: id, constraints: constraints, elements: elements, at: at))
        out.events.append(("instructed", "instruction \(id): a new plan's envelope from \(S2Messages.time(at))"))
        return out
    }
}
