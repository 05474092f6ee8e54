// swift-tools-version:6.1
import PackageDescription

// One target per layer; each depends only on the layers below it (the compiler enforces it):
//   AD3DSupport → AD3DTensor → AD3DPointCloud, AD3DNN → AD3DModels → AD3DSynthesis, AD3DPretraining,
//   AD3DEvaluation → AD3DDetection → AD3DReport, re-exported together by the umbrella AD3DKit.
let package = Package(
    name: "ad3d",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ad3d", targets: ["ad3d"]),
        .library(name: "AD3DKit", targets: ["AD3DKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            providers: [.apt(["libblas-dev", "liblapacke-dev", "libopenblas0-pthread"])]
        ),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "AD3DSupport"),
        .target(name: "AD3DTensor", dependencies: ["AD3DSupport", "CBLAS"]),
        .target(name: "AD3DPointCloud", dependencies: ["AD3DSupport", "AD3DTensor"]),
        .target(name: "AD3DNN", dependencies: ["AD3DSupport", "AD3DTensor"]),
        .target(
            name: "AD3DModels",
            dependencies: ["AD3DSupport", "AD3DTensor", "AD3DPointCloud", "AD3DNN"],
            resources: [.copy("Resources/encoder-small.safetensors")]
        ),
        .target(name: "AD3DSynthesis", dependencies: ["AD3DSupport", "AD3DTensor", "AD3DPointCloud"]),
        .target(
            name: "AD3DPretraining",
            dependencies: ["AD3DSupport", "AD3DTensor", "AD3DPointCloud", "AD3DNN", "AD3DModels", "AD3DSynthesis"]
        ),
        .target(
            name: "AD3DEvaluation",
            dependencies: ["AD3DSupport", "AD3DTensor", "AD3DPointCloud", .product(name: "CSV", package: "CSV.swift")]
        ),
        .target(
            name: "AD3DDetection",
            dependencies: [
                "AD3DSupport", "AD3DTensor", "AD3DPointCloud", "AD3DNN", "AD3DModels", "AD3DSynthesis", "AD3DEvaluation",
            ]
        ),
        .target(
            name: "AD3DReport",
            dependencies: ["AD3DSupport", "AD3DTensor", "AD3DPointCloud", "AD3DEvaluation", "AD3DDetection", "CZlib"]
        ),
        .target(
            name: "AD3DKit",
            dependencies: [
                "AD3DSupport", "AD3DTensor", "AD3DPointCloud", "AD3DNN", "AD3DModels", "AD3DSynthesis",
                "AD3DPretraining", "AD3DEvaluation", "AD3DDetection", "AD3DReport",
            ]
        ),
        .executableTarget(
            name: "ad3d",
            dependencies: [
                "AD3DKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AD3DKitTests",
            dependencies: ["AD3DKit"],
            resources: [.copy("Resources")]
        ),
    ]
)
