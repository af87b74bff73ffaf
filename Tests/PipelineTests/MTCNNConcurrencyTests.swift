import Datasets
import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

/// Concurrent MTCNN detections (each borrowing its own buffers) give exactly what the same
/// detections give one after another.
@Suite struct MTCNNConcurrencyTests {
  /// Results written by concurrent workers, each to its own slot.
  final class Slots: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<[DetectedFace], any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<[DetectedFace], any Error>) {
      lock.lock()
      defer { lock.unlock() }
      values[index] = value
    }
    var all: [Result<[DetectedFace], any Error>?] {
      lock.lock()
      defer { lock.unlock() }
      return values
    }
  }

  @Test func concurrentDetectionsEqualSequentialOnes() throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    // More sets than cores, and more calls than sets, so that calls both overlap and wait.
    let detector = try MTCNNDetector(
      file: try ModelFile.read(from: url), maxWorkingPixels: 300_000, concurrentCalls: 3)
    #expect(detector.concurrentCalls == 3)
    let names = ["03_two_people.jpg", "08_couple.jpg", "20_multi_face.jpg", "29_no-faces.jpg"]
    let images = try names.map {
      try Image(
        contentsOfFile: photos.appendingPathComponent($0).path,
        options: DecodeOptions(colour: .rgb))
    }
    let sequential = try images.map { try detector.detect(in: $0) }
    #expect(sequential.contains { !$0.isEmpty }, "no faces: the comparison would be vacuous")
    let calls = 3 * images.count
    let slots = Slots(count: calls)
    DispatchQueue.concurrentPerform(iterations: calls) { call in
      // Interleaved so that different images run at the same time.
      slots.set(call, Result { try detector.detect(in: images[call % images.count]) })
    }
    for (call, result) in slots.all.enumerated() {
      let faces = try #require(result).get()
      #expect(
        faces == sequential[call % images.count], "call \(call), \(names[call % names.count])")
    }
  }

  /// A detection shared among threads (P-Net's bands, R- and O-Net's crops, each thread with
  /// its own workspaces) gives the one-thread faces to rounding: other batch sizes may take
  /// other GEMM kernels (measured: at most 3e-5 px apart with 3 threads, equal with 2).
  @Test func threadsGiveTheOneThreadFaces() throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let url = SharedData.repositoryRoot.appendingPathComponent("Models/mtcnn.safetensors")
    let file = try ModelFile.read(from: url)
    let one = try MTCNNDetector(file: file, threads: 1)
    for name in ["09_selfie-many-people.jpg", "20_multi_face.jpg", "08_couple.jpg"] {
      let image = try Image(
        contentsOfFile: photos.appendingPathComponent(name).path,
        options: DecodeOptions(colour: .rgb))
      let expected = try one.detect(in: image)
      #expect(expected.count >= 2, "\(name): too few faces for the comparison to mean much")
      for threads in [2, 3] {
        let shared = try MTCNNDetector(file: file, threads: threads)
        let faces = try shared.detect(in: image)
        #expect(faces.count == expected.count, "\(name), \(threads) threads")
        for (a, b) in zip(faces, expected) {
          let corners = [a.left - b.left, a.top - b.top, a.right - b.right, a.bottom - b.bottom]
          let points = zip(a.landmarks, b.landmarks).flatMap { [$0.x - $1.x, $0.y - $1.y] }
          let worst = (corners + points).map(abs).max() ?? 0
          #expect(worst < 1e-3, "\(name), \(threads) threads: \(worst) px")
          #expect(abs(a.score - b.score) < 1e-5, "\(name), \(threads) threads")
        }
      }
    }
  }
}
