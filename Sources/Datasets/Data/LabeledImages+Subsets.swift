extension LabeledImages {
  /// The images at `indices`, in that order (an index may repeat). Every index must be in
  /// `0..<count`.
  public func subset(indices: some Sequence<Int>) -> LabeledImages {
    let size = imageByteCount
    var result = LabeledImages(classes: classes, width: width, height: height)
    result.labels.reserveCapacity(indices.underestimatedCount)
    result.names.reserveCapacity(indices.underestimatedCount)
    result.pixels.reserveCapacity(indices.underestimatedCount * size)
    for index in indices {
      precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
      result.labels.append(labels[index])
      result.names.append(names[index])
      result.pixels.append(contentsOf: pixels[index * size..<(index + 1) * size])
    }
    return result
  }

  /// This set followed by `other`. Throws `DatasetError.inconsistent` when the two differ in image
  /// size or classes.
  public func appending(_ other: LabeledImages) throws -> LabeledImages {
    guard other.width == width, other.height == height else {
      throw DatasetError.inconsistent(
        "cannot append \(other.width)x\(other.height) images to \(width)x\(height) images")
    }
    guard other.classes == classes else {
      throw DatasetError.inconsistent(
        "cannot append images over classes \(other.classes) to images over \(classes)")
    }
    return LabeledImages(
      unchecked: classes, width: width, height: height, pixels: pixels + other.pixels,
      labels: labels + other.labels, names: names + other.names)
  }

  /// A seeded, stratified split: for each class, `fraction` of its images (rounded to the
  /// nearest whole image), chosen by a shuffle seeded with `seed`, go to the first set and the
  /// rest to the second. Both keep the original order of their images. The same seed on the same
  /// set always gives the same split; every class keeps its share in both parts (to within one
  /// image). Throws `DatasetError.invalidFraction` unless `0 <= fraction <= 1`.
  public func split(fraction: Double, seed: UInt64) throws -> (LabeledImages, LabeledImages) {
    guard fraction >= 0, fraction <= 1 else { throw DatasetError.invalidFraction(fraction) }
    var byClass = [[Int]](repeating: [], count: classes.count)
    for (index, label) in labels.enumerated() { byClass[label].append(index) }
    var first = [Bool](repeating: false, count: count)
    for (label, members) in byClass.enumerated() {
      // Each class gets its own stream, so adding images to one class leaves the others' splits
      // unchanged.
      var generator = SplitShuffleGenerator(seed: seed ^ (UInt64(label) &* 0x9e37_79b9_7f4a_7c15))
      let shuffled = generator.shuffled(members)
      let taken = Int((Double(members.count) * fraction).rounded())
      for index in shuffled.prefix(taken) { first[index] = true }
    }
    return (
      subset(indices: first.indices.filter { first[$0] }),
      subset(indices: first.indices.filter { !first[$0] })
    )
  }

  /// This set without the images whose `names` are in `removed` (`"class/file.jpg"` keys).
  public func removing(names removed: Set<String>) -> LabeledImages {
    subset(indices: names.indices.filter { !removed.contains(names[$0]) })
  }

  /// The images of `classes` as new, horizontally mirrored copies (only the copies; append them
  /// to the original to augment those classes). A copy keeps its label and is named
  /// `"<name>#mirrored"`. Throws `DatasetError.unknownClassName` for a name not in `classes`.
  public func mirrored(classes selected: some Sequence<String>) throws -> LabeledImages {
    var wanted = Set<Int>()
    for name in selected {
      guard let label = classes.firstIndex(of: name) else {
        throw DatasetError.unknownClassName(name, known: classes)
      }
      wanted.insert(label)
    }
    var result = subset(indices: labels.indices.filter { wanted.contains(labels[$0]) })
    result.names = result.names.map { $0 + "#mirrored" }
    let rowLength = width
    result.pixels.withUnsafeMutableBufferPointer { buffer in
      var start = 0
      while start < buffer.count {
        buffer[start..<start + rowLength].reverse()
        start += rowLength
      }
    }
    return result
  }
}

/// SplitMix64 (Steele, Lea & Flood 2014) and a Fisher–Yates shuffle over it, written out so that
/// splits are the same on every platform and Swift version (the standard library's shuffle
/// algorithm is not guaranteed stable across releases).
private struct SplitShuffleGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound` (Lemire's multiply-high; the bias is below 2^-32 for any array size
  /// this handles).
  mutating func below(_ bound: Int) -> Int {
    Int(UInt64(bound).multipliedFullWidth(by: next()).high)
  }

  mutating func shuffled(_ items: [Int]) -> [Int] {
    var result = items
    var remaining = result.count
    while remaining > 1 {
      let pick = below(remaining)
      remaining -= 1
      result.swapAt(remaining, pick)
    }
    return result
  }
}
