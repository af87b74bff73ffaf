import Vision

/// Loads the bytes as an OpenCV cascade. What loads must have a window within 1...1024 pixels
/// and must evaluate on a small test image without reading outside it (ASan) or trapping.
enum CascadeXMLHarness {
  /// A 64x48 grey gradient with a dark block: some windows pass early stages.
  static let image: Image = {
    var pixels = [UInt8](repeating: 0, count: 64 * 48)
    for y in 0..<48 {
      for x in 0..<64 { pixels[y * 64 + x] = (20...40).contains(x) ? 30 : UInt8((x * 3 + y) % 256) }
    }
    return Image(width: 64, height: 48, channels: 1, pixels: pixels)
  }()

  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    guard let cascade = try? HaarCascade(xml: data) else { return }
    try FuzzFailure.require(
      (1...1024).contains(cascade.windowWidth) && (1...1024).contains(cascade.windowHeight),
      "window \(cascade.windowWidth)x\(cascade.windowHeight)")
    let options = DetectionOptions(scaleFactor: 1.25, minNeighbors: 0, minSize: 1, threads: 1)
    let faces: [FaceBox]
    do {
      faces = try FaceDetector(cascade: cascade).detect(in: image, options: options)
    } catch {
      return
    }
    for face in faces {
      try FuzzFailure.require(
        face.x >= 0 && face.y >= 0 && face.width > 0 && face.height > 0
          && face.x + face.width <= image.width && face.y + face.height <= image.height,
        "face \(face) outside the \(image.width)x\(image.height) image")
    }
  }
}
