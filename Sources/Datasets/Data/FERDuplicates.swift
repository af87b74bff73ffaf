import Foundation

/// The groups of byte-identical files listed in FER2013's `duplicates.txt`.
///
/// File format: lines starting with `#` are comments; every other non-empty line is one group,
/// its paths (`split/class/file.jpg`, relative to the dataset folder) separated by tabs. A line
/// starting with `!` (then a space or tab) marks a group whose copies sit in different class
/// folders, i.e. carry conflicting labels.
public struct FERDuplicates: Sendable, Equatable {
  /// One group of byte-identical files.
  public struct Group: Sendable, Equatable {
    /// True when the line was marked `!`: the copies are filed under different classes.
    public var conflictingLabels: Bool
    /// The files, each as `split/class/file.jpg`.
    public var files: [String]

    /// A group of `files`.
    public init(conflictingLabels: Bool, files: [String]) {
      self.conflictingLabels = conflictingLabels
      self.files = files
    }
  }

  /// Every group, in file order.
  public var groups: [Group]

  /// Parses the duplicates file at `file`. Throws `DatasetError.unreadableFile` when it cannot be
  /// read and `DatasetError.malformedDuplicates` (with the line) when a line is not a group of at
  /// least two `split/class/file` paths.
  public static func load(file: URL) throws -> FERDuplicates {
    let text: String
    do {
      text = try String(contentsOf: file, encoding: .utf8)
    } catch {
      throw DatasetError.unreadableFile(path: file.path, reason: error.localizedDescription)
    }
    return try FERDuplicates(parsing: text, source: file.path)
  }

  /// Parses duplicates-file text; `source` names it in errors.
  public init(parsing text: String, source: String = "duplicates.txt") throws {
    groups = []
    for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      var line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
      let conflicting = line.hasPrefix("!")
      if conflicting { line = line.dropFirst().drop { $0 == " " || $0 == "\t" } }
      let files = line.split(separator: "\t").map(String.init)
      guard files.count >= 2 else {
        throw DatasetError.malformedDuplicates(
          path: source, line: offset + 1, reason: "a group needs at least two tab-separated files")
      }
      if let bad = files.first(where: { $0.split(separator: "/").count != 3 }) {
        throw DatasetError.malformedDuplicates(
          path: source, line: offset + 1, reason: "'\(bad)' is not a split/class/file path")
      }
      groups.append(Group(conflictingLabels: conflicting, files: files))
    }
  }

  /// Image keys (`class/file.jpg`) of the files in `split` that have a byte-identical copy in
  /// the split `other` — e.g. the 280 val images also in train: `names(in: "val", withCopyIn:
  /// "train")`, to remove with `LabeledImages.removing(names:)`.
  public func names(in split: String, withCopyIn other: String) -> Set<String> {
    var result = Set<String>()
    for group in groups {
      let parts = group.files.map(Self.parts)
      guard parts.contains(where: { $0.split == other }) else { continue }
      for part in parts where part.split == split { result.insert(part.name) }
    }
    return result
  }

  /// Image keys of the files in `split` whose group has conflicting labels.
  public func conflictingNames(in split: String) -> Set<String> {
    var result = Set<String>()
    for group in groups where group.conflictingLabels {
      for part in group.files.map(Self.parts) where part.split == split {
        result.insert(part.name)
      }
    }
    return result
  }

  /// Image keys of the redundant copies inside `split`: for each group, every file of `split`
  /// but the first. Removing them leaves one copy of each image in that split.
  public func redundantNames(in split: String) -> Set<String> {
    var result = Set<String>()
    for group in groups {
      let inSplit = group.files.map(Self.parts).filter { $0.split == split }
      for part in inSplit.dropFirst() { result.insert(part.name) }
    }
    return result
  }

  /// `"train/angry/x.jpg"` → split `"train"`, key `"angry/x.jpg"`.
  private static func parts(_ path: String) -> (split: String, name: String) {
    guard let slash = path.firstIndex(of: "/") else { return ("", path) }
    return (String(path[..<slash]), String(path[path.index(after: slash)...]))
  }
}
