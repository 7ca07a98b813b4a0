// swift-tools-version:6.1
// Builds swift-openapi-generator's command once, for scripts/generate-openadr.sh; the
// generated code is committed under Sources/OpenADRAPI/Generated, so CI never builds this.
import PackageDescription

let package = Package(
    name: "openadr-codegen",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")]
)
