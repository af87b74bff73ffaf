import Datasets
import Pipeline
import Synchronization
import Vision

/// A deterministic classifier for pipeline tests: a face's dominant emotion is its crop's mean
/// grey level in seven equal bands (0–36 angry, …, 220–255 surprise), with probability 0.4
/// against 0.1 for each other class. It records the size of every batch it receives.
final class MeanGreyClassifier: EmotionClassifier {
  let name = "mean-grey"
  let inputSize: (width: Int, height: Int)
  private let calls = Mutex<[[Image]]>([])

  init(inputSize: (width: Int, height: Int) = (48, 48)) { self.inputSize = inputSize }

  /// The batches received so far.
  var batches: [[Image]] { calls.withLock { $0 } }

  /// The emotion a crop of uniform grey `level` gets.
  static func emotion(forGrey level: Int) -> Emotion {
    Emotion.allCases[min(6, level * 7 / 256)]
  }

  /// A grey level in the middle of `emotion`'s band.
  static func grey(for emotion: Emotion) -> UInt8 {
    UInt8((emotion.index * 256 + 128) / 7)
  }

  func probabilities(forFaces faces: [Image]) throws -> [[Float]] {
    calls.withLock { $0.append(faces) }
    return faces.map { face in
      let mean = face.pixels.reduce(0) { $0 + Int($1) } / max(face.pixels.count, 1)
      var row = [Float](repeating: 0.1, count: 7)
      row[Self.emotion(forGrey: mean).index] = 0.4
      return row
    }
  }
}

/// A classifier returning whatever rows it was given, to test output validation.
struct FixedOutputClassifier: EmotionClassifier {
  let name = "fixed"
  let inputSize = (width: 48, height: 48)
  let rows: [[Float]]
  func probabilities(forFaces faces: [Image]) throws -> [[Float]] { rows }
}

/// A face locator returning fixed boxes; counts its calls.
final class FixedLocator: FaceLocating {
  let boxes: [PixelBox]
  private let count = Mutex(0)
  init(_ boxes: [PixelBox]) { self.boxes = boxes }
  var calls: Int { count.withLock { $0 } }
  func faceBoxes(in image: Image) throws -> [PixelBox] {
    count.withLock { $0 += 1 }
    return boxes
  }
}

/// A locator that always fails.
struct FailingLocator: FaceLocating {
  struct Failure: Error {}
  func faceBoxes(in image: Image) throws -> [PixelBox] { throw Failure() }
}

enum Scene {
  /// A grey image of uniform `level`.
  static func plain(width: Int, height: Int, level: UInt8) -> Image {
    Image(
      width: width, height: height, channels: 1,
      pixels: [UInt8](repeating: level, count: width * height))
  }

  /// `image` with `box` painted at `level`.
  static func painting(_ image: Image, _ box: PixelBox, level: UInt8) -> Image {
    var out = image
    for y in box.y..<(box.y + box.height) {
      for x in box.x..<(box.x + box.width) {
        for c in 0..<image.channels {
          out.pixels[(y * image.width + x) * image.channels + c] = level
        }
      }
    }
    return out
  }
}
