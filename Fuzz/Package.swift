// swift-tools-version:6.1
// libFuzzer targets for ad3d's file readers, one executable per reader. Scripts/fuzz.sh builds them with
//   swift build --package-path Fuzz -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// libFuzzer supplies `main`. SwiftPM's own --sanitize=fuzzer is needed because it alone stops SwiftPM
// from renaming each executable's entry point to <Target>_main and linking `--defsym main=<Target>_main`
// (which fails: there is no <Target>_main); -Xswiftc -sanitize=fuzzer,address is needed because
// SwiftPM passes each --sanitize as a separate -sanitize= flag and swiftc keeps only the last one, so
// --sanitize=fuzzer --sanitize=address would compile without coverage instrumentation.
import PackageDescription

/// Targets that read a scan or mesh format through `FuzzSupport`.
let scanReaders = ["FuzzPCD", "FuzzPLY", "FuzzXYZ", "FuzzNPY", "FuzzOFF", "FuzzOBJ", "FuzzSTL"]
/// Targets with their own entry point.
let otherReaders = ["FuzzLZF", "FuzzSafeTensors", "FuzzModelConfiguration"]
let readers = scanReaders + otherReaders
let kit = Target.Dependency.product(name: "AD3DKit", package: "ad3d")

let package = Package(
    name: "ad3d-fuzz",
    platforms: [.macOS(.v14)],
    products: readers.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "ad3d", path: "..")],
    targets: [.target(name: "FuzzSupport", dependencies: [kit])]
        + scanReaders.map { .executableTarget(name: $0, dependencies: ["FuzzSupport"]) }
        + otherReaders.map { .executableTarget(name: $0, dependencies: [kit]) }
)
