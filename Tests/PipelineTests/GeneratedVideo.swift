import Foundation
import Pipeline
import TestSupport
import Vision

/// Test videos made at test time with `VideoWriter`: faces cut from the shared photos pasted
/// onto a plain background at positions that change over time (nothing is committed).
enum GeneratedVideo {
  /// An RGB face patch of `side` × `side` pixels: the largest face the Haar detector finds in the
  /// shared photo `name`, with 40% context on each side.
  static func face(_ name: String, side: Int) throws -> Image? {
    guard let photos = try SharedData.path("datasets/photos") else { return nil }
    let photo = try Image(
      contentsOfFile: photos.appendingPathComponent(name).path, options: .init(colour: .rgb))
    let boxes = try HaarFaceLocator.standard().faceBoxes(in: photo.grey())
    guard let box = boxes.max(by: { $0.area < $1.area }),
      let region = FaceCrop.region(
        around: box, margin: 0.4, imageWidth: photo.width, imageHeight: photo.height)
    else { return nil }
    return try photo.cropped(x: region.x, y: region.y, width: region.width, height: region.height)
      .resized(width: side, height: side)
  }

  /// `patch` copied onto `canvas` with its top-left corner at (x, y), clipped to the canvas.
  static func paste(_ patch: Image, onto canvas: inout Image, x: Int, y: Int) {
    for row in 0..<patch.height where (0..<canvas.height).contains(y + row) {
      for column in 0..<patch.width where (0..<canvas.width).contains(x + column) {
        let target = ((y + row) * canvas.width + x + column) * 3
        let source = (row * patch.width + column) * 3
        canvas.pixels[target] = patch.pixels[source]
        canvas.pixels[target + 1] = patch.pixels[source + 1]
        canvas.pixels[target + 2] = patch.pixels[source + 2]
      }
    }
  }

  /// Writes `seconds` of video at `fps` to `path`: frame `i` is `draw(time)` of a mid-grey
  /// `width` × `height` canvas.
  static func write(
    to path: String, width: Int, height: Int, fps: Double, seconds: Double,
    draw: (Double, inout Image) -> Void
  ) throws {
    let writer = try VideoWriter(path: path, width: width, height: height, fps: fps)
    for index in 0..<Int((seconds * fps).rounded()) {
      let time = Double(index) / fps
      var canvas = Image(
        width: width, height: height, channels: 3,
        pixels: [UInt8](repeating: 110, count: width * height * 3))
      draw(time, &canvas)
      try writer.write(canvas, time: time)
    }
    try writer.finish()
  }
}
