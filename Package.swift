// swift-tools-version:6.1
import PackageDescription

// Layers, one target each, arrows pointing down only:
//   FlexDispatchCLI → LinearProgramming → LinearAlgebra → CLinearAlgebra (system library)
//                                       ↘ CZlib (system library, gzip reading)
let package = Package(
    name: "FlexDispatch",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "LinearProgramming", targets: ["LinearProgramming"]),
        .library(name: "Forecasting", targets: ["Forecasting"]),
        .library(name: "ParkModel", targets: ["ParkModel"]),
        .executable(name: "flexdispatch", targets: ["FlexDispatchCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLinearAlgebra",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev", "libsuitesparse-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "LinearAlgebra",
            dependencies: ["CLinearAlgebra"],
            exclude: ["README.md"]
        ),
        .target(
            name: "LinearProgramming",
            dependencies: [
                "LinearAlgebra", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "Forecasting",
            dependencies: ["LinearProgramming", "LinearAlgebra"],
            exclude: ["README.md"]
        ),
        .target(
            name: "ParkModel",
            dependencies: ["Forecasting", "LinearProgramming", "LinearAlgebra"],
            exclude: ["README.md"]
        ),
        .target(
            name: "RunHistory",
            dependencies: ["ParkModel", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .target(
            name: "Adapters",
            dependencies: ["RunHistory", "CMosquitto", .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]
        ),
        .target(
            name: "Reporting",
            dependencies: ["ParkModel"]
        ),
        .executableTarget(
            name: "FlexDispatchCLI",
            dependencies: [
                "LinearProgramming", "ParkModel", "Forecasting", "Reporting", "RunHistory", "Adapters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["LinearProgramming", "ParkModel"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "LinearProgrammingTests", dependencies: ["LinearProgramming", "TestSupport"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "TestSupport"]),
        .testTarget(name: "ParkModelTests", dependencies: ["ParkModel", "TestSupport"]),
        .testTarget(name: "RunHistoryTests", dependencies: ["RunHistory", "ParkModel", "TestSupport"]),
        .testTarget(name: "AdaptersTests", dependencies: ["Adapters", "RunHistory", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "ParkModel", "CZlib", "TestSupport"]),
        .testTarget(name: "FlexDispatchCLITests", dependencies: ["FlexDispatchCLI", "RunHistory", "Adapters", "TestSupport"]),
    ]
)
