// swift-tools-version:6.1
import Foundation
import PackageDescription

// The FlexDispatch package two folders up, by its identity (the folder's name).
let flexDispatch = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

let package = Package(
    name: "AdapterOnly",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: flexDispatch.path)],
    targets: [
        .executableTarget(
            name: "AdapterOnly",
            dependencies: [
                .product(name: "Adapters", package: flexDispatch.lastPathComponent),
                .product(name: "Measurements", package: flexDispatch.lastPathComponent),
            ]
        ),
    ]
)
