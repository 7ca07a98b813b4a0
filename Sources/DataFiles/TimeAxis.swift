import Foundation

/// The steps of a run on the clock: the first step's start, the step length, how many steps,
/// and the offset the scenario writes its times in. Every place where a step meets a clock
/// time (setpoints, OpenADR intervals, S2 plans, reports against meters) goes through one.
public struct TimeAxis: Sendable, Equatable {
    /// The first step's start.
    public var start: Date
    /// Every step's length.
    public var stepSeconds: Double
    /// How many steps.
    public var count: Int
    /// The scenario's UTC offset (seconds east), for writing times back as it wrote them.
    public var offsetSeconds: Int

    public init(start: Date, stepSeconds: Double, count: Int, offsetSeconds: Int = 0) {
        self.start = start
        self.stepSeconds = stepSeconds
        self.count = count
        self.offsetSeconds = offsetSeconds
    }

    /// Where the steps end.
    public var end: Date { time(count) }

    /// The start of step `k` (k = count: the end of the last step).
    public func time(_ k: Int) -> Date { start.addingTimeInterval(Double(k) * stepSeconds) }

    /// The step whose interval [start, start + step) holds `date`; nil outside the axis.
    public func step(containing date: Date) -> Int? {
        guard date >= start, stepSeconds > 0, stepSeconds.isFinite else { return nil }
        let k = (date.timeIntervalSince(start) / stepSeconds).rounded(.down)
        return k < Double(count) ? Int(k) : nil
    }

    /// The mean of the samples that fall in each step; nil for a step without one.
    public func means(of samples: some Sequence<(time: Date, value: Double)>) -> [Double?] {
        let count = max(0, self.count)
        var sum = [Double](repeating: 0, count: count), n = [Int](repeating: 0, count: count)
        for s in samples {
            guard let k = step(containing: s.time) else { continue }
            sum[k] += s.value
            n[k] += 1
        }
        return (0..<count).map { n[$0] > 0 ? sum[$0] / Double(n[$0]) : nil }
    }

    /// The axis of a run's step times (ISO 8601 with an offset, as the scenario wrote them)
    /// and its recorded step length. Fails, saying why, when there is no step, a time does
    /// not parse, or the times are not `stepSeconds` apart.
    public static func of(times: [String], stepSeconds: Double) throws(TimeAxisError) -> TimeAxis {
        guard let first = times.first else { throw TimeAxisError("the run has no steps") }
        guard stepSeconds > 0, stepSeconds.isFinite else { throw TimeAxisError("the step length \(stepSeconds) s is not a positive number") }
        guard let stamp = TimeParser.parse(Substring(first)), let start = TimeParser.instant(first) else {
            throw TimeAxisError("step 0: '\(Printable.escaped(first, limit: 60))' is not an ISO-8601 time")
        }
        let axis = TimeAxis(start: start, stepSeconds: stepSeconds, count: times.count, offsetSeconds: stamp.offsetSeconds)
        for (k, t) in times.enumerated().dropFirst() {
            guard let d = TimeParser.instant(t) else { throw TimeAxisError("step \(k): '\(Printable.escaped(t, limit: 60))' is not an ISO-8601 time") }
            guard abs(d.timeIntervalSince(axis.time(k))) < 1e-3 else {
                throw TimeAxisError("step \(k): \(t) is not \(Int(stepSeconds)) s after the step before")
            }
        }
        return axis
    }
}

/// Why a run's times do not make a time axis.
public struct TimeAxisError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
