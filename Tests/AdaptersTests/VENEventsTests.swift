@testable import Adapters
import Foundation
import OpenADRAPI
import Testing

/// What our VEN knows when polls and notifications cross, and limits in other units.
@Suite("Adapters: the VEN's events")
struct VENEventsTests {
    static func event(_ id: String, modified: Double, _ type: String = "PRICE", _ value: Double = 1, units: String? = nil) -> Components.Schemas.Event {
        let t = Date(timeIntervalSince1970: 1_750_000_000)
        return .init(value1: .init(id: id, createdDateTime: t, modificationDateTime: t.addingTimeInterval(modified), objectType: .event),
                     value2: .init(programID: "p1", payloadDescriptors: units.map { [.init(objectType: .eventPayloadDescriptor, payloadType: type, units: $0)] },
                                   intervalPeriod: .init(start: t, duration: "PT1H"),
                                   intervals: [.init(id: 0, payloads: [.init(_type: type, values: [.init(value1: value)])])]))
    }

    /// A notification that arrives while a poll is in flight is newer than the poll's
    /// picture: an event created meanwhile stays, one deleted meanwhile does not come back.
    @Test func aPollDoesNotUndoNotifications() {
        let known = VENEvents()
        known.replace(with: [Self.event("old", modified: 0), Self.event("gone", modified: 0)])
        known.beginPoll()
        #expect(known.upsert(Self.event("new", modified: 5)) == .added)
        #expect(known.remove(Self.event("gone", modified: 0)) == .removed)
        known.replace(with: [Self.event("old", modified: 0), Self.event("gone", modified: 0)])   // listed before the changes
        #expect(known.all.map(\.value1.id) == ["new", "old"])
        // Without notifications in between, a poll is the truth: "new" was deleted at the VTN.
        known.beginPoll()
        known.replace(with: [Self.event("old", modified: 0)])
        #expect(known.all.map(\.value1.id) == ["old"])
        #expect(known.upsert(Self.event("new", modified: 5)) == .stale, "a late copy brought a deleted event back")
    }

    /// The event a report goes to without `--event`: modified last, then created last, then
    /// the id that sorts last with digits as numbers — whatever order the events come in.
    @Test func theLatestEventIsChosenTheSameWayEveryTime() {
        func event(_ id: String, created: Double = 0, modified: Double = 0) -> Components.Schemas.Event {
            var e = Self.event(id, modified: modified)
            e.value1.createdDateTime = Date(timeIntervalSince1970: 1_750_000_000 + created)
            return e
        }
        // Created and modified in the same second (a VTN that keeps whole seconds).
        let twins = [event("event-1"), event("event-2")]
        #expect(VENEvents.latest(twins)?.value1.id == "event-2")
        #expect(VENEvents.latest(twins.reversed())?.value1.id == "event-2")
        #expect(VENEvents.latest([event("event-10"), event("event-9")])?.value1.id == "event-10")
        #expect(VENEvents.latest([event("event-9"), event("event-10")])?.value1.id == "event-10")
        #expect(VENEvents.latest([event("b", created: 1), event("c")])?.value1.id == "b", "created later wins over the id")
        #expect(VENEvents.latest([event("a", modified: 2), event("b", created: 1, modified: 1)])?.value1.id == "a", "modified later wins")
        #expect(VENEvents.latest([event("e01"), event("e1")])?.value1.id == VENEvents.latest([event("e1"), event("e01")])?.value1.id)
        #expect(VENEvents.latest([]) == nil)
    }

    /// Two events of the same priority made in the same second cover the same hour: the
    /// signal is the later one's by the same rule, whichever is listed first.
    @Test func overlappingEventsOfTheSameSecondResolveTheSameWay() {
        let from = Date(timeIntervalSince1970: 1_750_000_000), to = from.addingTimeInterval(3600)
        let pair = [Self.event("event-2", modified: 0, "PRICE", 2.0), Self.event("event-1", modified: 0, "PRICE", 1.0)]
        #expect(OpenADRSignals.signals(pair, from: from, to: to).map(\.value) == [2.0])
        #expect(OpenADRSignals.signals(pair.reversed(), from: from, to: to).map(\.value) == [2.0])
        let later = [Self.event("event-9", modified: 1, "PRICE", 9.0), Self.event("event-10", modified: 0, "PRICE", 10.0)]
        #expect(OpenADRSignals.signals(later, from: from, to: to).map(\.value) == [9.0], "the later modification wins first")
    }

    /// Limited to a program, the VEN takes neither polled nor notified events of others, and
    /// drops those it held.
    @Test func eventsOfOtherProgramsAreNotTaken() {
        let known = VENEvents()
        var other = Self.event("x", modified: 0)
        other.value2.programID = "p2"
        known.replace(with: [Self.event("a", modified: 0), other])
        #expect(known.all.map(\.value1.id) == ["a", "x"])
        known.limit(toPrograms: ["p1"])
        #expect(known.all.map(\.value1.id) == ["a"])
        #expect(known.upsert(other) == .otherProgram && known.remove(other) == .otherProgram)
        known.replace(with: [Self.event("a", modified: 0), other])
        #expect(known.all.map(\.value1.id) == ["a"])
    }

    @Test func capacityLimitsInWattsAndMegawatts() {
        let from = Date(timeIntervalSince1970: 1_750_000_000), to = from.addingTimeInterval(3600)
        let w = OpenADRSignals.signals([Self.event("a", modified: 0, "IMPORT_CAPACITY_LIMIT", 250_000, units: "W")], from: from, to: to)
        let mw = OpenADRSignals.signals([Self.event("b", modified: 0, "EXPORT_CAPACITY_LIMIT", 1.5, units: "MW")], from: from, to: to)
        let kw = OpenADRSignals.signals([Self.event("c", modified: 0, "IMPORT_CAPACITY_LIMIT", 800)], from: from, to: to)
        #expect(w.map(\.value) == [250] && mw.map(\.value) == [1500] && kw.map(\.value) == [800])
    }
}
