// swift-tools-version:6.1
import Foundation
import PackageDescription

// The FlexDispatch package two folders up, by its identity (the folder's name).
let flexDispatch = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

let package = Package(
    name: "ParkInCode",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: flexDispatch.path)],
    targets: [
        .executableTarget(
            name: "ParkInCode",
            dependencies: [.product(name: "ParkModel", package: flexDispatch.lastPathComponent)]
        ),
    ]
)
