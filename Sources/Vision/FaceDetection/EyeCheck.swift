/// Confirms a face box by finding an eye in its upper part: a cheap second opinion that removes
/// most of the face cascade's false hits (collars, ties, patterned fabric — on the shared photos,
/// every false face), which rarely hold an eye-like pattern at the right place and scale. Faces
/// behind dark sunglasses fail it; that is the price of precision.
enum EyeCheck {
  /// The upper part of the box is resampled to this width, so that the eye cascade runs at one
  /// cost whatever the face size, and eyes of small faces reach the cascade's 20-pixel window.
  static let regionWidth = 100
  /// Fraction of the box height searched (eyes sit in the upper half of a face box).
  static let regionHeight = 0.6

  /// True when `cascade` finds at least one eye (2+ neighbours) in the upper part of `face`.
  static func hasEye(in image: Image, face: FaceBox, cascade: HaarCascade) throws -> Bool {
    let x0 = max(face.x, 0)
    let y0 = max(face.y, 0)
    let x1 = min(face.x + face.width, image.width)
    let y1 = min(face.y + Int(Double(face.height) * regionHeight), image.height)
    guard x1 - x0 >= 8, y1 - y0 >= 8 else { return false }
    var pixels = [UInt8](repeating: 0, count: (x1 - x0) * (y1 - y0))
    image.pixels.withUnsafeBufferPointer { source in
      pixels.withUnsafeMutableBufferPointer { region in
        for y in y0..<y1 {
          let from = source.baseAddress! + y * image.width + x0
          (region.baseAddress! + (y - y0) * (x1 - x0)).update(from: from, count: x1 - x0)
        }
      }
    }
    var region = Image(width: x1 - x0, height: y1 - y0, channels: 1, pixels: pixels)
    let height = max(
      Int((Double(region.height) * Double(regionWidth) / Double(region.width)).rounded()), 1)
    region = WorkingCopy.shrink(region, width: regionWidth, height: height)
    let eyes = try FaceDetector(cascade: cascade).detectExact(
      in: region, cascade: cascade, scaleFactor: 1.1, minNeighbors: 2, minSize: 0,
      maxSize: regionWidth / 2, threads: 1)
    return !eyes.isEmpty
  }
}
