import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d eval`: object- and point-level AUROC/AUPR of saved anomaly scores.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Compute AUROC and AUPR of anomaly scores against a dataset's ground truth.",
        discussion: """
            DATASET is a category folder, or a dataset root whose sub-folders are
            categories (Real3D-AD / Anomaly-ShapeNet layout):

              CATEGORY/test/      test scans (.pcd, .ply, .txt, ...)
              CATEGORY/gt/        (or GT/) SCAN.txt per defective test scan,
                                  one line "x y z label" per point; test scans
                                  without a gt file are good

            The score folder holds, for each category (for a dataset root: in a
            sub-folder named like the category):

              SCAN.txt            one score per line, one line per point, in the
                                  scan's point order (for a defective scan: the
                                  order of its gt file)
              objects.csv         header "scan,score", then one row per test scan

            SCAN is the scan's file name without extension; higher scores mean more
            anomalous. A score file with a different number of points is an error.

            Object AUROC/AUPR rank the test scans by object score (defective =
            positive). Point AUROC/AUPR pool all points of all test scans of a
            category. Both follow scikit-learn's roc_auc_score and
            average_precision_score (tied scores grouped, no interpolation). A
            metric is n/a (null in JSON) when the test set lacks good or defective
            samples; the mean row averages the categories where it is defined.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp("Folder with the score files (required; layout above).", valueName: "dir"))
    var scores: String

    @Argument(help: ArgumentHelp("A category folder, or a dataset root with one sub-folder per category.", valueName: "dataset"))
    var dataset: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let layout = try DatasetLayout(discoveringAt: URL(fileURLWithPath: dataset))
        let report = try ScoreFileEvaluation.evaluate(
            layout, scores: ScoreDirectory(url: URL(fileURLWithPath: scores, isDirectory: true)))
        print(output.json ? try report.json() : report.table())
    }
}
