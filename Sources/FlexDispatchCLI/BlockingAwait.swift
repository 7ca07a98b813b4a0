import Adapters
import Foundation

/// Runs async work from a synchronous command and waits for it. The work starts on the
/// feed executor's own threads: the calling thread may be one of the cooperative pool's
/// (commands run in-process from tests), and blocking every pool thread while the work
/// waits for one would deadlock.
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: FeedExecutor.shared) {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

private final class ResultBox<T>: @unchecked Sendable { var result: Result<T, any Error>? }
