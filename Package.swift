// swift-tools-version:6.1
import PackageDescription

// Layers, one target each, arrows pointing down only (docs/architecture.md):
//   FlexDispatchCLI → FlexDispatch (application layer) → RunHistory, Measurements, Reporting → ParkModel
//   FlexDispatchCLI → Adapters (→ OpenADRAPI, CMosquitto) → RunHistory, Measurements
//   → Storage (no solver below them)
//   FlexDispatch → Forecasting (the batch's forecasting stage); ParkModel → LinearProgramming;
//   Forecasting → LinearProgramming → LinearAlgebra
//   → CLinearAlgebra (system library); LinearProgramming → CZlib (gzip reading); DataFiles
//   (file formats) under all of them. Every module a target imports is declared here.
let package = Package(
    name: "FlexDispatch",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DataFiles", targets: ["DataFiles"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "LinearProgramming", targets: ["LinearProgramming"]),
        .library(name: "Forecasting", targets: ["Forecasting"]),
        .library(name: "ParkModel", targets: ["ParkModel"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "RunHistory", targets: ["RunHistory"]),
        .library(name: "Measurements", targets: ["Measurements"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "FlexDispatch", targets: ["FlexDispatch"]),
        .library(name: "Adapters", targets: ["Adapters"]),
        .library(name: "OpenADRAPI", targets: ["OpenADRAPI"]),
        .executable(name: "flexdispatch", targets: ["FlexDispatchCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
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
        // File formats shared by every layer: strict JSON with error positions, RFC 4180 CSV writing,
        // file-error wording.
        .target(name: "DataFiles", exclude: ["README.md"]),
        .target(
            name: "LinearAlgebra",
            dependencies: ["CLinearAlgebra"],
            exclude: ["README.md"]
        ),
        .target(
            name: "LinearProgramming",
            dependencies: [
                "LinearAlgebra", "CZlib", "DataFiles",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "Forecasting",
            dependencies: ["LinearProgramming", "LinearAlgebra", "DataFiles"],
            exclude: ["README.md"]
        ),
        .target(
            name: "ParkModel",
            dependencies: ["LinearProgramming", "LinearAlgebra", "DataFiles", "Forecasting"],
            exclude: ["README.md"]
        ),
        // FlexDispatch's database (SQLite or PostgreSQL): connections, the schema and its
        // migrations, the servers' documents.
        .target(
            name: "Storage",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            exclude: ["README.md"]
        ),
        // The run history: plain run records in the database (no park model, no solver).
        .target(
            name: "RunHistory",
            dependencies: ["Storage", "DataFiles", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio")],
            exclude: ["README.md"]
        ),
        // The measurement store: what the adapters receive, in the same database.
        .target(
            name: "Measurements",
            dependencies: ["Storage", "DataFiles", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio")],
            exclude: ["README.md"]
        ),
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        // OpenADR 3.1 types, client and server stubs generated by swift-openapi-generator
        // (scripts/generate-openadr.sh; the output is committed, CI does not regenerate it).
        .target(
            name: "OpenADRAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                           .product(name: "HTTPTypes", package: "swift-http-types")],
            exclude: ["README.md"]
        ),
        .target(
            name: "Adapters",
            dependencies: ["RunHistory", "Measurements", "Storage", "CMosquitto", "DataFiles", .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), "OpenADRAPI",
                           .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                           .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                           .product(name: "HummingbirdTLS", package: "hummingbird"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle")]
        ),
        .target(
            name: "Reporting",
            dependencies: ["ParkModel"]
        ),
        // The application layer: a run's output contract (outputs, manifest, run record)
        // over the park model, the run history and the report.
        .target(
            name: "FlexDispatch",
            dependencies: ["ParkModel", "Forecasting", "LinearProgramming", "RunHistory", "Measurements", "Reporting", "DataFiles", "Adapters",
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "FlexDispatchCLI",
            dependencies: [
                "FlexDispatch", "LinearAlgebra", "LinearProgramming", "ParkModel", "Forecasting", "Reporting", "RunHistory", "Measurements", "Storage",
                "Adapters", "DataFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["LinearAlgebra", "Storage"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "DataFilesTests", dependencies: ["DataFiles", "TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["DataFiles", "FlexDispatch", "Forecasting", "LinearProgramming", "ParkModel",
                                                      .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "LinearProgrammingTests", dependencies: ["LinearProgramming", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "DataFiles", "TestSupport"]),
        .testTarget(name: "ParkModelTests", dependencies: ["ParkModel", "Forecasting", "LinearProgramming", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "RunHistoryTests", dependencies: ["RunHistory", "Storage", "DataFiles", "TestSupport"]),
        .testTarget(name: "MeasurementsTests", dependencies: ["Measurements", "Storage", "TestSupport"]),
        .testTarget(name: "FlexDispatchTests", dependencies: ["FlexDispatch", "RunHistory", "Storage", "ParkModel", "LinearProgramming", "TestSupport"]),
        .testTarget(name: "AdaptersTests", dependencies: ["Adapters", "RunHistory", "Measurements", "Storage", "TestSupport", "OpenADRAPI",
                                                         .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                                         .product(name: "NIOCore", package: "swift-nio"),
                                                         .product(name: "NIOPosix", package: "swift-nio"),
                                                         .product(name: "NIOHTTP1", package: "swift-nio"),
                                                         .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                                                         .product(name: "Logging", package: "swift-log"),
                                                         .product(name: "Hummingbird", package: "hummingbird"),
                                                         .product(name: "HummingbirdWSClient", package: "hummingbird-websocket")]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "ParkModel", "CZlib", "TestSupport"]),
        .testTarget(name: "FlexDispatchCLITests", dependencies: ["FlexDispatchCLI", "FlexDispatch", "RunHistory", "Measurements", "Storage", "Adapters", "TestSupport", "OpenADRAPI",
                                                                "ParkModel", "LinearProgramming",
                                                                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                                .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
    ]
)
