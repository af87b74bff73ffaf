/// The scales of the detection pyramid, chosen as OpenCV chooses them (see `levels`).
enum PyramidLevels {
  /// More levels than this means a scale factor too close to 1 (the caller reports it).
  static let maximumLevels = 4096

  /// The levels OpenCV's `detectMultiScaleNoGrouping` scans for an image of `width x height`.
  ///
  /// All factors `scaleFactor^k` (in Double, stored as Float) whose rounded window fits the
  /// image; of those, the ones whose window (from the Float factor) is within
  /// `[minSize, maxSize]` — scanning stops at the first one above `maxSize`. When none is, OpenCV
  /// keeps the single factor whose window is nearest to `minSize`. A `maxSize` of 0 means the
  /// image size. Returns nil when there would be more than `maximumLevels` factors.
  static func levels(
    width: Int, height: Int, windowWidth: Int, windowHeight: Int, scaleFactor: Double,
    minSize: (width: Int, height: Int), maxSize: (width: Int, height: Int)
  ) -> [PyramidLevel]? {
    guard width >= windowWidth, height >= windowHeight else { return [] }
    let maxWidth = maxSize.width == 0 || maxSize.height == 0 ? width : maxSize.width
    let maxHeight = maxSize.width == 0 || maxSize.height == 0 ? height : maxSize.height
    var all: [Float] = []
    var factor = 1.0
    while true {
      let w = (Double(windowWidth) * factor).rounded(.toNearestOrEven)
      let h = (Double(windowHeight) * factor).rounded(.toNearestOrEven)
      if !(w <= Double(width) && h <= Double(height)) { break }
      all.append(Float(factor))
      if all.count > maximumLevels { return nil }
      factor *= scaleFactor
    }
    func window(_ s: Float) -> (Int, Int) {
      (roundToInt(Float(windowWidth) * s), roundToInt(Float(windowHeight) * s))
    }
    var scales: [Float] = []
    for s in all {
      let (w, h) = window(s)
      if w > maxWidth || h > maxHeight { break }
      if w < minSize.width || h < minSize.height { continue }
      scales.append(s)
    }
    if scales.isEmpty, !all.isEmpty {
      var best = 0
      var bestDistance = Double.infinity
      for (index, s) in all.enumerated() {
        let (w, h) = window(s)
        let dw = Double(minSize.width - w)
        let dh = Double(minSize.height - h)
        let distance = dw * dw + dh * dh
        if bestDistance > distance {
          bestDistance = distance
          best = index
        }
      }
      scales.append(all[best])
    }
    return scales.map { s in
      let (boxWidth, boxHeight) = window(s)
      return PyramidLevel(
        scale: s, width: max(roundToInt(Float(width) / s), 1),
        height: max(roundToInt(Float(height) / s), 1), step: s >= 2 ? 1 : 2,
        boxWidth: boxWidth, boxHeight: boxHeight)
    }
  }
}
