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
}
