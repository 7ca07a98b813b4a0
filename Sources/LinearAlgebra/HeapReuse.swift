import CLinearAlgebra

/// How the C allocator hands back large blocks. glibc serves every block above its mmap
/// threshold with a fresh mapping and returns it to the kernel on free, so a numeric loop
/// that allocates and frees the same large buffers (a forecaster's Gram matrices each refit,
/// an LP's vectors each solve) pays a page fault and a zeroed page for every 4 KiB each time.
/// ``keepLargeBlocks(upToMB:)`` serves blocks below the given size from the heap and keeps
/// freed heap memory for reuse; a process-wide setting, for programs (the CLI sets it once
/// at start), not for libraries.
///
/// Measured 2026-12-07 on `flexdispatch forecast backtest` of vic_elec, ridge, all 33 windows
/// (1 thread): 1.4–1.5 s of system time without it, 0.01–0.04 s with it; peak memory 54 MB
/// against 63 MB.
public enum HeapReuse {
    /// The largest mmap threshold glibc accepts on 64-bit systems (MB).
    public static let largestThresholdMB = 32

    /// Blocks up to `upToMB` (at most ``largestThresholdMB``) come from the heap; up to
    /// twice that of free heap is kept. Returns whether the allocator took the setting
    /// (false where it is not glibc's).
    @discardableResult
    public static func keepLargeBlocks(upToMB: Int = largestThresholdMB) -> Bool {
        #if os(Linux)
        let mb = min(max(upToMB, 1), largestThresholdMB)
        guard mallopt(M_MMAP_THRESHOLD, Int32(mb * 1_048_576)) == 1 else { return false }
        return mallopt(M_TRIM_THRESHOLD, Int32(2 * mb * 1_048_576)) == 1
        #else
        return false
        #endif
    }
}
