import Foundation
import Logging
import NIOConcurrencyHelpers
import OpenADRAPI
import RunHistory
import Storage

typealias Schemas = Components.Schemas

/// The VTN's objects: programs, events, reports, subscriptions, VENs and resources, each
/// with the metadata the VTN provisions (id, creation and modification times, object
/// type). Lists keep creation order, as clients page through them. In memory, and kept
/// across restarts either in a database (`DocumentStore`: one row per object, so that a
/// change writes only the objects it changed) or in a state file (JSON, rewritten
/// atomically after every change), read back at start.
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
    let documents: (any DocumentStore)?
    /// The id counter as last written to `documents`.
    private let savedNext = NIOLockedValueBox(0)
    let logger = Logger(label: "flexdispatch.vtn.store")

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { d in try OpenADRDates().decode(try d.singleValueContainer().decode(String.self)) }
        return d
    }()

    init(file: String? = nil, documents: (any DocumentStore)? = nil) throws {
        self.file = file
        self.documents = documents
        var objects = Objects()
        if let documents {
            objects = try Self.load(documents)
        } else if let file, FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file) else { throw VTNStateError(description: "\(file): cannot be read") }
            do { objects = try Self.decoder.decode(Objects.self, from: data) } catch let e as DecodingError {
                throw VTNStateError(description: "\(file): not a VTN state file: \(OpenADRNotification.describe(e))")
            }
        }
        savedNext.withLockedValue { $0 = objects.next }
        state = NIOLockedValueBox(objects)
    }

    /// Changes the objects under the lock, then keeps what changed (database or state file).
    func mutate<T>(_ body: (inout Objects) throws -> T) rethrows -> T {
        try state.withLockedValue { s in
            let before = s
            let out = try body(&s)
            if documents != nil { saveChanges(before, s) } else { save(s) }
            return out
        }
    }

    // MARK: The database

    static let collections = (programs: "vtn.programs", events: "vtn.events", reports: "vtn.reports", subscriptions: "vtn.subscriptions",
                              vens: "vtn.vens", resources: "vtn.resources", counter: "vtn.counter")

    static func load(_ store: any DocumentStore) throws -> Objects {
        func list<T: Decodable>(_ collection: String) throws -> [T] {
            try store.documents(in: collection).map { doc in
                do { return try decoder.decode(T.self, from: doc.body) } catch let e as DecodingError {
                    throw VTNStateError(description: "the VTN's \(collection) \(doc.id) in the database cannot be read: \(OpenADRNotification.describe(e))")
                }
            }
        }
        var o = Objects()
        let c = collections
        o.programs = try list(c.programs)
        o.events = try list(c.events)
        o.reports = try list(c.reports)
        o.subscriptions = try list(c.subscriptions)
        o.vens = try list(c.vens)
        o.resources = try list(c.resources)
        o.next = try store.documents(in: c.counter).first.flatMap { Int(String(decoding: $0.body, as: UTF8.self)) } ?? 0
        return o
    }

    /// Writes the objects that differ between `before` and `after` (and the id counter).
    func saveChanges(_ before: Objects, _ after: Objects) {
        guard let documents else { return }
        var changes: [DocumentChange] = []
        func diff<T: VTNObject & Encodable & Equatable>(_ old: [T], _ new: [T], _ collection: String) {
            let held = Dictionary(old.map { ($0.value1.id, $0) }, uniquingKeysWith: { a, _ in a })
            var seen = Set<String>()
            for o in new {
                seen.insert(o.value1.id)
                if held[o.value1.id] != o, let body = try? VTNNotifier.encoder.encode(o) {
                    changes.append(DocumentChange(collection: collection, id: o.value1.id, seq: Self.seq(o.value1.id), body: body))
                }
            }
            for id in held.keys where !seen.contains(id) { changes.append(DocumentChange(collection: collection, id: id, seq: 0, body: nil)) }
        }
        let c = Self.collections
        diff(before.programs, after.programs, c.programs)
        diff(before.events, after.events, c.events)
        diff(before.reports, after.reports, c.reports)
        diff(before.subscriptions, after.subscriptions, c.subscriptions)
        diff(before.vens, after.vens, c.vens)
        diff(before.resources, after.resources, c.resources)
        if savedNext.withLockedValue({ $0 }) != after.next {
            changes.append(DocumentChange(collection: c.counter, id: "next", seq: 0, body: Data(String(after.next).utf8)))
        }
        do {
            try documents.apply(changes)
            savedNext.withLockedValue { $0 = after.next }
        } catch {
            logger.error("the VTN's objects could not be saved: \(error)")
        }
    }

    /// The creation number in an id (`report-12` → 12), which orders the rows.
    static func seq(_ id: String) -> Int64 { id.split(separator: "-").last.flatMap { Int64($0) } ?? 0 }

    // MARK: The state file

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

/// The VTN's state file or documents cannot be read or written.
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
