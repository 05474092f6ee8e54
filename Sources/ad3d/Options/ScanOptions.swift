import ArgumentParser

/// How scans are read.
struct ScanOptions: ParsableArguments {
    @Option(help: "Points sampled from the surface of a mesh input (OFF, OBJ, STL).")
    var meshPoints: Int = 16_384

    func validate() throws {
        guard meshPoints > 0 else { throw ValidationError("--mesh-points must be positive.") }
    }
}
