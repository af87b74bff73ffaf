import Foundation
import TestSupport
import Vision

/// Decoding of the OpenCV reference files in Fixtures/faces (made by
/// Scripts/fixtures/faces_reference.py).
enum FaceFixtures {
  struct Detection: Decodable {
    let cascade: String
    let scaleFactor: Double
    let minNeighbors: Int
    let minSize: Int
    let maxSize: Int
    /// `[x, y, width, height, neighbours]`, sorted.
    let boxes: [[Int]]

    var options: DetectionOptions {
      DetectionOptions(
        scaleFactor: scaleFactor, minNeighbors: minNeighbors, minSize: minSize,
        maxSize: maxSize == 0 ? nil : maxSize)
    }
    var label: String {
      "\(cascade) scale \(scaleFactor) neighbours \(minNeighbors) min \(minSize) max \(maxSize)"
    }
  }

  struct Scene: Decodable {
    let name: String
    let file: String
    let width: Int
    let height: Int
    let results: [Detection]
  }

  struct Scenes: Decodable { let scenes: [Scene] }

  struct Photo: Decodable {
    let file: String
    let grey: String
    let width: Int
    let height: Int
    let fnv1a64: String
    let results: [Detection]
  }

  struct Photos: Decodable { let photos: [Photo] }

  static func url(_ name: String) -> URL { SharedData.fixture("VisionTests", "faces/\(name)") }

  static func json<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
  }

  static func greyImage(_ file: String, width: Int, height: Int) throws -> Image {
    let bytes = [UInt8](try Data(contentsOf: url(file)))
    return Image(width: width, height: height, channels: 1, pixels: bytes)
  }

  static func base64(_ text: String) -> [UInt8] { [UInt8](Data(base64Encoded: text) ?? Data()) }

  /// Cascades are loaded once per process (each is ~0.5–1 MB of XML).
  static let cascades = CascadeCache()

  static func rows(_ boxes: [FaceBox]) -> [[Int]] {
    boxes.map { [$0.x, $0.y, $0.width, $0.height, $0.neighbors] }.sorted {
      $0.lexicographicallyPrecedes($1)
    }
  }

  static func fnv1a64(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// Pairs each expected box with the unused found box of highest IoU; returns the lowest IoU
  /// over the pairs (1 when both are empty), or 0 when the counts differ.
  static func worstIoU(expected: [[Int]], found: [FaceBox]) -> Double {
    guard expected.count == found.count else { return 0 }
    var unused = found
    var worst = 1.0
    for row in expected {
      let box = FaceBox(x: row[0], y: row[1], width: row[2], height: row[3])
      guard
        let best = unused.indices.max(by: {
          unused[$0].intersectionOverUnion(box) < unused[$1].intersectionOverUnion(box)
        })
      else { return 0 }
      worst = min(worst, unused[best].intersectionOverUnion(box))
      unused.remove(at: best)
    }
    return worst
  }
}

/// Loads each cascade file once; tests run in parallel.
final class CascadeCache: Sendable {
  private let lock = NSLock()
  nonisolated(unsafe) private var loaded: [String: HaarCascade] = [:]

  func cascade(_ name: String) throws -> HaarCascade {
    lock.lock()
    defer { lock.unlock() }
    if let cascade = loaded[name] { return cascade }
    let cascade = try HaarCascade.named(name)
    loaded[name] = cascade
    return cascade
  }
}
