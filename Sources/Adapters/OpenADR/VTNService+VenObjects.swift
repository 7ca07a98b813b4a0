import Foundation
import NIOPosix
import OpenADRAPI

/// Reports, subscriptions, VENs and resources: objects a VEN owns. A client with
/// `read_ven_objects` sees those carrying its own client id; `read_all` sees all. The VTN
/// sets `clientID` from the bearer token, whatever the body says.
extension VTNService {
    func owned(_ clientID: String, by g: VTNAuth.Grant) -> Bool { g.scopes.contains("read_all") || clientID == g.clientID }

    /// Refuses (409) a new object of a kind the client holds `limit` of already.
    func quota<T>(_ list: KeyPath<VTNStore.Objects, [T]>, _ limit: Int, _ kind: String, _ g: VTNAuth.Grant, owner: (T) -> String) throws {
        guard store.state.withLockedValue({ $0[keyPath: list].filter { owner($0) == g.clientID }.count }) < limit else {
            throw VTNProblem.conflict("\(g.clientID) holds \(limit) \(kind), the most a client may")
        }
    }

    // MARK: Reports

    public func searchAllReports(_ input: Operations.SearchAllReports.Input) async throws -> Operations.SearchAllReports.Output {
        let g = try grant
        let q = input.query
        let programEvents: Set<String>? = q.programID.map { p in
            Set(store.state.withLockedValue { $0.events }.filter { $0.value2.programID == p }.map(\.value1.id))
        }
        let all = store.state.withLockedValue { $0.reports }.filter { r in
            owned(r.value3.clientID, by: g) && (q.eventID == nil || r.value2.eventID == q.eventID)
                && (q.clientName == nil || r.value2.clientName == q.clientName)
                && (programEvents == nil || programEvents!.contains(r.value2.eventID))
        }
        return .ok(.init(body: .json(try VTNQuery.page(all, skip: q.skip, limit: q.limit))))
    }

    public func createReport(_ input: Operations.CreateReport.Input) async throws -> Operations.CreateReport.Output {
        let g = try grant
        guard case .json(let request)? = input.body else { throw VTNProblem.badRequest("a report (JSON) is required") }
        try checkReport(request, grant: g)
        let r = Components.Schemas.Report(value1: store.metadata(.report), value2: request, value3: .init(clientID: g.clientID))
        store.mutate { s in
            s.reports.append(r)
            // The client's oldest reports make way beyond its quota.
            let own = s.reports.indices.filter { s.reports[$0].value3.clientID == g.clientID }
            if own.count > VTNLimits.reportsPerClient {
                let drop = Set(own.prefix(own.count - VTNLimits.reportsPerClient))
                s.reports = s.reports.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            }
        }
        onReport(r, g)
        notify(.create, report: r)
        return .created(.init(body: .json(r)))
    }

