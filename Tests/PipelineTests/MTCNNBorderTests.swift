import Datasets
import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

/// ``MTCNNDetector/padsBorders``: a face cut off by the photo's edge is found; faces inside the
/// photo come out as without the border.
@Suite struct MTCNNBorderTests {
  static func detector(padsBorders: Bool) throws -> MTCNNDetector {
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    return try MTCNNDetector(file: try ModelFile.read(from: url), padsBorders: padsBorders)
  }

  static func photo(_ name: String) throws -> Image? {
    guard let photos = try SharedData.path("datasets/photos") else { return nil }
    return try Image(
      contentsOfFile: photos.appendingPathComponent(name).path,
      options: DecodeOptions(colour: .rgb))
  }

  /// The face of `21_single_face.jpg` (about 182 × 257 pixels from x = 191) cut by the left
  /// edge through 25%, 35% and 45% of its width, and by the right edge likewise. (Cut through
  /// 55%, one of the two is still found.)
  @Test func aFaceCutByTheEdgeIsFound() throws {
    guard let image = try Self.photo("21_single_face.jpg") else { return }
    let padded = try Self.detector(padsBorders: true)
    let plain = try Self.detector(padsBorders: false)
    let whole = try #require(try padded.detect(in: image).first)
    let faceWidth = whole.right - whole.left
    var found = (padded: 0, plain: 0)
    for fraction in [0.25, 0.35, 0.45] {
      let cut = Int(whole.left + fraction * faceWidth)
      let right = try image.cropped(x: cut, y: 0, width: image.width - cut, height: image.height)
      let keep = Int(whole.right - fraction * faceWidth)
      let left = try image.cropped(x: 0, y: 0, width: keep, height: image.height)
      for (part, edge) in [(right, 0.0), (left, Double(keep))] {
        let faces = try padded.detect(in: part)
        #expect(faces.count == 1, "cut at \(fraction): \(faces)")
        if let face = faces.first {
          found.padded += 1
          // The box reaches past the edge it was cut by, and is about as tall as the whole face.
          #expect(face.left < edge || face.right > edge, "\(face)")
          #expect(abs((face.bottom - face.top) - (whole.bottom - whole.top)) < 0.25 * faceWidth)
        }
        found.plain += try plain.detect(in: part).count
      }
    }
    print(
      "faces cut by the edge: \(found.padded) of 6 found with the border, \(found.plain) without")
    #expect(found.padded > found.plain)
  }

  /// On photos whose faces lie well inside the frame, the border changes nothing. (In
  /// `03_two_people.jpg` a face's squared box reaches above the photo: its crop gets grey there
  /// instead of being squeezed, and the box moves by about 2 pixels.)
  @Test func facesInsideThePhotoAreUnchanged() throws {
    let padded = try Self.detector(padsBorders: true)
    let plain = try Self.detector(padsBorders: false)
    for name in ["20_multi_face.jpg", "28_justin.jpg", "29_no-faces.jpg", "30_astronaut.png"] {
      guard let image = try Self.photo(name) else { return }
      let a = try padded.detect(in: image)
      let b = try plain.detect(in: image)
      #expect(a.count == b.count, "\(name)")
      for (x, y) in zip(a, b) {
        let difference = [x.left - y.left, x.top - y.top, x.right - y.right, x.bottom - y.bottom]
          .map(abs).max()!
        #expect(difference < 1e-3 && abs(x.score - y.score) < 1e-5, "\(name): \(x) vs \(y)")
      }
    }
  }
}
