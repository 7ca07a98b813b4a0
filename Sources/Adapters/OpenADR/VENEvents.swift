import Foundation
import NIOConcurrencyHelpers
import OpenADRAPI

/// The events our VEN knows, from polls and from webhook notifications, kept by id: a copy
/// that arrives twice is taken once, one older than what is held (an update overtaken by a
/// later one, a create after its delete) is ignored, and a delete removes the event — so
/// notifications may arrive repeated or out of order and the signals stay those of the
/// latest state of each event. Once limited to programs (`limit(toPrograms:)`), events of
/// other programs are not taken, whether polled or notified (`otherProgram`).
public final class VENEvents: Sendable {
    /// What a notification did to the events the VEN knows (added, updated, removed) or why it changed nothing.
    public enum Outcome: String, Sendable {
        case added, updated, removed, duplicate, stale, unknown, otherProgram
    }

    struct State {
        var events: [String: Components.Schemas.Event] = [:]
        /// Deleted ids with the time of the deletion (the deleted copy's modification time).
        var deleted: [String: Date] = [:]
        /// While a poll is in flight: the ids notifications touched since it began (their
        /// state is newer than what the poll may list).
        var touchedDuringPoll: Set<String>?
        /// The programs whose events are taken (all when nil).
        var programs: Set<String>?

        func takes(_ e: Components.Schemas.Event) -> Bool { programs.map { $0.contains(e.value2.programID) } ?? true }
    }

    let state = NIOLockedValueBox(State())

    public init() {}

    /// Every event held, by id.
    public var all: [Components.Schemas.Event] {
        state.withLockedValue { $0.events.values.sorted { $0.value1.id < $1.value1.id } }
    }

    /// Takes only the events of these programs from now on, and drops those held of others.
    public func limit(toPrograms ids: Set<String>?) {
        state.withLockedValue { s in
            s.programs = ids
            s.events = s.events.filter { s.takes($0.value) }
        }
    }

    /// Takes an event created or updated at the VTN.
    @discardableResult
    public func upsert(_ e: Components.Schemas.Event) -> Outcome {
        state.withLockedValue { s in
            guard s.takes(e) else { return .otherProgram }
            let id = e.value1.id, modified = e.value1.modificationDateTime
            s.touchedDuringPoll?.insert(id)
            if let gone = s.deleted[id], gone >= modified { return .stale }
            guard let held = s.events[id] else {
                s.events[id] = e
                return .added
            }
            if held == e { return .duplicate }
            if held.value1.modificationDateTime > modified { return .stale }
            s.events[id] = e
            return .updated
        }
    }

    /// Takes an event deleted at the VTN (the copy sent with the deletion).
    @discardableResult
    public func remove(_ e: Components.Schemas.Event) -> Outcome {
        state.withLockedValue { s in
            guard s.takes(e) else { return .otherProgram }
            let id = e.value1.id
            s.touchedDuringPoll?.insert(id)
            s.deleted[id] = max(s.deleted[id] ?? .distantPast, e.value1.modificationDateTime)
            if let held = s.events[id], held.value1.modificationDateTime > e.value1.modificationDateTime { return .stale }
            return s.events.removeValue(forKey: id) == nil ? .unknown : .removed
        }
    }

    /// Marks the start of a poll, so that what notifications bring meanwhile is not undone
    /// by the poll's older picture.
    public func beginPoll() {
        state.withLockedValue { $0.touchedDuringPoll = [] }
    }

    /// Takes a complete poll: what the VTN lists now (duplicates across pages taken once);
    /// events held but no longer listed were deleted. Ids a notification touched since
    /// `beginPoll` keep what the notification said.
    public func replace(with polled: [Components.Schemas.Event]) {
        state.withLockedValue { s in
            var latest: [String: Components.Schemas.Event] = [:]
            for e in polled where s.takes(e) && (latest[e.value1.id].map { $0.value1.modificationDateTime <= e.value1.modificationDateTime } ?? true) {
                latest[e.value1.id] = e
            }
            let touched = s.touchedDuringPoll ?? []
            s.touchedDuringPoll = nil
            var next: [String: Components.Schemas.Event] = [:]
            for (id, e) in latest where !touched.contains(id) && !(s.deleted[id].map { $0 >= e.value1.modificationDateTime } ?? false) {
                next[id] = e
            }
            for id in touched { next[id] = s.events[id] }
            for id in s.events.keys where next[id] == nil { s.deleted[id] = max(s.deleted[id] ?? .distantPast, s.events[id]?.value1.modificationDateTime ?? .distantPast) }
            s.events = next
        }
    }

    /// The event a report goes to when none is named: the one modified last; of those
    /// modified at the same time (VTNs that keep whole seconds), the one created last; of
    /// those, the one whose id sorts last, digits compared as numbers (`event-10` after
    /// `event-9`). The same events give the same choice, whatever order they are listed in.
    public static func latest(_ events: [Components.Schemas.Event]) -> Components.Schemas.Event? {
        events.max(by: isOlder)
    }

    /// Whether `a` comes before `b` in the order `latest` takes the last of (modification
    /// time, creation time, id with digits as numbers); a total order on distinct ids.
    static func isOlder(_ a: Components.Schemas.Event, _ b: Components.Schemas.Event) -> Bool {
        if a.value1.modificationDateTime != b.value1.modificationDateTime { return a.value1.modificationDateTime < b.value1.modificationDateTime }
        if a.value1.createdDateTime != b.value1.createdDateTime { return a.value1.createdDateTime < b.value1.createdDateTime }
        let order = a.value1.id.compare(b.value1.id, options: [.numeric])
        return order == .orderedSame ? a.value1.id < b.value1.id : order == .orderedAscending
    }

    /// Applies a webhook notification; nil when it is not about an event.
    @discardableResult
    public func apply(_ n: Components.Schemas.Notification) -> Outcome? {
        guard case .event(let e) = n.object else { return nil }
        switch n.operation {
        case .delete: return remove(e)
        case .create, .update, .read: return upsert(e)
        }
    }
}
