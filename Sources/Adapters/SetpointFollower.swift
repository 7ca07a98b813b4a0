import Foundation

/// Sends a run's setpoints step by step as time passes: at each step's start, every sink
/// gets the setpoints with that step in effect (MQTT re-publishes the retained schedule and
/// the step's setpoint; SunSpec devices get the step's value written and read back). Ends
/// after the last step, or when `shouldStop` says so. A step whose start has passed before
/// the first look (a late start) is sent at once; steps in the past are not replayed.
public enum SetpointFollower {
    /// `clock` is the time to follow; the follower looks every `pollSeconds` of it.
    public static func follow(_ setpoints: [Setpoint], sinks: [any SetpointSink], pollSeconds: Double = 1,
                              clock: any AdapterClock = WallClock(),
                              shouldStop: @escaping @Sendable () -> Bool = { false },
                              onStep: @escaping @Sendable (Int, [SetpointReceipt]) -> Void) async throws {
        guard let first = setpoints.map(\.time).min(), let end = setpoints.map(\.end).max() else { return }
        var sent: Int?
        while !shouldStop() && !Task.isCancelled {
            let now = clock.now
            if now >= end { return }
            if now >= first, let k = RunSetpoints.step(at: now, in: setpoints), k != sent {
                var receipts: [SetpointReceipt] = []
                for sink in sinks {
                    do { receipts += try await sink.send(setpoints, step: k) } catch {
                        receipts.append(SetpointReceipt(sink: sink.name, asset: "*", step: k, powerKW: .nan, confirmed: nil, error: "\(error)"))
                    }
                }
                sent = k
                onStep(k, receipts)
            }
            try await clock.sleep(seconds: pollSeconds)
        }
    }
}
