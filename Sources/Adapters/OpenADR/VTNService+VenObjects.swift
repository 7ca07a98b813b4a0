import Foundation
import OpenADRAPI

/// Reports, subscriptions, VENs and resources: objects a VEN owns. A client with
/// `read_ven_objects` sees those carrying its own client id; `read_all` sees all. The VTN
/// sets `clientID` from the bearer token, whatever the body says.
extension VTNService {
    func owned(_ clientID: String, by g: VTNAuth.Grant) -> Bool { g.scopes.contains("read_all") || clientID == g.clientID }

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
        try VTNValidation.report(request)
        guard store.state.withLockedValue({ $0.events.contains { $0.value1.id == request.eventID } }) else {
            throw VTNProblem.badRequest("eventID \(request.eventID) names no event")
        }
        let r = Components.Schemas.Report(value1: store.metadata(.report), value2: request, value3: .init(clientID: g.clientID))
        store.mutate { $0.reports.append(r) }
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
        try VTNValidation.report(request)
        let updated = try store.update(\.reports, input.path.reportID, "report", allowed: { owned($0.value3.clientID, by: g) }) {
            .init(value1: $0.value1, value2: request, value3: $0.value3)
        }
        onReport(updated, g)
        notify(.update, report: updated)
        return .ok(.init(body: .json(updated)))
    }

    public func deleteReport(_ input: Operations.DeleteReport.Input) async throws -> Operations.DeleteReport.Output {
        let g = try grant
        let r = try store.remove(\.reports, input.path.reportID, "report") { owned($0.value3.clientID, by: g) }
        notify(.delete, report: r)
        return .ok(.init(body: .json(r)))
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
        try await probe(request, except: [])
        let s = Components.Schemas.Subscription(value1: store.metadata(.subscription), value2: request, value3: .init(clientID: g.clientID))
        store.mutate { $0.subscriptions.append(s) }
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
        try VTNValidation.subscription(request)
        let held = try store.find(\.subscriptions, input.path.subscriptionID, "subscription") { owned($0.value3.clientID, by: g) }
        try await probe(request, except: Set(held.value2.objectOperations.map(\.callbackUrl)))
        let updated = try store.update(\.subscriptions, input.path.subscriptionID, "subscription", allowed: { owned($0.value3.clientID, by: g) }) {
            .init(value1: $0.value1, value2: request, value3: $0.value3)
        }
        return .ok(.init(body: .json(updated)))
    }

    /// With `probeCallbacks`, the echo probe of each callback URL the request names that is
    /// not in `except` (the URLs the subscription had already).
    func probe(_ request: Components.Schemas.SubscriptionRequest, except known: Set<String>) async throws {
        guard probeCallbacks else { return }
        for url in Set(request.objectOperations.map(\.callbackUrl)).subtracting(known).sorted() { try await notifier.probe(url) }
    }

    public func deleteSubscription(_ input: Operations.DeleteSubscription.Input) async throws -> Operations.DeleteSubscription.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.remove(\.subscriptions, input.path.subscriptionID, "subscription") { owned($0.value3.clientID, by: g) })))
    }
}
