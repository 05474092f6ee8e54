// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ad3d",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ad3d", targets: ["ad3d"]),
        .library(name: "AD3DKit", targets: ["AD3DKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            providers: [.apt(["libblas-dev", "liblapacke-dev", "libopenblas0-pthread"])]
        ),
        .target(
            name: "AD3DKit",
            dependencies: ["CBLAS"],
            resources: [.copy("Resources/encoder-small.safetensors")]
        ),
        .executableTarget(
            name: "ad3d",
            dependencies: [
                "AD3DKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AD3DKitTests",
            dependencies: ["AD3DKit"],
            resources: [.copy("Resources")]
        ),
    ]
)
