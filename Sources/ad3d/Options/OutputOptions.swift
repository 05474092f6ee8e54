import ArgumentParser

/// How a command prints its results.
struct OutputOptions: ParsableArguments {
    /// Print machine-readable JSON instead of a table.
    @Flag(help: "Print the results as JSON instead of a table (default: table).")
    var json = false
}
