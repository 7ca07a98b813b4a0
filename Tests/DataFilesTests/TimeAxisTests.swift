import DataFiles
import Foundation
import Testing

/// Steps on the clock: built from a run's times and its step length, with the scenario's
/// offset kept; times that are not one step apart are refused, naming the step.
@Suite("Data files: time axis")
struct TimeAxisTests {
    @Test func stepsMeetTheClock() throws {
        let axis = try TimeAxis.of(times: ["2025-06-01T00:00:00+08:00", "2025-06-01T01:00:00+08:00", "2025-06-01T02:00:00+08:00"],
                                   stepSeconds: 3600)
        #expect(axis.start == Date(timeIntervalSince1970: 1_748_707_200) && axis.count == 3 && axis.offsetSeconds == 28_800)
        #expect(axis.end == axis.start.addingTimeInterval(3 * 3600))
        #expect(axis.step(containing: axis.start) == 0)
        #expect(axis.step(containing: axis.start.addingTimeInterval(3599.999)) == 0)
        #expect(axis.step(containing: axis.start.addingTimeInterval(3600)) == 1)
        #expect(axis.step(containing: axis.end) == nil && axis.step(containing: axis.start.addingTimeInterval(-1)) == nil)
        // One step is enough when its length is known.
        #expect(try TimeAxis.of(times: ["2025-06-01T00:00:00Z"], stepSeconds: 3600).end == Date(timeIntervalSince1970: 1_748_739_600))
    }

    /// Samples averaged into the steps they fall in: a sample on a step's start belongs to
    /// it, one on its end to the next; a step without samples has none.
    @Test func samplesAreAveragedIntoTheirSteps() {
        let t0 = Date(timeIntervalSince1970: 1_748_707_200)
        let axis = TimeAxis(start: t0, stepSeconds: 900, count: 3)
        let samples = [(t0, 10.0), (t0.addingTimeInterval(899), 20), (t0.addingTimeInterval(900), 7),
                       (t0.addingTimeInterval(-1), 1000), (t0.addingTimeInterval(2700), 1000)].map { (time: $0.0, value: $0.1) }
        #expect(axis.means(of: samples) == [15, 7, nil])
    }

    @Test func timesThatDoNotFitAreRefused() {
        #expect(throws: TimeAxisError.self) { try TimeAxis.of(times: [], stepSeconds: 900) }
        #expect(throws: TimeAxisError.self) { try TimeAxis.of(times: ["2025-06-01T00:00:00Z"], stepSeconds: 0) }
        do {
            _ = try TimeAxis.of(times: ["2025-06-01T00:00:00Z", "2025-06-01T00:15:00Z", "2025-06-01T00:45:00Z"], stepSeconds: 900)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.description == "step 2: 2025-06-01T00:45:00Z is not 900 s after the step before")
        }
        #expect(throws: TimeAxisError.self) { try TimeAxis.of(times: ["2025-06-01T00:00:00Z", "tomorrow"], stepSeconds: 900) }
    }
}