    public func searchReportsByReportID(_ input: Operations.SearchReportsByReportID.Input) async throws
        -> Operations.SearchReportsByReportID.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.find(\.reports, input.path.reportID, "report") { owned($0.value3.clientID, by: g) })))
    }

    public func updateReport(_ input: Operations.UpdateReport.Input) async throws -> Operations.UpdateReport.Output {
        let g = try grant
        guard case .json(let request)? = input.body else { throw VTNProblem.badRequest("a report (JSON) is required") }
        // Judged, and its readings stored, as its owner's (the operator may edit a firm's report).
        let held = try store.find(\.reports, input.path.reportID, "report") { owned($0.value3.clientID, by: g) }
        let owner = auth.standingGrant(held.value3.clientID) ?? g
        try checkReport(request, grant: owner)
        let updated = try store.update(\.reports, input.path.reportID, "report", allowed: { owned($0.value3.clientID, by: g) }) {
            .init(value1: $0.value1, value2: request, value3: $0.value3)
        }
        onReport(updated, owner)
        notify(.update, report: updated)
        return .ok(.init(body: .json(updated)))
    }

    public func deleteReport(_ input: Operations.DeleteReport.Input) async throws -> Operations.DeleteReport.Output {
        let g = try grant
        let r = try store.remove(\.reports, input.path.reportID, "report") { owned($0.value3.clientID, by: g) }
        notify(.delete, report: r)
        return .ok(.init(body: .json(r)))
    }

    /// A report the VTN takes: valid against the schema's rules and the caps, about an event
    /// the client may see (one answer for an event that is not there and one that is not
    /// its own), and with readings `reportCheck` accepts.
    func checkReport(_ request: Components.Schemas.ReportRequest, grant g: VTNAuth.Grant) throws {
        try VTNValidation.report(request)
        guard let event = store.state.withLockedValue({ $0.events.first { $0.value1.id == request.eventID } }),
              VTNQuery.visible(event.value2.targets, to: g, query: nil) else {
            throw VTNProblem.badRequest("eventID \(request.eventID) names no event")
        }
        let problems = reportCheck(request, g)
        if !problems.isEmpty {
            throw VTNProblem.badRequest(problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; and \(problems.count - 5) more" : ""))
        }
    }

    // MARK: Subscriptions

    public func searchSubscriptions(_ input: Operations.SearchSubscriptions.Input) async throws -> Operations.SearchSubscriptions.Output {
        let g = try grant
        let q = input.query
        let all = store.state.withLockedValue { $0.subscriptions }.filter { s in
            owned(s.value3.clientID, by: g) && (q.programID == nil || s.value2.programID == q.programID)
                && (q.clientName == nil || s.value2.clientName == q.clientName)
                && (q.objects == nil || s.value2.objectOperations.contains { !Set($0.objects).isDisjoint(with: q.objects!) })
        }
        return .ok(.init(body: .json(try VTNQuery.page(all, skip: q.skip, limit: q.limit))))
    }

    public func createSubscription(_ input: Operations.CreateSubscription.Input) async throws -> Operations.CreateSubscription.Output {
        let g = try grant
        guard case .json(let request) = input.body else { throw VTNProblem.badRequest("a subscription (JSON) is required") }
        try VTNValidation.subscription(request)
        try await checkCallbacks(request, grant: g)
        try quota(\.subscriptions, VTNLimits.subscriptionsPerClient, "subscriptions", g) { $0.value3.clientID }
        try await probe(request, except: [], grant: g)
        let s = Components.Schemas.Subscription(value1: store.metadata(.subscription), value2: request, value3: .init(clientID: g.clientID))
        try store.mutate { state in
            guard state.subscriptions.filter({ $0.value3.clientID == g.clientID }).count < VTNLimits.subscriptionsPerClient else {
                throw VTNProblem.conflict("\(g.clientID) holds \(VTNLimits.subscriptionsPerClient) subscriptions, the most a client may")
            }
            state.subscriptions.append(s)
        }
        return .created(.init(body: .json(s)))
    }

    public func searchSubscriptionByID(_ input: Operations.SearchSubscriptionByID.Input) async throws
        -> Operations.SearchSubscriptionByID.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.find(\.subscriptions, input.path.subscriptionID, "subscription") { owned($0.value3.clientID, by: g) })))
    }

    public func updateSubscription(_ input: Operations.UpdateSubscription.Input) async throws -> Operations.UpdateSubscription.Output {
        let g = try grant
        guard case .json(let request) = input.body else { throw VTNProblem.badRequest("a subscription (JSON) is required") }
        let held = try store.find(\.subscriptions, input.path.subscriptionID, "subscription") { owned($0.value3.clientID, by: g) }
        // The callbacks are judged as its owner's (the operator may edit a firm's subscription).
        let owner = auth.standingGrant(held.value3.clientID) ?? g
        try VTNValidation.subscription(request)
        try await checkCallbacks(request, grant: owner)
        try await probe(request, except: Set(held.value2.objectOperations.map(\.callbackUrl)), grant: owner)
        let updated = try store.update(\.subscriptions, input.path.subscriptionID, "subscription", allowed: { owned($0.value3.clientID, by: g) }) {
            .init(value1: $0.value1, value2: request, value3: $0.value3)
        }
        return .ok(.init(body: .json(updated)))
    }

    /// Every callback URL of the request under `CallbackPolicy` for the grant's client (the
    /// names resolved off the threads that serve requests).
    func checkCallbacks(_ request: Components.Schemas.SubscriptionRequest, grant g: VTNAuth.Grant) async throws {
        let urls = request.objectOperations.map(\.callbackUrl)
        let refusals = try await NIOThreadPool.singleton.runIfActive { urls.map { CallbackPolicy.refusal($0, allowedHosts: g.callbackHosts) } }
        if let (k, why) = refusals.enumerated().first(where: { $0.element != nil }).map({ ($0.offset, $0.element!) }) {
            throw VTNProblem.badRequest("objectOperations[\(k)].callbackUrl '\(VTNNotifier.shown(urls[k]))': \(why)")
        }
    }

    /// With `probeCallbacks`, the echo probe of each callback URL the request names that is
    /// not in `except` (the URLs the subscription had already).
    func probe(_ request: Components.Schemas.SubscriptionRequest, except known: Set<String>, grant g: VTNAuth.Grant) async throws {
        guard probeCallbacks else { return }
        for url in Set(request.objectOperations.map(\.callbackUrl)).subtracting(known).sorted() {
            try await notifier.probe(url, allowedHosts: g.callbackHosts)
        }
    }

    public func deleteSubscription(_ input: Operations.DeleteSubscription.Input) async throws -> Operations.DeleteSubscription.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.remove(\.subscriptions, input.path.subscriptionID, "subscription") { owned($0.value3.clientID, by: g) })))
    }
}
