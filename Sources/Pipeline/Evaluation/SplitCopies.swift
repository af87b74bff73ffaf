import Datasets

/// An evaluation set with the images that have a byte-identical copy in another split left out
/// (FER2013: 280 val images are also in train, so a model has seen them during training).
public struct SplitCopies: Sendable {
  /// The images that remain.
  public var images: LabeledImages
  /// How many images were left out.
  public var removedCount: Int
  /// The split the evaluated folder is (its folder name, e.g. `val`).
  public var split: String
  /// The other splits whose copies were looked for, sorted (e.g. `["train"]`).
  public var otherSplits: [String]

  /// `images` (the folder of split `split`) without the files that `duplicates` lists as
  /// byte copies of files in any other split.
  ///
  /// - Throws: `EvaluationError.duplicates` when the list does not mention `split` (the folder
  ///   name is not one of its splits, so nothing could be matched).
  public init(removingFrom images: LabeledImages, split: String, duplicates: FERDuplicates) throws {
    let splits = duplicates.splits
    guard splits.contains(split) else {
      throw EvaluationError.duplicates(
        "the duplicates list names the splits \(splits.sorted().joined(separator: ", ")), "
          + "not '\(split)' (the evaluated folder's name)")
    }
    let others = splits.subtracting([split]).sorted()
    var copies = Set<String>()
    for other in others { copies.formUnion(duplicates.names(in: split, withCopyIn: other)) }
    let remaining = images.removing(names: copies)
    self.images = remaining
    self.removedCount = images.count - remaining.count
    self.split = split
    self.otherSplits = others
  }

  /// One line saying what was left out, e.g. "left out 280 val images that are byte copies of
  /// train images; 3309 remain".
  public var summary: String {
    "left out \(removedCount) \(split) images that are byte copies of "
      + "\(otherSplits.joined(separator: "/")) images; \(images.count) remain"
  }
}

extension FERDuplicates {
  /// The splits the list mentions (the first component of its paths, e.g. `train`, `val`).
  public var splits: Set<String> {
    var result = Set<String>()
    for group in groups {
      for file in group.files {
        if let slash = file.firstIndex(of: "/") { result.insert(String(file[..<slash])) }
      }
    }
    return result
  }
}
