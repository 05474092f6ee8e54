/// The header of a PLY file (Paul Bourke's polygon file format): encoding and element layout.
struct PLYHeader {
    /// How the body is stored.
    enum Encoding: String {
        case ascii, binaryLittleEndian = "binary_little_endian", binaryBigEndian = "binary_big_endian"
    }

    /// A scalar property, or a list property when `countType` is set (`property list uchar int …`).
    struct Property {
        var name: String
        var type: ScalarType
        var countType: ScalarType?
    }

    /// An element (`element vertex 100`) and its properties in file order.
    struct Element {
        var name: String
        var count: Int
        var properties: [Property] = []

        /// Bytes per instance in binary bodies, when the element has no list property.
        var fixedSize: Int? {
            properties.contains { $0.countType != nil } ? nil : properties.reduce(0) { $0 + $1.type.size }
        }

        /// The fewest bytes one binary instance can take (lists may be empty).
        var minimumSize: Int { properties.reduce(0) { $0 + ($1.countType ?? $1.type).size } }
    }

    var encoding: Encoding
    var elements: [Element]
    /// Offset of the first body byte.
    var dataOffset: Int
    /// 1-based line number of the first body line (for messages about ASCII data).
    var dataLine: Int

    /// Parses the header of `file`.
    init(file: SourceFile) throws {
        let path = file.path
        func fail(_ problem: String) -> PointCloudIOError { .invalidHeader(path: path, problem: problem) }
        guard file.size >= 4, file.bytes[0..<3].elementsEqual("ply".utf8), [0x0A, 0x0D].contains(file.bytes[3]) else {
            throw fail("the file does not start with 'ply'")
        }
        let (lines, dataOffset) = try file.headerLines(terminator: "end_header") { $0 == ["end_header"] }
        var encoding: Encoding?
        var elements = [Element]()
        for words in lines.dropFirst().dropLast() {
            guard let keyword = words.first else { continue }
            switch keyword {
            case "comment", "obj_info":
                continue
            case "format":
                guard words.count == 3, let value = Encoding(rawValue: String(words[1])) else {
                    throw fail("unknown format line '\(words.joined(separator: " "))'")
                }
                encoding = value
            case "element":
                guard words.count == 3, let count = Int(words[2]), count >= 0 else {
                    throw fail("bad element line '\(words.joined(separator: " "))'")
                }
                elements.append(Element(name: String(words[1]), count: count))
            case "property":
                guard !elements.isEmpty else { throw fail("property before any element") }
                elements[elements.count - 1].properties.append(try Self.property(words, fail: fail))
            default:
                throw fail("unknown header keyword '\(keyword)'")
            }
        }
        guard let encoding else { throw fail("missing format line") }
        self.encoding = encoding
        self.elements = elements
        self.dataOffset = dataOffset
        self.dataLine = lines.count + 1
    }

    private static func property(_ words: [Substring], fail: (String) -> PointCloudIOError) throws -> Property {
        let line = words.joined(separator: " ")
        if words.count == 5, words[1] == "list" {
            guard let countType = ScalarType(plyName: words[2]), countType.isInteger,
                let itemType = ScalarType(plyName: words[3])
            else { throw fail("unknown list types in '\(line)'") }
            return Property(name: String(words[4]), type: itemType, countType: countType)
        }
        guard words.count == 3, let type = ScalarType(plyName: words[1]) else {
            throw fail("unknown property type in '\(line)'")
        }
        return Property(name: String(words[2]), type: type)
    }
}
