import LinearAlgebra
import Testing

@Suite("Heap reuse setting")
struct HeapReuseTests {
    /// glibc takes thresholds up to 32 MB; a larger request is clamped, not silently dropped.
    @Test func theAllocatorTakesTheSetting() {
        #if os(Linux)
        #expect(HeapReuse.keepLargeBlocks())
        #expect(HeapReuse.keepLargeBlocks(upToMB: 1_000))
        #expect(HeapReuse.keepLargeBlocks(upToMB: 1))
        #expect(HeapReuse.keepLargeBlocks())
        #endif
    }
}
