// swift-tools-version:6.1
import PackageDescription

// Micro-benchmarks (ordo-one/benchmark), kept out of the root manifest so building and
// testing FlexDispatch never pulls a benchmark dependency. Run from this folder:
//   swift package benchmark
let package = Package(
    name: "FlexDispatchBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "FlexDispatch", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "LPSolver",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LinearProgramming", package: "FlexDispatch"),
                .product(name: "LinearAlgebra", package: "FlexDispatch"),
            ],
            path: "Benchmarks/LPSolver",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
