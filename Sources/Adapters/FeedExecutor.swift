import Foundation

/// Threads of the feed service's own, as a task executor: the polling loops, their NIO
/// awaits and the store writer run here, not on Swift's cooperative pool, so a process
/// that also does heavy synchronous work (forecasting, solving — or a test runner) cannot
/// starve the feeds; and the feeds never block that pool.
public final class FeedExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = FeedExecutor(threads: 2)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(threads: Int) {
        for k in 0..<threads {
            let t = Thread { [unowned self] in self.work() }
            t.name = "flexdispatch.feeds.\(k)"
            t.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
