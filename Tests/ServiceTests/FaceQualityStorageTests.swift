import Datasets
import Foundation
import Pipeline
import Service
import TestSupport
import Testing

/// Detection details stored with each face (schema version 4), and statistics that count and
/// optionally leave out faces failing the quality limits; on SQLite and PostgreSQL.
@Suite("Face quality storage", .serialized)
struct FaceQualityStorageTests {
  static let day0 = StorageTests.day0

  /// A detected face `side` px wide with the given sharpness and yaw.
  static func face(
    _ p: [Double], side: Int, sharpness: Double = 80, yaw: Double = 0, reliable: Bool = true
  ) -> FaceResult {
    let quality = FaceQuality(
      size: Double(side), sharpness: sharpness, roll: -3.25, yaw: yaw, pitch: 5.5,
      reliable: reliable)
    let landmarks = [
      ImagePoint(x: 10.25, y: 12.5), ImagePoint(x: 20, y: 12), ImagePoint(x: 15.75, y: 18),
      ImagePoint(x: 11, y: 24), ImagePoint(x: 19.5, y: 24.25),
    ]
    return FaceResult(
      box: PixelBox(x: 3, y: 4, width: side, height: side + 6),
      emotions: EmotionScores(probabilities: p)!,
      detection: FaceDetails(score: 0.998_5, landmarks: landmarks, quality: quality))
  }

  @Test("details round-trip through insert and list; faces without them stay without")
  func roundTrip() async throws {
    let p = [0.1, 0.2, 0.05, 0.4, 0.1, 0.1, 0.05]
    let detected = Self.face(p, side: 60, sharpness: 123.25, yaw: -12.5)
    let plain = StorageTests.face(p)
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        #expect(try await store.schemaVersions().contains(4))
        _ = try await store.insert(
          createdAt: Self.day0, tag: "q", model: "cnn",
          result: AnalysisResult(width: 640, height: 480, faces: [detected, plain]), elapsedMs: 1)
        let listed = try await store.list(AnalysisFilter(tag: "q"), before: nil, limit: 5)
        let faces = try #require(listed.first?.faces)
        #expect(faces.count == 2)
        #expect(faces[0].detection == detected.detection, "\(url)")
        #expect(faces[1].detection == nil, "\(url)")
      }
    }
  }

  @Test("statistics: unreliable faces counted; reliable_only leaves them out; limits at read")
  func statistics() async throws {
    let happy = [0.05, 0.05, 0.05, 0.7, 0.05, 0.05, 0.05]
    let sad = [0.05, 0.05, 0.05, 0.05, 0.05, 0.7, 0.05]
    // One good face, one too small (16 px), one blurred, one turned away, and one Haar-like
    // face without details (judged by size: 30 px passes).
    let faces = [
      Self.face(happy, side: 60), Self.face(sad, side: 16, reliable: false),
      Self.face(sad, side: 60, sharpness: 3, reliable: false),
      Self.face(sad, side: 60, yaw: -70, reliable: false), StorageTests.face(happy),
    ]
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        _ = try await store.insert(
          createdAt: Self.day0, tag: "s", model: "cnn",
          result: AnalysisResult(width: 640, height: 480, faces: faces), elapsedMs: 1)
        let filter = AnalysisFilter(tag: "s")
        let all = try #require(try await store.stats(filter, bucket: .day).first)
        #expect(all.faces == 5 && all.unreliable == 3, "\(url)")
        #expect(all.dominantCounts[Emotion.sad.index] == 3)
        let reliable = try #require(
          try await store.stats(
            filter, bucket: .day, quality: StatsQuality(reliableOnly: true)
          ).first)
        #expect(reliable.faces == 2 && reliable.unreliable == 3, "\(url)")
        #expect(reliable.dominantCounts[Emotion.happy.index] == 2)
        #expect(reliable.dominantCounts[Emotion.sad.index] == 0)
        #expect(abs(reliable.meanProbabilities[Emotion.happy.index] - 0.7) < 1e-9)
        // Looser limits at read time: the small and the turned face now pass.
        let loose = StatsQuality(
          reliableOnly: true,
          limits: FaceQuality.Limits(minSize: 10, minSharpness: 20, maxYaw: 80, maxPitch: 40))
        let looser = try #require(try await store.stats(filter, bucket: .day, quality: loose).first)
        #expect(looser.faces == 4 && looser.unreliable == 1, "\(url)")
        // A bucket whose faces all fail keeps its count of them, with zero means.
        let strict = StatsQuality(
          reliableOnly: true, limits: FaceQuality.Limits(minSize: 1000))
        let none = try #require(try await store.stats(filter, bucket: .day, quality: strict).first)
        #expect(
          none.faces == 0 && none.unreliable == 5 && none.meanProbabilities.allSatisfy { $0 == 0 })
      }
    }
  }
}
