extension Image {
  /// The image resampled to `width` x `height`. Each axis is resampled on its own: by area
  /// averaging when it shrinks (as OpenCV's `INTER_AREA`), bilinearly with pixel centres at
  /// +0.5 when it grows or keeps its size (as OpenCV's `INTER_LINEAR`). Values are rounded to
  /// the nearest integer (ties to even, like OpenCV's `saturate_cast`).
  ///
  /// Throws ``ImageError/invalidSize(width:height:)`` for a non-positive size or an empty source,
  /// and ``ImageError/tooLarge(width:height:limit:)`` beyond `maxPixels`.
  public func resized(
    width newWidth: Int, height newHeight: Int, maxPixels: Int = DecodeOptions.defaultMaxPixels
  ) throws(ImageError) -> Image {
    try CodecCall.checkSize(width: newWidth, height: newHeight, limit: maxPixels)
    guard width > 0, height > 0 else { throw .invalidSize(width: width, height: height) }
    if newWidth == width && newHeight == height { return self }
    let horizontal = ResampleWeights(source: width, destination: newWidth)
    let vertical = ResampleWeights(source: height, destination: newHeight)
    let c = channels
    // Horizontal pass into floats: [height][newWidth][channels].
    var rows = [Float](repeating: 0, count: height * newWidth * c)
    pixels.withUnsafeBufferPointer { source in
      rows.withUnsafeMutableBufferPointer { out in
        horizontal.weights.withUnsafeBufferPointer { weights in
          let taps = horizontal.taps
          for y in 0..<height {
            let row = y * width * c
            let outRow = y * newWidth * c
            for x in 0..<newWidth {
              let start = horizontal.starts[x]
              let count = min(taps, width - start)
              for k in 0..<c {
                var sum: Float = 0
                for t in 0..<count {
                  sum += weights[x * taps + t] * Float(source[row + (start + t) * c + k])
                }
                out[outRow + x * c + k] = sum
              }
            }
          }
        }
      }
    }
    // Vertical pass: combine rows, round and clamp.
    let rowLength = newWidth * c
    let count = newHeight * rowLength
    let result = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
      rows.withUnsafeBufferPointer { rows in
        vertical.weights.withUnsafeBufferPointer { weights in
          let taps = vertical.taps
          var sums = [Float](repeating: 0, count: rowLength)
          for y in 0..<newHeight {
            let start = vertical.starts[y]
            let used = min(taps, height - start)
            for i in 0..<rowLength { sums[i] = 0 }
            for t in 0..<used {
              let weight = weights[y * taps + t]
              if weight == 0 { continue }
              let row = (start + t) * rowLength
              for i in 0..<rowLength { sums[i] += weight * rows[row + i] }
            }
            for i in 0..<rowLength {
              let value = sums[i].rounded(.toNearestOrEven)
              out[y * rowLength + i] = UInt8(max(0, min(255, value)))
            }
          }
        }
      }
      initialized = count
    }
    return Image(width: newWidth, height: newHeight, channels: c, pixels: result)
  }
}
