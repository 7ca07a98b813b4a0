import Foundation
import NIOConcurrencyHelpers
import OpenADRAPI

typealias Schemas = Components.Schemas

/// The VTN's objects, in memory: programs, events, reports, subscriptions, VENs and
/// resources, each with the metadata the VTN provisions (id, creation and modification
/// times, object type). Lists keep creation order, as clients page through them.
final class VTNStore: Sendable {
    struct Objects {
        var programs: [Schemas.Program] = []
        var events: [Schemas.Event] = []
        var reports: [Schemas.Report] = []
        var subscriptions: [Schemas.Subscription] = []
        var vens: [Schemas.Ven] = []
        var resources: [Schemas.Resource] = []
        var next = 0
    }

    let state = NIOLockedValueBox(Objects())

    /// New metadata: an id with the object's kind as prefix, both times now.
    func metadata(_ type: Schemas.ObjectTypes, now: Date = Date()) -> Schemas.ObjectMetadata {
        let n = state.withLockedValue { s -> Int in
            s.next += 1
            return s.next
        }
        let prefix = type.rawValue.lowercased()
        return Schemas.ObjectMetadata(id: "\(prefix)-\(n)", createdDateTime: now, modificationDateTime: now, objectType: type)
    }

    /// The same metadata, modified now.
    static func touched(_ m: Schemas.ObjectMetadata, now: Date = Date()) -> Schemas.ObjectMetadata {
        var m = m
        m.modificationDateTime = max(now, m.createdDateTime)
        return m
    }
}

/// Paging and targeting shared by every list operation.
enum VTNQuery {
    /// `skip` ≥ 0 and `limit` in 0…50 (the spec's bounds; 50 when absent).
    static func page<T>(_ items: [T], skip: Int32?, limit: Int32?) throws -> [T] {
        let s = Int(skip ?? 0), l = Int(limit ?? 50)
        guard s >= 0 else { throw VTNProblem.badRequest("skip must be ≥ 0") }
        guard (0...50).contains(l) else { throw VTNProblem.badRequest("limit must be in 0…50") }
        return Array(items.dropFirst(s).prefix(l))
    }

    /// An object is visible to a VEN when it has no targets (it is for everyone) or shares
    /// one with the VEN's grant; `read_all` sees everything. A `targets` query keeps the
    /// objects that carry every target asked for.
    static func visible(_ targets: [String]?, to grant: VTNAuth.Grant, query: [String]?) -> Bool {
        let own = targets ?? []
        if let query, !query.isEmpty, !Set(query).isSubset(of: Set(own)) { return false }
        if grant.scopes.contains("read_all") { return true }
        return own.isEmpty || !Set(own).isDisjoint(with: grant.targets)
    }
}

/// An error answered with the spec's problem body.
struct VTNProblem: Error, Sendable {
    var status: Int
    var title: String
    var detail: String

    static func badRequest(_ detail: String) -> VTNProblem { VTNProblem(status: 400, title: "Bad Request", detail: detail) }
    static func notFound(_ detail: String) -> VTNProblem { VTNProblem(status: 404, title: "Not Found", detail: detail) }
    static func forbidden(_ detail: String) -> VTNProblem { VTNProblem(status: 403, title: "Forbidden", detail: detail) }
    static func conflict(_ detail: String) -> VTNProblem { VTNProblem(status: 409, title: "Conflict", detail: detail) }
    static func unauthorized(_ detail: String) -> VTNProblem { VTNProblem(status: 401, title: "Unauthorized", detail: detail) }

    var body: Schemas.Problem {
        Schemas.Problem(_type: "about:blank", title: title, status: Int32(status), detail: detail)
    }
}
