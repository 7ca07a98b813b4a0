@testable import Adapters
import Foundation
import OpenADRAPI
import RunHistory
import Testing

/// Which runs' events the park's VTN keeps: a later run replaces the runs it overlaps, an
/// earlier run that ends before it begins keeps its events until it ends.
@Suite("Park VTN: runs side by side")
struct ParkVTNRunsTests {
    /// The fixture's first `steps` quarter-hours moved by `minutes`.
    static func run(startingAfter minutes: Int, steps: Int = 4) -> RunDetail {
        var run = ParkVTNFixture.run
        run.internalPrice = Array(run.internalPrice.prefix(steps))
        run.scheduleValues = run.scheduleValues.mapValues { Array($0.prefix(steps)) }
        let start = OpenADRDates.parse("2025-06-01T00:00:00+08:00")!.addingTimeInterval(Double(minutes) * 60)
        run.times = (0..<steps).map { k in
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
            return f.string(from: start.addingTimeInterval(Double(k) * 900))
        }
        return run
    }

    static func at(_ time: String) -> Date { OpenADRDates.parse("2025-06-01T\(time):00+08:00")! }

    /// The runs whose events the VTN holds (from the `-run-N` suffix), each with its count.
    static func runs(_ vtn: VTNService) -> [Int: Int] {
        var count: [Int: Int] = [:]
        for e in vtn.store.state.withLockedValue({ $0.events }) {
            guard let name = e.value2.eventName, let n = name.split(separator: "-").last.flatMap({ Int($0) }) else { continue }
            count[n, default: 0] += 1
        }
        return count
    }

    /// The intervals of run `n`'s price event.
    static func priceIntervals(_ vtn: VTNService, run n: Int) -> Int? {
        vtn.store.state.withLockedValue { $0.events }.first { $0.value2.eventName == "park-price-run-\(n)" }?.value2.intervals?.count
    }

    @Test func tomorrowsPlanKeepsTodaysAndARevisionReplacesWhatItOverlaps() throws {
        let vtn = try VTNService(auth: VTNAuth(clients: []))
        // Run 1 covers 00:00–01:00; at 00:20 run 2 (01:00–02:00, the next horizon) is published.
        try ParkVTN.publish(Self.run(startingAfter: 0), runID: 1, currency: "CNY", into: vtn, now: Self.at("00:20"))
        try ParkVTN.publish(Self.run(startingAfter: 60), runID: 2, currency: "CNY", into: vtn, now: Self.at("00:20"))
        // Price and the two firms' dispatch events of each.
        #expect(Self.runs(vtn) == [1: 3, 2: 3])
        // Run 3 re-plans from 01:30 (01:30–02:30): run 2 keeps its steps before 01:30, run 1 all.
        try ParkVTN.publish(Self.run(startingAfter: 90), runID: 3, currency: "CNY", into: vtn, now: Self.at("00:40"))
        #expect(Self.runs(vtn) == [1: 3, 2: 3, 3: 3])
        #expect(Self.priceIntervals(vtn, run: 1) == 4 && Self.priceIntervals(vtn, run: 2) == 2 && Self.priceIntervals(vtn, run: 3) == 4)
        // Run 1 has ended at 01:00; runs 2 and 3 have not.
        #expect(ParkVTN.removeEnded(from: vtn, now: Self.at("00:59")) == 0)
        #expect(ParkVTN.removeEnded(from: vtn, now: Self.at("01:00")) == 3)
        #expect(ParkVTN.removeEnded(from: vtn, now: Self.at("01:30")) == 3)
        #expect(Self.runs(vtn) == [3: 3])
    }

    /// A re-plan of today recorded after tomorrow's plan leaves tomorrow's in place.
    @Test func aReplanOfTodayLeavesTomorrowsPlan() throws {
        let vtn = try VTNService(auth: VTNAuth(clients: []))
        try ParkVTN.publish(Self.run(startingAfter: 0), runID: 1, currency: "CNY", into: vtn, now: Self.at("00:10"))
        try ParkVTN.publish(Self.run(startingAfter: 60), runID: 2, currency: "CNY", into: vtn, now: Self.at("00:10"))
        // Run 3 re-plans today's last half hour (00:30–01:00): run 1 keeps 00:00–00:30, run 2 is whole.
        try ParkVTN.publish(Self.run(startingAfter: 30, steps: 2), runID: 3, currency: "CNY", into: vtn, now: Self.at("00:31"))
        #expect(Self.runs(vtn) == [1: 3, 2: 3, 3: 3])
        #expect(Self.priceIntervals(vtn, run: 1) == 2 && Self.priceIntervals(vtn, run: 2) == 4 && Self.priceIntervals(vtn, run: 3) == 2)
    }

    /// A re-plan from 00:30 replaces the plan in force from 00:30 on; the plan's earlier steps
    /// stay until they have ended.
    @Test func aRevisionReplacesThePlanFromItsFirstStep() throws {
        let vtn = try VTNService(auth: VTNAuth(clients: []))
        try ParkVTN.publish(Self.run(startingAfter: 0), runID: 1, currency: "CNY", into: vtn, now: Self.at("00:10"))
        try ParkVTN.publish(Self.run(startingAfter: 30), runID: 2, currency: "CNY", into: vtn, now: Self.at("00:31"))
        #expect(Self.runs(vtn) == [1: 3, 2: 3])
        #expect(Self.priceIntervals(vtn, run: 1) == 2 && Self.priceIntervals(vtn, run: 2) == 4)
        // Published when run 1's kept steps have ended, run 3 leaves nothing of it.
        try ParkVTN.publish(Self.run(startingAfter: 45), runID: 3, currency: "CNY", into: vtn, now: Self.at("00:46"))
        #expect(Self.runs(vtn) == [2: 3, 3: 3])
        #expect(Self.priceIntervals(vtn, run: 2) == 1)
    }

    /// A run that has ended by the time another is published goes, overlapping or not.
    @Test func anEndedRunGoesWhenTheNextIsPublished() throws {
        let vtn = try VTNService(auth: VTNAuth(clients: []))
        try ParkVTN.publish(Self.run(startingAfter: 0), runID: 1, currency: "CNY", into: vtn, now: Self.at("00:10"))
        try ParkVTN.publish(Self.run(startingAfter: 120), runID: 2, currency: "CNY", into: vtn, now: Self.at("01:30"))
        #expect(Self.runs(vtn) == [2: 3])
    }
}
