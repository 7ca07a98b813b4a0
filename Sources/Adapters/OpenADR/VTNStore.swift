import Foundation
import Logging
import NIOConcurrencyHelpers
import OpenADRAPI

typealias Schemas = Components.Schemas

/// The VTN's objects: programs, events, reports, subscriptions, VENs and resources, each
/// with the metadata the VTN provisions (id, creation and modification times, object
/// type). Lists keep creation order, as clients page through them. In memory, and — with a
/// state file — saved (JSON, atomically) after every change and read back at start, so
/// that a restarted VTN keeps its VENs, subscriptions and reports.
final class VTNStore: Sendable {
    struct Objects: Codable {
        var programs: [Schemas.Program] = []
        var events: [Schemas.Event] = []
        var reports: [Schemas.Report] = []
        var subscriptions: [Schemas.Subscription] = []
        var vens: [Schemas.Ven] = []
        var resources: [Schemas.Resource] = []
        var next = 0
    }

    let state: NIOLockedValueBox<Objects>
    let file: String?
    let logger = Logger(label: "flexdispatch.vtn.store")

    init(file: String? = nil) throws {
        self.file = file
        var objects = Objects()
        if let file, FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file) else { throw VTNStateError(description: "\(file): cannot be read") }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { d in try OpenADRDates().decode(try d.singleValueContainer().decode(String.self)) }
            do { objects = try decoder.decode(Objects.self, from: data) } catch let e as DecodingError {
                throw VTNStateError(description: "\(file): not a VTN state file: \(OpenADRNotification.describe(e))")
            }
        }
        state = NIOLockedValueBox(objects)
    }

    /// Changes the objects under the lock, then saves them when there is a state file.
    func mutate<T>(_ body: (inout Objects) throws -> T) rethrows -> T {
        try state.withLockedValue { s in
            let out = try body(&s)
            save(s)
            return out
        }
    }

    func save(_ s: Objects) {
        guard let file else { return }
        do {
            // It holds subscribers' bearer tokens: readable to the owner only, from the moment
            // the temporary file exists (created 0600, written, renamed over the state file).
            let data = try VTNNotifier.encoder.encode(s)
            let temporary = file + ".tmp-\(UUID().uuidString)"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw VTNStateError(description: "\(temporary): \(String(cString: strerror(errno)))") }
            _ = fchmod(fd, 0o600)
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, file) == 0 else {
                unlink(temporary)
                throw VTNStateError(description: "\(file): \(String(cString: strerror(errno)))")
            }
        } catch {
            logger.error("\(file): the VTN's state could not be saved: \(error)")
        }
    }

    /// New metadata: an id with the object's kind as prefix, both times now.
    func metadata(_ type: Schemas.ObjectTypes, now: Date = Date()) -> Schemas.ObjectMetadata {
        let n = state.withLockedValue { s -> Int in
            s.next += 1
            return s.next
        }
        let prefix = type.rawValue.lowercased()
        let t = Self.milliseconds(now)
        return Schemas.ObjectMetadata(id: "\(prefix)-\(n)", createdDateTime: t, modificationDateTime: t, objectType: type)
    }

    /// Times as the wire carries them (milliseconds), so that what a client reads back and
    /// what the state file keeps compare equal to what the VTN holds.
    static func milliseconds(_ d: Date) -> Date {
        Date(timeIntervalSince1970: (d.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// The same metadata, modified now.
    static func touched(_ m: Schemas.ObjectMetadata, now: Date = Date()) -> Schemas.ObjectMetadata {
        var m = m
        m.modificationDateTime = max(Self.milliseconds(now), m.createdDateTime)
        return m
    }
}

/// What every VTN object has: the metadata the VTN provisions.
protocol VTNObject {
    var value1: Schemas.ObjectMetadata { get set }
}

extension Schemas.Program: VTNObject {}
extension Schemas.Event: VTNObject {}
extension Schemas.Report: VTNObject {}
extension Schemas.Subscription: VTNObject {}
extension Schemas.Ven: VTNObject {}
extension Schemas.Resource: VTNObject {}

/// Reading, replacing and removing one object by id, for every kind: `allowed` says whether
/// the client may see it (a 404 otherwise, as for an unknown id).
extension VTNStore {
    func find<T: VTNObject>(_ list: KeyPath<Objects, [T]>, _ id: String, _ kind: String, allowed: (T) -> Bool = { _ in true }) throws -> T {
        guard let o = state.withLockedValue({ $0[keyPath: list].first { $0.value1.id == id } }), allowed(o) else {
            throw VTNProblem.notFound("no \(kind) \(id)")
        }
        return o
    }

    /// Replaces the object with what `change` makes of it, its modification time now.
    func update<T: VTNObject>(_ list: WritableKeyPath<Objects, [T]>, _ id: String, _ kind: String, allowed: (T) -> Bool = { _ in true },
                              _ change: (T) -> T) throws -> T {
        try mutate { s in
            guard let k = s[keyPath: list].firstIndex(where: { $0.value1.id == id && allowed($0) }) else { throw VTNProblem.notFound("no \(kind) \(id)") }
            var new = change(s[keyPath: list][k])
            new.value1 = VTNStore.touched(s[keyPath: list][k].value1)
            s[keyPath: list][k] = new
            return new
        }
    }

    /// Removes the object (and, through `also`, what depends on it); returns it.
    func remove<T: VTNObject>(_ list: WritableKeyPath<Objects, [T]>, _ id: String, _ kind: String, allowed: (T) -> Bool = { _ in true },
                              also: (inout Objects) -> Void = { _ in }) throws -> T {
        try mutate { s in
            guard let k = s[keyPath: list].firstIndex(where: { $0.value1.id == id && allowed($0) }) else { throw VTNProblem.notFound("no \(kind) \(id)") }
            also(&s)
            return s[keyPath: list].remove(at: k)
        }
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

public struct VTNStateError: Error, CustomStringConvertible {
    public var description: String
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
