/// One level of MTCNN's image pyramid, never held whole: the photo area-resampled to
/// `height × width`, normalised, inside a border of `margin` pixels of 0 (normalised grey) on
/// each side, so `[3, paddedHeight, paddedWidth]`. P-Net's bands resample their own rows
/// straight from the photo (``fill(rows:into:)``), in parallel, with no copy of the level.
struct PyramidLevel: Sendable {
  let source: ResamplingSource
  /// The resampled photo's size, without the border.
  let height: Int
  let width: Int
  let margin: Int

  var paddedHeight: Int { height + 2 * margin }
  var paddedWidth: Int { width + 2 * margin }

  /// Writes padded rows `rows` as `[3, rows.count, paddedWidth]` into `band`, rows `rowStride`
  /// floats apart (default `paddedWidth`; the columns past `paddedWidth` are zeroed) and planes
  /// `planeStride` apart (default `rows.count · rowStride`).
  func fill(
    rows: Range<Int>, into band: UnsafeMutablePointer<Float>, rowStride: Int? = nil,
    planeStride: Int? = nil
  ) {
    let pw = rowStride ?? paddedWidth
    let plane = planeStride ?? rows.count * pw
    precondition(pw >= paddedWidth && plane >= rows.count * pw)
    // Rows of the photo inside `rows`, in level coordinates without the border.
    let innerEnd = max(min(rows.upperBound - margin, height), 0)
    let inner = min(max(rows.lowerBound - margin, 0), innerEnd)..<innerEnd
    // Grey (0) wherever the photo is not: whole rows of the border, and each photo row's border
    // columns and the columns past the padded width.
    for channel in 0..<3 {
      let start = band + channel * plane
      for row in rows {
        let out = start + (row - rows.lowerBound) * pw
        if inner.contains(row - margin) {
          out.update(repeating: 0, count: margin)
          (out + margin + width).update(repeating: 0, count: pw - margin - width)
        } else {
          out.update(repeating: 0, count: pw)
        }
      }
    }
    guard !inner.isEmpty else { return }
    let (h, w) = (source.image.height, source.image.width)
    source.resample(
      x: 0, y: 0, width: w, height: h, outWidth: width, outHeight: height, rows: inner,
      into: band + (inner.lowerBound + margin - rows.lowerBound) * pw + margin, rowStride: pw,
      planeStride: plane)
  }
}
