import Datasets
import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

/// Face size, sharpness and landmark pose of `FaceQuality`.
@Suite struct FaceQualityTests {
  /// A frontal face's landmarks: eyes 20 px apart at y 50, nose at the frontal height, mouth
  /// corners at y 70; rotated by `degrees` about (50, 60), nose moved by `noseShift` px.
  private func landmarks(degrees: Double = 0, noseShift: Double = 0) -> [ImagePoint] {
    let points = [
      (40.0, 50.0), (60.0, 50.0), (50 + noseShift, 50 + FaceQuality.frontalNoseHeight * 20),
      (42.0, 70.0), (58.0, 70.0),
    ]
    let a = degrees * .pi / 180
    return points.map { x, y in
      let (dx, dy) = (x - 50, y - 60)
      return ImagePoint(x: 50 + cos(a) * dx - sin(a) * dy, y: 60 + sin(a) * dx + cos(a) * dy)
    }
  }

  @Test func frontalFaceHasNoRollYawOrPitch() {
    let pose = FaceQuality.pose(landmarks())
    #expect(abs(pose.roll) < 1e-9 && abs(pose.yaw) < 1e-9 && abs(pose.pitch) < 1e-9)
  }

  @Test func rollIsTheEyeLineTiltAndLeavesTheRestAlone() {
    let pose = FaceQuality.pose(landmarks(degrees: 20))
    #expect(abs(pose.roll - 20) < 1e-9)
    #expect(abs(pose.yaw) < 1e-6 && abs(pose.pitch) < 1e-6)
  }

  @Test func aNoseHalfWayToAnEyeIsThirtyDegreesOfYaw() {
    // Half the half eye distance (10 px) sideways: asin(0.5) = 30°.
    let pose = FaceQuality.pose(landmarks(degrees: -15, noseShift: 5))
    #expect(abs(pose.yaw - 30) < 1e-6)
    #expect(abs(pose.roll + 15) < 1e-9)
  }

  @Test func badLandmarksGiveZeros() {
    #expect(FaceQuality.pose([]) == (0, 0, 0))
    var points = landmarks()
    points[2].x = .nan
    #expect(FaceQuality.pose(points) == (0, 0, 0))
  }

  @Test func sharpnessFallsWithBlurAndSizeDecidesReliability() {
    // A 96×96 checkerboard of 8-px squares, and the same averaged over 9×9 windows.
    let side = 96
    var sharp = [UInt8](repeating: 0, count: side * side)
    for y in 0..<side {
      for x in 0..<side where (x / 8 + y / 8) % 2 == 0 { sharp[y * side + x] = 255 }
    }
    var blurred = sharp
    for y in 0..<side {
      for x in 0..<side {
        var total = 0
        var count = 0
        for dy in -4...4 {
          for dx in -4...4 where (0..<side).contains(y + dy) && (0..<side).contains(x + dx) {
            total += Int(sharp[(y + dy) * side + x + dx])
            count += 1
          }
        }
        blurred[y * side + x] = UInt8(total / count)
      }
    }
    let face = DetectedFace(
      left: 0, top: 0, right: 96, bottom: 96, score: 1, landmarks: landmarks())
    let a = FaceQuality(
      face: face, in: Image(width: side, height: side, channels: 1, pixels: sharp))
    let b = FaceQuality(
      face: face, in: Image(width: side, height: side, channels: 1, pixels: blurred))
    #expect(a.sharpness > 4 * b.sharpness, "\(a.sharpness) vs \(b.sharpness)")
    #expect(a.reliable)
    let flat = FaceQuality(
      face: face,
      in: Image(
        width: side, height: side, channels: 1, pixels: [UInt8](repeating: 90, count: side * side)))
    #expect(flat.sharpness == 0 && !flat.reliable)
    let small = DetectedFace(
      left: 10, top: 10, right: 30, bottom: 30, score: 1, landmarks: landmarks())
    let tiny = FaceQuality(
      face: small, in: Image(width: side, height: side, channels: 1, pixels: sharp))
    #expect(tiny.size == 20 && !tiny.reliable)
    // A box outside the image has no sharpness.
    let outside = DetectedFace(
      left: 200, top: 200, right: 260, bottom: 260, score: 1, landmarks: landmarks())
    #expect(
      FaceQuality.sharpness(
        face: outside, in: Image(width: side, height: side, channels: 1, pixels: sharp)) == 0)
  }

  /// The scores of MTCNN's faces in the shared photos (printed; all are usable portraits).
  @Test func sharedPhotoFacesAreScored() throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let detector = try MTCNNOracleTests.detector()
    var reliable = 0
    var total = 0
    for file in try FileManager.default.contentsOfDirectory(atPath: photos.path).sorted()
    where file.hasSuffix(".jpg") || file.hasSuffix(".png") {
      let image = try Image(
        contentsOfFile: photos.appendingPathComponent(file).path,
        options: DecodeOptions(colour: .rgb))
      for face in try detector.detect(in: image) {
        let q = FaceQuality(face: face, in: image)
        #expect(q.size > 0 && q.sharpness.isFinite && q.yaw.isFinite && q.pitch.isFinite)
        print(
          String(
            format: "%@ size %.0f sharpness %.0f roll %.1f yaw %.1f pitch %.1f reliable %@",
            file, q.size, q.sharpness, q.roll, q.yaw, q.pitch, q.reliable ? "yes" : "no"))
        total += 1
        reliable += q.reliable ? 1 : 0
      }
    }
    print("FaceQuality: \(reliable) of \(total) shared-photo faces reliable")
    #expect(total == 16)
  }
}
