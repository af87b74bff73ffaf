import Foundation
import TestSupport
import Vision

/// One image of `synthetic.json` / `fer2013.json`: its size and the pixels Pillow decoded.
struct ReferenceImage: Decodable {
  let file: String?
  let path: String?
  let width: Int
  let height: Int
  let channels: Int?
  let pixels: [Int]
  let notes: String?
}

struct ReferenceImages: Decodable {
  let images: [ReferenceImage]
}

enum Fixtures {
  static func url(_ name: String) -> URL { SharedData.fixture("VisionTests", name) }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url(name)))
  }

  static func json<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
  }

  static func synthetic(_ file: String) throws -> ReferenceImage {
    let all = try json("synthetic.json", as: ReferenceImages.self)
    guard let found = all.images.first(where: { $0.file == file }) else {
      throw FixtureMissing(name: file)
    }
    return found
  }
}

struct FixtureMissing: Error, CustomStringConvertible {
  let name: String
  var description: String { "no reference entry for \(name)" }
}

/// Mean and max absolute difference between two equally long pixel arrays.
func pixelDifference(_ a: [UInt8], _ b: [Int]) -> (mean: Double, max: Int) {
  precondition(a.count == b.count)
  var sum = 0
  var largest = 0
  for i in 0..<a.count {
    let d = abs(Int(a[i]) - b[i])
    sum += d
    largest = max(largest, d)
  }
  return (a.isEmpty ? 0 : Double(sum) / Double(a.count), largest)
}

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func bytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
  }
}

/// Runs `body`, which must throw an ImageError, and returns it (nil if it did not throw).
func imageError(_ body: () throws(ImageError) -> Image) -> ImageError? {
  do {
    _ = try body()
    return nil
  } catch {
    return error
  }
}
