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
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
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
        // The VTN under 46 firms' VENs and one misbehaving client: `swift run -c release VTNLoad`.
        .executableTarget(
            name: "VTNLoad",
            dependencies: [
                .product(name: "Adapters", package: "FlexDispatch"),
                .product(name: "OpenADRAPI", package: "FlexDispatch"),
                .product(name: "Storage", package: "FlexDispatch"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/VTNLoad"
        ),
    ]
)
