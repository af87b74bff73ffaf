import Foundation
import Pipeline
import Vision

extension SQLStore {
  /// Columns of `faces` (migration 4) that hold a face's ``FaceDetails``; all null for a face
  /// without a CNN detection.
  static let detectionColumns = [
    "detection_score", "landmarks", "face_size", "sharpness", "roll", "yaw", "pitch", "reliable",
  ]

  /// The values of ``detectionColumns`` for `details`, in that order. Non-finite numbers (which
  /// the detector should never give) are stored as null rather than refused.
  static func detectionValues(_ details: FaceDetails?) -> [SQLValue] {
    guard let details else { return detectionColumns.map { _ in .null } }
    func real(_ value: Double) -> SQLValue { value.isFinite ? .real(value) : .null }
    let q = details.quality
    return [
      real(details.score), SQLValue(landmarksText(details.landmarks)), real(q.size),
      real(q.sharpness), real(q.roll), real(q.yaw), real(q.pitch), .integer(q.reliable ? 1 : 0),
    ]
  }

  /// The details read back from a row that selected ``detectionColumns``; nil when the face had
  /// none (or the row is incomplete).
  static func detection(_ row: SQLColumns.Row) -> FaceDetails? {
    guard let score = row["detection_score"].double, let reliable = row["reliable"].int64,
      let size = row["face_size"].double
    else { return nil }
    let quality = FaceQuality(
      size: size, sharpness: row["sharpness"].double ?? 0, roll: row["roll"].double ?? 0,
      yaw: row["yaw"].double ?? 0, pitch: row["pitch"].double ?? 0, reliable: reliable != 0)
    return FaceDetails(
      score: score, landmarks: landmarks(row["landmarks"].string ?? ""), quality: quality)
  }

  /// Landmarks as `x y` pairs separated by spaces, to 0.01 px: `"101.25 80.5 130 81.75 …"`.
  static func landmarksText(_ points: [ImagePoint]) -> String? {
    guard !points.isEmpty, points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
      return nil
    }
    return points.map { "\(rounded($0.x)) \(rounded($0.y))" }.joined(separator: " ")
  }

  /// The points of ``landmarksText(_:)``; empty for text that is not whole pairs of numbers.
  static func landmarks(_ text: String) -> [ImagePoint] {
    let numbers = text.split(separator: " ").compactMap { Double($0) }
    guard !numbers.isEmpty, numbers.count.isMultiple(of: 2),
      numbers.count == text.split(separator: " ").count
    else { return [] }
    return stride(from: 0, to: numbers.count, by: 2).map {
      ImagePoint(x: numbers[$0], y: numbers[$0 + 1])
    }
  }

  private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
