import AD3DSupport

/// The header of a PCD v0.7 file (PCL's Point Cloud Data format).
struct PCDHeader {
    /// How the data section is stored.
    enum Encoding: String {
        case ascii, binary, binaryCompressed = "binary_compressed"
    }

    /// One field (`FIELDS` entry) with its type and element count.
    struct Field {
        var name: String
        var type: ScalarType
        var count: Int
    }

    var fields: [Field]
    var width: Int
    var height: Int
    var points: Int
    var encoding: Encoding
    /// Offset of the first data byte in the file.
    var dataOffset: Int
    /// 1-based line number of the first body line (for messages about ASCII data).
    var dataLine: Int

    /// Values per point in ASCII data (sum of counts).
    var valuesPerPoint: Int { fields.reduce(0) { $0 + $1.count } }
    /// Bytes per point in binary data (sum of size × count).
    var bytesPerPoint: Int { fields.reduce(0) { $0 + $1.type.size * $1.count } }

    /// Position of field `index`'s first value within an ASCII record.
    func valueOffset(ofField index: Int) -> Int { fields[..<index].reduce(0) { $0 + $1.count } }

    /// Byte offset of field `index` within a binary record.
    func byteOffset(ofField index: Int) -> Int { fields[..<index].reduce(0) { $0 + $1.type.size * $1.count } }

    /// Index of the field named `name` (x/y/z must exist).
    func fieldIndex(_ name: String, path: String) throws -> Int {
        guard let index = fields.firstIndex(where: { $0.name == name }) else {
            throw PointCloudIOError.invalidHeader(path: path, problem: "no '\(name)' field in FIELDS")
        }
        return index
    }

    /// Parses the header of `file`.
    init(file: SourceFile) throws {
        let path = file.path
        func fail(_ problem: String) -> PointCloudIOError { .invalidHeader(path: path, problem: problem) }
        let (lines, dataOffset) = try file.headerLines(terminator: "DATA") { words in
            words.first?.uppercased() == "DATA"
        }
        var entries = [String: [Substring]]()
        for words in lines {
            guard let key = words.first, !key.hasPrefix("#") else { continue }
            entries[key.uppercased()] = Array(words.dropFirst())
        }
        func integers(_ key: String) throws -> [Int]? {
            guard let words = entries[key] else { return nil }
            return try words.map { word in
                guard let value = Int(word), value >= 0 else { throw fail("\(key) value '\(word)' is not a count") }
                return value
            }
        }
        func single(_ key: String) throws -> Int? {
            guard let values = try integers(key) else { return nil }
            guard values.count == 1 else { throw fail("\(key) needs exactly one value") }
            return values[0]
        }

        guard let names = entries["FIELDS"] ?? entries["COLUMNS"], !names.isEmpty else { throw fail("missing FIELDS") }
        guard let sizes = try integers("SIZE") else { throw fail("missing SIZE") }
        guard let types = entries["TYPE"] else { throw fail("missing TYPE") }
        let counts = try integers("COUNT") ?? Array(repeating: 1, count: names.count)
        guard sizes.count == names.count, types.count == names.count, counts.count == names.count else {
            throw fail("FIELDS, SIZE, TYPE and COUNT must list the same number of entries "
                + "(\(names.count), \(sizes.count), \(types.count), \(counts.count))")
        }
        fields = try names.indices.map { i in
            guard let type = ScalarType(pcdType: types[i], size: sizes[i]) else {
                throw fail("unknown TYPE \(types[i]) with SIZE \(sizes[i]) for field '\(names[i])'")
            }
            guard (1...1 << 20).contains(counts[i]) else { throw fail("COUNT \(counts[i]) of field '\(names[i])' is out of range") }
            return Field(name: String(names[i]), type: type, count: counts[i])
        }
        guard let width = try single("WIDTH") else { throw fail("missing WIDTH") }
        let height = try single("HEIGHT") ?? 1
        guard let product = checkedProduct(width, height) else { throw fail("WIDTH × HEIGHT overflows") }
        let points = try single("POINTS") ?? product
        guard points == product else {
            throw fail("POINTS \(points) differs from WIDTH × HEIGHT = \(width) × \(height) = \(product)")
        }
        guard let data = entries["DATA"], data.count == 1, let encoding = Encoding(rawValue: data[0].lowercased()) else {
            throw fail("DATA must be ascii, binary or binary_compressed")
        }
        self.width = width
        self.height = height
        self.points = points
        self.encoding = encoding
        self.dataOffset = dataOffset
        self.dataLine = lines.count + 1
    }
}
