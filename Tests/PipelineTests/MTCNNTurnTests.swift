import Datasets
import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

/// ``MTCNNDetector/retriesTurned``: faces tilted beyond what R- and O-Net accept upright are
/// found by a second, turned look, without false faces on the shared photos.
@Suite struct MTCNNTurnTests {
  static func detector(retriesTurned: Bool) throws -> MTCNNDetector {
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    return try MTCNNDetector(file: try ModelFile.read(from: url), retriesTurned: retriesTurned)
  }

  /// `image` turned by `degrees` about its centre (bilinear; grey where it has no pixel).
  static func turned(_ image: Image, degrees: Double) -> Image {
    let (w, h, ch) = (image.width, image.height, image.channels)
    let angle = degrees * .pi / 180
    let (c, s) = (cos(angle), sin(angle))
    let (cx, cy) = (Double(w) / 2, Double(h) / 2)
    var out = [UInt8](repeating: 128, count: w * h * ch)
    for y in 0..<h {
      for x in 0..<w {
        let (dx, dy) = (Double(x) + 0.5 - cx, Double(y) + 0.5 - cy)
        let sx = cx + c * dx + s * dy - 0.5
        let sy = cy - s * dx + c * dy - 0.5
        let (x0, y0) = (Int(sx.rounded(.down)), Int(sy.rounded(.down)))
        guard x0 >= 0, y0 >= 0, x0 + 1 < w, y0 + 1 < h else { continue }
        let (ax, ay) = (sx - Double(x0), sy - Double(y0))
        for k in 0..<ch {
          func p(_ xx: Int, _ yy: Int) -> Double { Double(image.pixels[(yy * w + xx) * ch + k]) }
          let top = p(x0, y0) + ax * (p(x0 + 1, y0) - p(x0, y0))
          let bottom = p(x0, y0 + 1) + ax * (p(x0 + 1, y0 + 1) - p(x0, y0 + 1))
          out[(y * w + x) * ch + k] = UInt8((top + ay * (bottom - top)).rounded())
        }
      }
    }
    return Image(width: w, height: h, channels: ch, pixels: out)
  }

  static func photo(_ name: String) throws -> Image? {
    guard let photos = try SharedData.path("datasets/photos") else { return nil }
    return try Image(
      contentsOfFile: photos.appendingPathComponent(name).path,
      options: DecodeOptions(colour: .rgb))
  }

  /// The two people of `03_two_people.jpg` turned by 30–40°: the upright cascade finds one of
  /// them, the turned looks both. (Turned by 0–20°, both detectors find both.)
  @Test(arguments: [-40.0, 30.0, 40.0])
  func aTurnedPairIsFoundWhole(degrees: Double) throws {
    guard let image = try Self.photo("03_two_people.jpg") else { return }
    let scene = Self.turned(image, degrees: degrees)
    #expect(try Self.detector(retriesTurned: false).detect(in: scene).count == 1)
    #expect(try Self.detector(retriesTurned: true).detect(in: scene).count == 2)
  }

  /// Issue 13's goal: the right number of faces on each of the 8 shared photos (labels.csv;
  /// "about 7" counts as 7), with the defaults `emocl predict` uses.
  @Test func everySharedPhotoIsCountedRight() throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let labels = try String(
      contentsOf: photos.appendingPathComponent("labels.csv"), encoding: .utf8)
    let detector = try Self.detector(retriesTurned: true)
    var checked = 0
    for line in labels.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count >= 5 else { continue }
      let digits = fields[4].drop { !$0.isNumber }.prefix { $0.isNumber }
      let truth = try #require(Int(digits), "\(line)")
      guard let image = try Self.photo(String(fields[0])) else { return }
      let found = try detector.detect(in: image).count
      #expect(found == truth, "\(fields[0]): \(found) faces, \(truth) labelled")
      checked += 1
    }
    #expect(checked == 8)
  }
}
