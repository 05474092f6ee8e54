import Foundation

/// A failure to synthesize a benchmark: bad input meshes or part names, impossible settings,
/// or a defect that cannot reach the requested size on a part.
public enum SynthesisError: Error, LocalizedError, Equatable {
    /// A positional input is neither a built-in part nor a mesh file.
    case unknownInput(name: String, parts: [String])
    /// A mesh cannot be used (no area, bad indices).
    case invalidMesh(problem: String)
    /// A PLY file was given: ad3d reads PLY as points, which cannot carry defects on a surface.
    case plyIsNotAMesh(path: String)
    /// An option value is out of range.
    case invalidSetting(name: String, problem: String)
    /// Two inputs would write the same category folder.
    case duplicateCategory(name: String)
    /// The category folder exists and holds files; `--overwrite` replaces it.
    case categoryExists(path: String)
    /// No draw of a defect gave an anomalous fraction inside the requested range.
    case defectSizeUnreachable(category: String, defect: String, range: ClosedRange<Double>, attempts: Int, closest: Double)

    /// A one-line message saying what is wrong and how to fix it.
    public var errorDescription: String? {
        switch self {
        case .unknownInput(let name, let parts):
            return "'\(name)' is neither a mesh file (.off, .obj, .stl) nor a built-in part (\(parts.joined(separator: ", ")))"
        case .invalidMesh(let problem):
            return "cannot synthesize from this mesh: \(problem)"
        case .plyIsNotAMesh(let path):
            return "\(path): PLY input must be a mesh, but ad3d reads PLY files as point clouds (vertices only); "
                + "convert it to OFF, OBJ or STL"
        case .invalidSetting(let name, let problem):
            return "\(name): \(problem)"
        case .duplicateCategory(let name):
            return "two inputs would both write category '\(name)'; rename one of the mesh files"
        case .categoryExists(let path):
            return "\(path) already exists and is not empty; choose another output folder or pass --overwrite"
        case .defectSizeUnreachable(let category, let defect, let range, let attempts, let closest):
            return "\(category): no \(defect) defect with an anomalous fraction in "
                + "\(percent(range.lowerBound))–\(percent(range.upperBound)) after \(attempts) attempts "
                + "(closest \(percent(closest))); widen --defect-size or drop --defects \(defect) for this part"
        }
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }
}
