import Benchmark
import Foundation
import LinearAlgebra
import LinearProgramming

/// A storage-chain LP of `steps` periods: the banded structure of a park's battery.
func storageChainModel(steps: Int) throws -> LinearProgram {
    var b = ModelBuilder(name: "chain")
    var socPrevious: Int?
    for t in 0..<steps {
        let price = 0.1 + 0.2 * Double((t / 4) % 6 == 3 ? 1 : 0)
        let imp = b.addVariable(lower: 0, upper: 500, cost: price)
        let ch = b.addVariable(lower: 0, upper: 100, cost: 0.001)
        let dis = b.addVariable(lower: 0, upper: 100, cost: 0.001)
        let soc = b.addVariable(lower: 20, upper: 400)
        b.addConstraint([(imp, 1), (dis, 1), (ch, -1)], lower: 300, upper: 300)
        var e: [(variable: Int, value: Double)] = [(soc, 1), (ch, -0.95), (dis, 1 / 0.95)]
        if let p = socPrevious { e.append((p, -1)) }
        b.addConstraint(e, lower: socPrevious == nil ? 200 : 0, upper: socPrevious == nil ? 200 : 0)
        socPrevious = soc
    }
    return try b.build()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(5))

    Benchmark("IPM storage chain, 672 steps") { benchmark in
        let lp = try storageChainModel(steps: 672)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try LPSolver.solve(lp)) }
    }

    Benchmark("CHOLMOD normal-equations refactorisation, 672-step chain") { benchmark in
        let lp = try storageChainModel(steps: 672)
        let chol = try SparseNormalCholesky(lp.matrix)
        let theta = (0..<lp.columnCount).map { 1 + Double($0 % 7) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try chol.factorize(theta: theta, beta: 1e-8) }
    }

    Benchmark("MPS write + read, 672-step chain") { benchmark in
        let lp = try storageChainModel(steps: 672)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try MPSReader.parse(MPSWriter.write(lp))) }
    }
}
