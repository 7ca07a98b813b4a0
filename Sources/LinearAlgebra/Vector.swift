import CLinearAlgebra
#if canImport(Glibc)
import Glibc
#endif

/// Dense vector kernels on `[Double]` through CBLAS (level 1). All are O(n).
public enum Vec {
    /// xᵀy, summed in order (arrays or buffers alike).
    @inlinable
    public static func dot<X: RandomAccessCollection, Y: RandomAccessCollection>(_ x: X, _ y: Y) -> Double
    where X.Element == Double, Y.Element == Double, X.Index == Int, Y.Index == Int {
        precondition(x.count == y.count, "dot: length mismatch")
        var s = 0.0
        for i in 0..<x.count { s += x[x.startIndex + i] * y[y.startIndex + i] }
        return s
    }

    /// y ← a·x + y (BLAS daxpy).
    public static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy: length mismatch")
        let n = Int32(x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                cblas_daxpy(n, a, xp.baseAddress, 1, yp.baseAddress, 1)
            }
        }
    }

    /// ‖x‖∞ (0 for an empty vector; arrays or buffers alike).
    @inlinable
    public static func normInf<S: Sequence>(_ x: S) -> Double where S.Element == Double {
        var m = 0.0
        for v in x { m = Swift.max(m, Swift.abs(v)) }
        return m
    }

    /// ‖x‖₂ (BLAS dnrm2, safe against overflow).
    public static func norm2(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { cblas_dnrm2(Int32(x.count), $0.baseAddress, 1) }
    }
}

/// Controls the number of threads OpenBLAS uses for dense kernels (and CHOLMOD's
/// supernodal BLAS calls).
public enum BLASThreads {
    /// Sets OpenBLAS's and OpenMP's thread counts; with 1, OpenMP parallel regions inside
    /// CHOLMOD become inactive (they would otherwise spin extra threads on a 1-thread run).
    public static func set(_ count: Int) {
        let n = Int32(Swift.max(1, count))
        openblas_set_num_threads(n)
        setThreadsInSharedBLAS(n)
        omp_set_num_threads(n)
        omp_set_max_active_levels(n == 1 ? 0 : 1)
    }
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// CHOLMOD links the system BLAS (libblas.so.3), which Debian's alternatives may map
    /// to a second copy of OpenBLAS with its own thread pool: set that one too.
    private static func setThreadsInSharedBLAS(_ n: Int32) {
        #if canImport(Glibc)
        guard let handle = dlopen("libblas.so.3", RTLD_NOW | RTLD_NOLOAD) else { return }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, "openblas_set_num_threads") else { return }
        typealias SetThreads = @convention(c) (Int32) -> Void
        unsafeBitCast(symbol, to: SetThreads.self)(n)
        #endif
    }
}
