import Datasets
import Testing
import Vision

@Suite struct LabeledImagesTests {
  @Test func countsFollowClassOrder() throws {
    let images = try syntheticImages(counts: [2, 0, 1, 3, 0, 0, 4])
    #expect(images.classes == ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"])
    #expect(images.counts() == [2, 0, 1, 3, 0, 0, 4])
    #expect(images.count == 10)
    #expect(images.pixels.count == 10 * 3 * 4)
  }

  @Test func initRejectsInconsistentParts() {
    #expect(throws: DatasetError.self) {
      try LabeledImages(width: 2, height: 2, pixels: [1, 2, 3], labels: [0], names: ["angry/a"])
    }
    #expect(throws: DatasetError.self) {
      try LabeledImages(width: 1, height: 1, pixels: [1], labels: [7], names: ["x/a"])
    }
    #expect(throws: DatasetError.self) {
      try LabeledImages(width: 1, height: 1, pixels: [1], labels: [0], names: [])
    }
  }

  @Test func subsetAppendingAndRemoving() throws {
    let images = try syntheticImages(counts: [2, 1, 0, 0, 0, 0, 1])
    let picked = images.subset(indices: [3, 0, 0])
    #expect(picked.names == ["surprise/img0.jpg", "angry/img0.jpg", "angry/img0.jpg"])
    #expect(picked.labels == [6, 0, 0])
    #expect(Array(picked.imagePixels(0)) == Array(images.imagePixels(3)))
    #expect(Array(picked.imagePixels(2)) == Array(images.imagePixels(0)))

    let joined = try images.appending(picked)
    #expect(joined.count == 7)
    #expect(Array(joined.imagePixels(4)) == Array(images.imagePixels(3)))
    #expect(joined.names.suffix(3) == picked.names[...])

    let other = try syntheticImages(counts: [1], width: 5, height: 3)
    #expect(throws: DatasetError.self) { try images.appending(other) }

    let removed = images.removing(names: ["angry/img1.jpg", "disgust/img0.jpg", "nope/x.jpg"])
    #expect(removed.names == ["angry/img0.jpg", "surprise/img0.jpg"])
    #expect(Array(removed.imagePixels(1)) == Array(images.imagePixels(3)))
  }

  @Test func splitIsStratifiedAndDeterministic() throws {
    let images = try syntheticImages(counts: [40, 5, 41, 72, 50, 48, 31])
    let (first, second) = try images.split(fraction: 0.8, seed: 42)
    let (again, _) = try images.split(fraction: 0.8, seed: 42)
    let (other, _) = try images.split(fraction: 0.8, seed: 43)
    #expect(first == again)
    #expect(first.names != other.names)
    // Each class: round(0.8 × n) images in the first part, the rest in the second.
    #expect(first.counts() == [32, 4, 33, 58, 40, 38, 25])
    #expect(zip(first.counts(), second.counts()).map(+) == images.counts())
    // A partition: every name exactly once, each part in the original order.
    #expect(Set(first.names).isDisjoint(with: second.names))
    #expect(Set(first.names).union(second.names) == Set(images.names))
    let position = Dictionary(uniqueKeysWithValues: images.names.enumerated().map { ($1, $0) })
    #expect(first.names.map { position[$0]! } == first.names.map { position[$0]! }.sorted())
    // Pixels travel with their names.
    let firstIndex = position[first.names[5]]!
    #expect(Array(first.imagePixels(5)) == Array(images.imagePixels(firstIndex)))

    let (all, none) = try images.split(fraction: 1, seed: 1)
    #expect(all == images)
    #expect(none.count == 0)
    #expect(throws: DatasetError.invalidFraction(1.5)) { try images.split(fraction: 1.5, seed: 1) }
    #expect(throws: DatasetError.self) { try images.split(fraction: -0.1, seed: 1) }
  }

  @Test func mirroredFlipsEachRowOfTheChosenClasses() throws {
    let images = try syntheticImages(counts: [1, 0, 0, 2, 0, 0, 1], width: 5, height: 3)
    let mirrored = try images.mirrored(classes: ["happy", "surprise"])
    #expect(mirrored.labels == [3, 3, 6])
    #expect(
      mirrored.names == [
        "happy/img0.jpg#mirrored", "happy/img1.jpg#mirrored",
        "surprise/img0.jpg#mirrored",
      ])
    for (copy, original) in [(0, 1), (1, 2), (2, 3)] {
      let source = Array(images.imagePixels(original))
      let flipped = Array(mirrored.imagePixels(copy))
      for row in 0..<3 {
        for column in 0..<5 {
          #expect(flipped[row * 5 + column] == source[row * 5 + (4 - column)])
        }
      }
      // Vision's flip as a second oracle.
      let image = Image(width: 5, height: 3, channels: 1, pixels: source)
      #expect(image.flippedHorizontally().pixels == flipped)
    }
    #expect(try images.mirrored(classes: []).count == 0)
    #expect(throws: DatasetError.self) { try images.mirrored(classes: ["contempt"]) }
  }

  @Test func floatPixelsScaleToUnitRange() throws {
    let images = try LabeledImages(
      width: 2, height: 1, pixels: [0, 255, 51, 102], labels: [0, 1], names: ["a", "b"])
    func close(_ a: [Float], _ b: [Float]) -> Bool {
      a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 }
    }
    #expect(close(images.floatPixels(), [0, 1, 0.2, 0.4]))
    #expect(images.floatPixels(scale: 1) == [0, 255, 51, 102])
    #expect(close(images.floatPixels(indices: [1, 1, 0]), [0.2, 0.4, 0.2, 0.4, 0, 1]))
  }
}
