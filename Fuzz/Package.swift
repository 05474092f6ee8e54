// swift-tools-version:6.1
// libFuzzer targets for ad3d's file readers, one executable per reader. Scripts/fuzz.sh builds them with
//   swift build --package-path Fuzz -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// libFuzzer supplies `main`. SwiftPM's own --sanitize=fuzzer is needed because it alone stops SwiftPM
// from renaming each executable's entry point to <Target>_main and linking `--defsym main=<Target>_main`
// (which fails: there is no <Target>_main); -Xswiftc -sanitize=fuzzer,address is needed because
// SwiftPM passes each --sanitize as a separate -sanitize= flag and swiftc keeps only the last one, so
// --sanitize=fuzzer --sanitize=address would compile without coverage instrumentation.
import PackageDescription

let readers = [
    "FuzzPCD", "FuzzPLY", "FuzzXYZ", "FuzzNPY", "FuzzOFF", "FuzzOBJ", "FuzzSTL",
    "FuzzLZF", "FuzzSafeTensors", "FuzzModelConfiguration",
]

let package = Package(
    name: "ad3d-fuzz",
    platforms: [.macOS(.v14)],
    products: readers.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "ad3d", path: "..")],
    targets: readers.map { .executableTarget(name: $0, dependencies: [.product(name: "AD3DKit", package: "ad3d")]) }
)
