import Datasets
import Foundation
import TestSupport
import Testing

@Suite struct FERDuplicatesTests {
  @Test func parsesTheRealDuplicatesList() throws {
    guard let folder = try SharedData.path("datasets/fer2013") else { return }
    let duplicates = try FERDuplicates.load(file: folder.appendingPathComponent("duplicates.txt"))
    // Figures stated in datasets/fer2013/README.md.
    #expect(duplicates.groups.count == 1273)
    #expect(duplicates.groups.reduce(0) { $0 + $1.files.count } == 2805)
    #expect(duplicates.groups.count(where: \.conflictingLabels) == 47)
    // A "!" group is exactly one whose copies sit in different class folders.
    for group in duplicates.groups {
      let classes = Set(group.files.map { $0.split(separator: "/")[1] })
      #expect(group.conflictingLabels == (classes.count > 1), "\(group.files)")
    }
    let valInTrain = duplicates.names(in: "val", withCopyIn: "train")
    #expect(valInTrain.count == 280)
    for name in valInTrain.prefix(20) {
      #expect(FileManager.default.fileExists(atPath: folder.path + "/val/" + name))
    }
    #expect(valInTrain.allSatisfy { $0.split(separator: "/").count == 2 })
    #expect(duplicates.names(in: "train", withCopyIn: "val").count > 0)
    // The all-black group (README "Blank images") carries 12 files over 5 classes.
    let blank = try #require(
      duplicates.groups.first { $0.files.contains("val/angry/PublicTest_5543497.jpg") })
    #expect(blank.files.count == 12 && blank.conflictingLabels)
    #expect(duplicates.conflictingNames(in: "val").contains("angry/PublicTest_5543497.jpg"))
  }

  @Test func parsesTextAndRejectsMalformedLines() throws {
    let text = """
      # comment
      train/angry/a.jpg\ttrain/angry/b.jpg\tval/angry/c.jpg
      ! train/sad/d.jpg\tval/happy/e.jpg

      """
    let duplicates = try FERDuplicates(parsing: text)
    #expect(
      duplicates.groups == [
        .init(
          conflictingLabels: false,
          files: ["train/angry/a.jpg", "train/angry/b.jpg", "val/angry/c.jpg"]),
        .init(conflictingLabels: true, files: ["train/sad/d.jpg", "val/happy/e.jpg"]),
      ])
    #expect(duplicates.names(in: "val", withCopyIn: "train") == ["angry/c.jpg", "happy/e.jpg"])
    #expect(duplicates.redundantNames(in: "train") == ["angry/b.jpg"])
    #expect(duplicates.conflictingNames(in: "train") == ["sad/d.jpg"])

    #expect(
      throws: DatasetError.malformedDuplicates(
        path: "t", line: 2, reason: "a group needs at least two tab-separated files")
    ) { try FERDuplicates(parsing: "# c\ntrain/angry/a.jpg\n", source: "t") }
    #expect(throws: DatasetError.self) {
      try FERDuplicates(parsing: "train/a.jpg\ttrain/angry/b.jpg\n")
    }
    #expect(throws: DatasetError.self) {
      try FERDuplicates.load(file: URL(fileURLWithPath: "/nonexistent/duplicates.txt"))
    }
  }
}
