extension String {
    /// The text with `&`, `<`, `>`, `"` and `'` replaced by entities, safe inside HTML and SVG
    /// elements and quoted attributes.
    var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(count)
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
