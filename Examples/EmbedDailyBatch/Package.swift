// swift-tools-version:6.1
import Foundation
import PackageDescription

// The FlexDispatch package two folders up, by its identity (the folder's name).
let flexDispatch = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

let package = Package(
    name: "EmbedDailyBatch",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: flexDispatch.path)],
    targets: [
        .executableTarget(
            name: "EmbedDailyBatch",
            dependencies: [
                .product(name: "FlexDispatch", package: flexDispatch.lastPathComponent),
                .product(name: "RunHistory", package: flexDispatch.lastPathComponent),
            ]
        ),
    ]
)
