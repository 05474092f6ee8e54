/// Reading and writing plain-text point lists (`.xyz`, `.txt`, `.csv`): one point per line,
/// values separated by whitespace or commas, x y z in the first three columns.
///
/// A file whose lines all have exactly four columns with a 0/1 fourth value is the
/// Real3D-AD ground-truth format `x y z label`, and the labels are kept. Blank lines and `#`
/// comments are skipped, and a first line that does not start with a number is a header.
enum XYZFormat {
    /// Header names kept (a header line can be as long as the file; the rest are counted).
    static let maximumHeaderNames = 256

    /// Reads the points (and labels, for `x y z label` files).
    static func read(_ file: SourceFile) throws -> ScanFile {
        let path = file.path
        var headerNames: [String]?
        var firstColumnCount = 0
        var coordinates = [Float]()
        var labels = [UInt8]()
        var isLabelled = true
        try file.requireText(from: 0)
        try file.bytes.withUnsafeBufferPointer { buffer in
            var scanner = TextScanner(buffer, from: 0, commaIsSeparator: true, commentByte: UInt8(ascii: "#"))
            coordinates.reserveCapacity(min(3 * (file.size / 6 + 1), 1 << 24))
            while scanner.skipEmptyLines() {
                var probe = scanner
                if coordinates.isEmpty && headerNames == nil && probe.double() == nil {
                    var names = [String](), unnamed = 0
                    while let token = scanner.token() {
                        if names.count < maximumHeaderNames { names.append(scanner.text(token)) } else { unnamed += 1 }
                    }
                    headerNames = names + (unnamed > 0 ? ["… \(unnamed) more"] : [])
                    scanner.nextLine()
                    continue
                }
                for column in 0..<3 {
                    guard let value = scanner.float() else {
                        let problem = scanner.token().map { "'\(scanner.text($0))' is not a number" }
                            ?? "only \(column) values; need x y z"
                        throw PointCloudIOError.invalidValue(path: path, line: scanner.line, problem: problem)
                    }
                    coordinates.append(value)
                }
                var columns = 3
                var label: Double?
                if !scanner.atLineEnd() {
                    columns += 1
                    label = scanner.double()
                    if label == nil { _ = scanner.token() }
                    while scanner.token() != nil { columns += 1 }
                }
                if firstColumnCount == 0 { firstColumnCount = columns }
                if isLabelled, columns == 4, let label, label == 0 || label == 1 {
                    labels.append(label == 1 ? 1 : 0)
                } else {
                    isLabelled = false
                }
                scanner.nextLine()
            }
        }
        guard !coordinates.isEmpty else { throw PointCloudIOError.noPoints(path: path) }
        try requireUsableCoordinates(coordinates, path: path)
        let fields = headerNames
            ?? ["x", "y", "z"] + (3..<firstColumnCount).map { isLabelled ? "label" : "column\($0 + 1)" }
        return ScanFile(
            url: file.url, format: .xyz, encoding: "ascii", fields: fields,
            cloud: PointCloud(coordinates: coordinates, labels: isLabelled ? labels : nil))
    }

    /// The text of `cloud`: `x y z` per line (`x y z label` when the cloud has labels), with
    /// shortest round-trip decimals so that reading it back gives identical floats.
    static func encode(_ cloud: PointCloud) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.appendDecimalRows(cloud.coordinates, columns: 3, labels: cloud.labels)
        return bytes
    }
}
