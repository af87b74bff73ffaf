import Foundation
import TestSupport
import Testing
import Vision

/// `DetectionOptions.default` on the shared photos (faces counted by eye in labels.csv): the
/// precision-first defaults must find exactly the one face of the portraits, nothing on the
/// cartoon, and be at most one face off on the group photos.
@Suite(.serialized) struct FaceDetectionQualityTests {
  static let detector = Result { try FaceDetector.standard() }

  func faces(_ file: String) throws -> (found: [FaceBox], image: Image)? {
    guard let directory = try SharedData.path("datasets/photos") else { return nil }
    let image = try Image(
      contentsOfFile: directory.appendingPathComponent(file).path,
      options: DecodeOptions(colour: .grey))
    let found = try Self.detector.get().detect(in: image)
    for box in found {
      #expect(box.x >= 0 && box.y >= 0, "\(file): \(box)")
      #expect(box.x + box.width <= image.width && box.y + box.height <= image.height, "\(file)")
    }
    return (found, image)
  }

  @Test(arguments: ["21_single_face.jpg", "28_justin.jpg", "30_astronaut.png"])
  func portraitsHoldExactlyOneFace(_ file: String) throws {
    guard let (found, image) = try faces(file) else { return }
    #expect(found.count == 1, "\(file): \(found)")
    // The face is a sizeable part of these portraits.
    if let face = found.first { #expect(face.width * 8 >= min(image.width, image.height)) }
  }

  @Test func cartoonHoldsNoFace() throws {
    guard let (found, _) = try faces("29_no-faces.jpg") else { return }
    #expect(found.isEmpty, "\(found)")
  }

  @Test(arguments: [("03_two_people.jpg", 2), ("08_couple.jpg", 2), ("20_multi_face.jpg", 5)])
  func groupPhotosAreAtMostOneFaceOff(_ file: String, _ labelled: Int) throws {
    guard let (found, _) = try faces(file) else { return }
    #expect(abs(found.count - labelled) <= 1, "\(file): \(found.count) found, \(labelled) labelled")
    // Boxes do not overlap once overlaps are suppressed.
    for (i, a) in found.enumerated() {
      for b in found[(i + 1)...] { #expect(a.intersectionOverUnion(b) < 0.3, "\(file)") }
    }
  }

  @Test func selfieIsReported() throws {
    guard let (found, _) = try faces("09_selfie-many-people.jpg") else { return }
    print("09_selfie-many-people.jpg: \(found.count) faces with the defaults (about 7 labelled)")
    #expect(found.count <= 7)
  }
}
