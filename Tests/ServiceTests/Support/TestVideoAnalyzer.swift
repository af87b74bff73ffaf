import Foundation
import Pipeline

/// A stand-in for the real video analyser: it reads a "video" made by `TestVideoAnalyzer.video`
/// (a 12-byte MP4-like header, then `frames=N faces=M [fail]`), and describes N frames at 10
/// per second with M faces each (track k at x = 10k, with fixed probabilities per track).
/// The timeline the service computes from it can therefore be checked by hand.
struct TestVideoAnalyzer: VideoAnalyzing {
  struct Failure: Error, CustomStringConvertible {
    var description: String { "the file holds no video stream (test)" }
  }

  /// Milliseconds to sleep per frame, to let tests catch a job mid-way.
  var delayPerFrameMs = 0

  /// The bytes of a test video with `frames` frames of `faces` faces.
  static func video(frames: Int, faces: Int, fail: Bool = false) -> [UInt8] {
    [0, 0, 0, 24] + Array("ftypisom".utf8)
      + Array("frames=\(frames) faces=\(faces)\(fail ? " fail" : "")".utf8)
  }

  /// Track k's probabilities: most on emotion k mod 7.
  static func probabilities(track: Int) -> EmotionProbabilities {
    var row = [Float](repeating: 0.05, count: 7)
    row[track % 7] = 0.7
    return EmotionProbabilities(validating: row)!
  }

  func analyzeVideo(
    atPath path: String, name: String, sampling: VideoSampling,
    progress: @Sendable (Double) -> Bool
  ) throws -> VideoAnalysis {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let text = String(decoding: bytes.dropFirst(12), as: UTF8.self)
    if text.contains("fail") { throw Failure() }
    var numbers: [String: Int] = [:]
    for part in text.split(separator: " ") {
      let pair = part.split(separator: "=")
      if pair.count == 2 { numbers[String(pair[0])] = Int(pair[1]) }
    }
    let frameCount = numbers["frames"] ?? 0
    let faceCount = numbers["faces"] ?? 0
    var frames: [VideoFrameFaces] = []
    for i in 0..<frameCount {
      if delayPerFrameMs > 0 { usleep(UInt32(delayPerFrameMs * 1000)) }
      guard progress(Double(i) / Double(max(frameCount, 1))) else { throw CancellationError() }
      let faces = (1...max(faceCount, 1)).prefix(faceCount).map { track in
        TrackedFace(
          track: track, box: PixelBox(x: 10 * track, y: 5, width: 40, height: 40),
          emotions: Self.probabilities(track: track))
      }
      frames.append(VideoFrameFaces(time: Double(i) / 10, faces: faces))
    }
    let duration = Double(frameCount) / 10
    let tracks = (1...max(faceCount, 1)).prefix(faceCount).map { track in
      VideoTrackSummary(
        id: track, first: 0, last: Double(max(frameCount - 1, 0)) / 10, frames: frameCount,
        emotions: Self.probabilities(track: track))
    }
    return VideoAnalysis(
      video: name, width: 640, height: 360, fps: 10, duration: duration, model: "test-cnn",
      frames: frames, tracks: tracks)
  }
}
