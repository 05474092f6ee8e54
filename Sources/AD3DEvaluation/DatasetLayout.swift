import AD3DPointCloud
import AD3DSupport
import Foundation

/// A test scan of a category and, for a defective one, its ground-truth file.
public struct TestSample: Sendable, Equatable {
    /// The scan's file name without extension; ground-truth and score files use the same name.
    public var name: String
    /// The scan file in `test/`.
    public var scan: URL
    /// `gt/<name>.txt` (lines `x y z label`) for a defective sample; nil for a good one.
    public var groundTruth: URL?

    /// Whether the sample has a ground-truth file, i.e. is labelled defective.
    public var isDefective: Bool { groundTruth != nil }
}

/// One category of a dataset in the Real3D-AD / Anomaly-ShapeNet layout:
///
/// ```
/// <category>/train/   good scans (optional for evaluation)
/// <category>/test/    good and defective scans
/// <category>/gt/      (or GT/) <scan name>.txt per defective test scan: "x y z label" per point
/// ```
/// A test scan with a ground-truth file of the same name is defective, one without is good.
/// Only files `PointCloudReader.isSupported` accepts count as scans; hidden files are skipped.
/// A ground-truth file without a matching test scan is an error: the defective scan is missing,
/// and metrics on the remaining, easier set would silently overstate the detector.
public struct DatasetCategory: Sendable, Equatable {
    /// The folder name.
    public var name: String
    /// The category folder.
    public var directory: URL
    /// Scans in `train/`, in `NaturalOrder` of their names; empty when there is no `train/` folder.
    public var trainScans: [URL]
    /// Scans in `test/`, in `NaturalOrder` of their names; empty when the test folder was not read.
    public var testSamples: [TestSample]

    /// Reads the layout of the category folder at `directory`; with `readingTests` false (for
    /// training) `test/` and `gt/` are neither required nor read.
    public init(discoveringAt directory: URL, readingTests: Bool = true) throws(DatasetError) {
        let entries = try DatasetLayout.subfolders(of: directory)
        name = directory.lastPathComponent
        self.directory = directory
        trainScans = try entries["train"].map { url throws(DatasetError) in
            try DatasetLayout.scans(in: url).map(\.url)
        } ?? []
        guard readingTests else {
            testSamples = []
            return
        }
        guard let test = entries["test"] else {
            throw DatasetError.missingTestFolder(category: directory.path)
        }
        if entries["gt"] != nil && entries["GT"] != nil {
            throw DatasetError.ambiguousGroundTruthFolders(category: directory.path)
        }

        let scans = try DatasetLayout.scans(in: test)
        guard !scans.isEmpty else { throw DatasetError.noScans(folder: test.path) }
        var groundTruth = [String: URL]()
        if let gtFolder = entries["gt"] ?? entries["GT"] {
            for file in try DatasetLayout.files(in: gtFolder) where file.pathExtension.lowercased() == "txt" {
                let stem = file.deletingPathExtension().lastPathComponent
                if let other = groundTruth[stem] {
                    throw DatasetError.duplicateStem(first: other.path, second: file.path)
                }
                groundTruth[stem] = file
            }
        }
        testSamples = scans.map { TestSample(name: $0.stem, scan: $0.url, groundTruth: groundTruth[$0.stem]) }
        let scanNames = Set(scans.map(\.stem))
        if let orphan = groundTruth.filter({ !scanNames.contains($0.key) }).min(by: { $0.key < $1.key }) {
            throw DatasetError.orphanGroundTruth(path: orphan.value.path, testFolder: test.path)
        }
    }
}

/// A dataset to evaluate: one category folder, or a root folder whose sub-folders are categories.
public struct DatasetLayout: Sendable, Equatable {
    /// The folder given by the user.
    public var root: URL
    /// Whether `root` is itself a category (scores then sit directly in the score folder).
    public var isSingleCategory: Bool
    /// The categories, in `NaturalOrder` of their names.
    public var categories: [DatasetCategory]

    /// Discovers the layout at `url`. A folder with a `train/`, `test/`, `gt/` or `GT/` sub-folder
    /// is a category; otherwise its (non-hidden) sub-folders that are categories are used, in
    /// `NaturalOrder`, and other sub-folders are ignored. With `readingTests` false (for training) the
    /// categories' test folders are neither required nor read.
    public init(discoveringAt url: URL, readingTests: Bool = true) throws(DatasetError) {
        root = url
        let entries = try Self.subfolders(of: url)
        if Self.looksLikeCategory(entries) {
            isSingleCategory = true
            categories = [try DatasetCategory(discoveringAt: url, readingTests: readingTests)]
            return
        }
        isSingleCategory = false
        var found = [DatasetCategory]()
        for folder in entries.sorted(by: { NaturalOrder.areInIncreasingOrder($0.key, $1.key) }).map(\.value) {
            if Self.looksLikeCategory(try Self.subfolders(of: folder)) {
                found.append(try DatasetCategory(discoveringAt: folder, readingTests: readingTests))
            }
        }
        guard !found.isEmpty else { throw DatasetError.noCategories(path: url.path) }
        categories = found
    }

    private static func looksLikeCategory(_ subfolders: [String: URL]) -> Bool {
        ["train", "test", "gt", "GT"].contains { subfolders[$0] != nil }
    }

    /// Non-hidden entries of `directory`, in `NaturalOrder` of their names, split by whether they are folders.
    private static func entries(of directory: URL) throws(DatasetError) -> [(url: URL, isFolder: Bool)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw DatasetError.notADirectory(path: directory.path) }
        // Path-based listing and `fileExists(atPath:isDirectory:)` both follow symbolic links
        // (the URL-based listing does not on Linux), so linked categories and folders count.
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DatasetError.unreadableFolder(path: directory.path, reason: error.localizedDescription)
        }
        return names.filter { !$0.hasPrefix(".") }.sortedNaturally().map { name in
            let url = directory.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            return (url, FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue)
        }
    }

    /// Sub-folders of `directory` by exact name.
    static func subfolders(of directory: URL) throws(DatasetError) -> [String: URL] {
        var result = [String: URL]()
        for entry in try entries(of: directory) where entry.isFolder {
            result[entry.url.lastPathComponent] = entry.url
        }
        return result
    }

    /// Regular (non-folder, non-hidden) files of `directory`, in `NaturalOrder` of their names.
    static func files(in directory: URL) throws(DatasetError) -> [URL] {
        try entries(of: directory).filter { !$0.isFolder }.map(\.url)
    }

    /// Readable scans of `folder`, in `NaturalOrder` of their stems; two scans sharing a stem is an error.
    static func scans(in folder: URL) throws(DatasetError) -> [(stem: String, url: URL)] {
        var result = [(stem: String, url: URL)]()
        var seen = [String: URL]()
        for file in try files(in: folder) where PointCloudReader.isSupported(file) {
            let stem = file.deletingPathExtension().lastPathComponent
            if let other = seen[stem] { throw DatasetError.duplicateStem(first: other.path, second: file.path) }
            seen[stem] = file
            result.append((stem, file))
        }
        return result.sorted { NaturalOrder.areInIncreasingOrder($0.stem, $1.stem) }
    }
}
