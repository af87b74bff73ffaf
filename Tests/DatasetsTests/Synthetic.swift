import Datasets

/// A synthetic set: image `i` has every pixel `i % 256` except pixel (row r, column c) =
/// `(r * width + c + i) % 256`, so rows and images are all distinguishable.
func syntheticImages(counts: [Int], width: Int = 4, height: Int = 3) throws -> LabeledImages {
  var pixels: [UInt8] = []
  var labels: [Int] = []
  var names: [String] = []
  var index = 0
  for (label, count) in counts.enumerated() {
    for k in 0..<count {
      for p in 0..<(width * height) { pixels.append(UInt8((p * 7 + index) % 256)) }
      labels.append(label)
      names.append("\(LabeledImages.emotionClasses[label])/img\(k).jpg")
      index += 1
    }
  }
  return try LabeledImages(
    width: width, height: height, pixels: pixels, labels: labels, names: names)
}
