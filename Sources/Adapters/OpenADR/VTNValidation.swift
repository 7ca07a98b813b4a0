import Foundation
import OpenADRAPI

/// What the generated types cannot check: the spec's lengths, patterns and bounds, and
/// the references between objects. Each failure is a 400 problem naming the field.
enum VTNValidation {
    static func name(_ s: String, _ field: String) throws {
        guard (1...128).contains(s.count) else { throw VTNProblem.badRequest("\(field) must have 1 to 128 characters") }
    }

    static func objectID(_ s: String, _ field: String) throws {
        try name(s, field)
        guard s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw VTNProblem.badRequest("\(field) '\(s)' may hold letters, digits, '_' and '-' only")
        }
    }

    /// An ISO 8601 duration as the spec's pattern allows (`PT15M`, `P1D`, `-PT1H`, `P9999Y`)
    /// in seconds (a year 365 days, a month 30); nil when it is not one.
    static func seconds(_ d: String) -> Double? {
        // The spec's duration pattern as a regex literal, checked when the program is compiled.
        let pattern = /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/
        guard let m = d.wholeMatch(of: pattern)?.output else { return nil }
        func number(_ g: Substring?) -> Double { g.flatMap { Double($0) } ?? 0 }
        var s = number(m.2) * 365 * 86400
        s += number(m.3) * 30 * 86400
        s += number(m.4) * (m.5 == "W" ? 7 : 1) * 86400
        s += number(m.6) * 3600
        s += number(m.7) * 60
        s += number(m.8)
        return m.1 == "-" ? -s : s
    }

    static func duration(_ d: String?, _ field: String) throws {
        guard let d else { return }
        guard seconds(d) != nil else { throw VTNProblem.badRequest("\(field) '\(d)' is not an ISO 8601 duration (e.g. PT15M)") }
    }

    static func period(_ p: Components.Schemas.IntervalPeriod?, _ field: String) throws {
        try duration(p?.duration, "\(field).duration")
        try duration(p?.randomizeStart, "\(field).randomizeStart")
    }

    static func targets(_ t: [String]?, _ field: String) throws {
        guard (t ?? []).count <= VTNLimits.targets else { throw VTNProblem.badRequest("\(field): at most \(VTNLimits.targets) targets") }
        for (k, s) in (t ?? []).enumerated() { try name(s, "\(field)[\(k)]") }
    }

    static func intervals(_ list: [Components.Schemas.Interval], _ field: String) throws {
        var ids = Set<Int32>()
        for (k, i) in list.enumerated() {
            guard ids.insert(i.id).inserted else { throw VTNProblem.badRequest("\(field)[\(k)].id \(i.id) is used twice") }
            try period(i.intervalPeriod, "\(field)[\(k)].intervalPeriod")
            for (j, p) in i.payloads.enumerated() {
                try name(p._type, "\(field)[\(k)].payloads[\(j)].type")
                guard !p.values.isEmpty else { throw VTNProblem.badRequest("\(field)[\(k)].payloads[\(j)].values is empty") }
                guard p.values.count <= VTNLimits.valuesPerPayload else {
                    throw VTNProblem.badRequest("\(field)[\(k)].payloads[\(j)].values: at most \(VTNLimits.valuesPerPayload)")
                }
            }
        }
    }

    static func program(_ p: Components.Schemas.ProgramRequest) throws {
        try name(p.programName, "programName")
        try period(p.intervalPeriod, "intervalPeriod")
        try targets(p.targets, "targets")
    }

    static func event(_ e: Components.Schemas.EventRequest) throws {
        try objectID(e.programID, "programID")
        if let n = e.eventName { try name(n, "eventName") }
        if let p = e.priority, p < 0 { throw VTNProblem.badRequest("priority must be ≥ 0") }
        try duration(e.duration, "duration")
        try period(e.intervalPeriod, "intervalPeriod")
        try targets(e.targets, "targets")
        try intervals(e.intervals ?? [], "intervals")
    }

    static func report(_ r: Components.Schemas.ReportRequest) throws {
        try objectID(r.eventID, "eventID")
        try name(r.clientName, "clientName")
        if let n = r.reportName { try name(n, "reportName") }
        guard r.resources.count <= VTNLimits.resourcesPerReport else {
            throw VTNProblem.badRequest("resources: \(r.resources.count) resources, at most \(VTNLimits.resourcesPerReport) in one report")
        }
        let count = r.resources.reduce(0) { $0 + $1.intervals.count }
        guard count <= VTNLimits.intervalsPerReport else {
            throw VTNProblem.badRequest("resources: \(count) intervals, at most \(VTNLimits.intervalsPerReport) in one report")
        }
        for (k, res) in r.resources.enumerated() {
            try name(res.resourceName, "resources[\(k)].resourceName")
            try period(res.intervalPeriod, "resources[\(k)].intervalPeriod")
            try intervals(res.intervals, "resources[\(k)].intervals")
        }
    }

    /// The request's own rules; the callback URLs' hosts are judged by `VTNService.checkCallbacks`.
    static func subscription(_ s: Components.Schemas.SubscriptionRequest) throws {
        try name(s.clientName, "clientName")
        if let p = s.programID { try objectID(p, "programID") }
        guard !s.objectOperations.isEmpty else { throw VTNProblem.badRequest("objectOperations is empty") }
        guard s.objectOperations.count <= VTNLimits.operationsPerSubscription else {
            throw VTNProblem.badRequest("objectOperations: at most \(VTNLimits.operationsPerSubscription)")
        }
        for (k, o) in s.objectOperations.enumerated() {
            guard (2...2000).contains(o.callbackUrl.count) else {
                throw VTNProblem.badRequest("objectOperations[\(k)].callbackUrl: 2 to 2000 characters")
            }
            if let t = o.bearerToken, t.count > 4096 { throw VTNProblem.badRequest("objectOperations[\(k)].bearerToken: at most 4096 characters") }
        }
        try targets(s.targets, "targets")
    }

    /// True when every interval of the event lies before `now`.
    static func hasEnded(_ e: Components.Schemas.EventRequest, now: Date) -> Bool {
        guard let start = e.intervalPeriod?.start, let step = e.intervalPeriod?.duration.flatMap(seconds) else { return false }
        let count = max(1, e.intervals?.count ?? 1)
        return start.addingTimeInterval(step * Double(count)) <= now
    }
}

/// What one request may carry and one client may keep at the VTN.
public enum VTNLimits {
    /// Largest request body (bytes); a larger one is answered 413 unread.
    public static let bodyBytes = 1 << 20
    public static let resourcesPerReport = 100
    /// Intervals across a report's resources: a month of quarter-hours.
    public static let intervalsPerReport = 2_880
    public static let valuesPerPayload = 100
    public static let targets = 100
    public static let operationsPerSubscription = 10
    /// Per client: subscriptions, VENs and resources it may hold (more is answered 409);
    /// reports it keeps (the oldest make way for new ones; their readings are stored already).
    public static let subscriptionsPerClient = 20
    public static let vensPerClient = 10
    public static let resourcesPerClient = 200
    public static let reportsPerClient = 100
}
