/// Confirms a face box by finding an eye in its upper part: a cheap second opinion that removes
/// most of the cascade's false faces (textures, foliage, fabric), which rarely hold an eye-like
/// pattern at the right place and scale.
enum EyeCheck {
  /// True when `cascade` finds at least one eye in the upper 60 % of `face` within `image`.
  static func hasEye(in image: Image, face: FaceBox, cascade: HaarCascade) throws -> Bool {
    let x0 = max(face.x, 0)
    let y0 = max(face.y, 0)
    let x1 = min(face.x + face.width, image.width)
    let y1 = min(face.y + (face.height * 3) / 5, image.height)
    guard x1 - x0 >= cascade.windowWidth, y1 - y0 >= cascade.windowHeight else { return false }
    var pixels = [UInt8](repeating: 0, count: (x1 - x0) * (y1 - y0))
    for y in y0..<y1 {
      for x in x0..<x1 {
        pixels[(y - y0) * (x1 - x0) + (x - x0)] = image.pixels[y * image.width + x]
      }
    }
    let region = Image(width: x1 - x0, height: y1 - y0, channels: 1, pixels: pixels)
    let detector = FaceDetector(cascade: cascade)
    let eyes = try detector.detectExact(
      in: region, cascade: cascade, scaleFactor: 1.1, minNeighbors: 2,
      minSize: max(face.width / 8, cascade.windowWidth), maxSize: face.width / 2, threads: 1)
    return !eyes.isEmpty
  }
}
