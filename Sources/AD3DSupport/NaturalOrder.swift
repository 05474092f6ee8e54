/// The order people expect for numbered names: runs of digits compare by their value, so
/// `2_good` comes before `10_cut` (plain string order puts `10_cut` first).
public enum NaturalOrder {
    /// Whether `a` sorts before `b`: digit runs compare as numbers, other text character by
    /// character; names equal that way (`01` and `1`) fall back to plain string order, so the
    /// order is total and sorting is deterministic.
    public static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        let (left, right) = (runs(of: a), runs(of: b))
        for (x, y) in zip(left, right) where x != y {
            switch (x, y) {
            case (.number(let m, _), .number(let n, _)):
                if m != n { return m.count != n.count ? m.count < n.count : m < n }
            case (.number, .text): return true
            case (.text, .number): return false
            case (.text(let s), .text(let t)): return s < t
            }
        }
        if left.count != right.count { return left.count < right.count }
        return a < b
    }

    /// A maximal run of digits (its value as digits without leading zeros) or of other characters.
    private enum Run: Equatable {
        case number(value: Substring, text: Substring)
        case text(Substring)
    }

    private static func runs(of name: String) -> [Run] {
        var result = [Run]()
        var start = name.startIndex
        while start < name.endIndex {
            let isDigit = name[start].isASCIIDigit
            let end = name[start...].firstIndex { $0.isASCIIDigit != isDigit } ?? name.endIndex
            let run = name[start..<end]
            if isDigit {
                let value = run.drop { $0 == "0" }
                result.append(.number(value: value, text: run))
            } else {
                result.append(.text(run))
            }
            start = end
        }
        return result
    }
}

extension Character {
    /// Whether the character is one of `0`–`9`.
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Sequence where Element == String {
    /// The names in `NaturalOrder`.
    public func sortedNaturally() -> [String] { sorted(by: NaturalOrder.areInIncreasingOrder) }
}
