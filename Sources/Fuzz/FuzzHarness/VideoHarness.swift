import Vision

/// Opens the bytes as a video from memory (FFmpeg's demuxers behind custom I/O, the decoders
/// single-threaded) and reads up to `maxFrames` frames, converting every other one. Checks that
/// the reported size lies within the harness limits, each frame holds `width * height` bytes of
/// that size, and times are finite and not negative.
enum VideoHarness {
  /// Small limits, so that a fuzzed header asking for huge frames is refused before decoding.
  static let limits = VideoLimits(maxSide: 1024, maxPixels: 256 * 256)
  /// Bounds the work per input.
  static let maxFrames = 32

  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    let reader: VideoReader
    do {
      reader = try VideoReader(bytes: data, colour: .grey, limits: limits, threads: 1)
    } catch {
      return
    }
    let info = reader.info
    try FuzzFailure.require(
      info.width > 0 && info.height > 0 && info.width * info.height <= limits.maxPixels,
      "reported size \(info.width)x\(info.height) outside the limits")
    try FuzzFailure.require([0, 90, 180, 270].contains(info.rotation), "rotation \(info.rotation)")
    try FuzzFailure.require(
      info.fps.isFinite && info.fps >= 0 && info.duration.isFinite && info.duration >= 0,
      "fps \(info.fps), duration \(info.duration)")
    for index in 0..<maxFrames {
      let time: Double?
      do {
        time = try reader.advance()
      } catch {
        return
      }
      guard let time else { return }
      try FuzzFailure.require(time.isFinite && time >= 0, "frame \(index) at time \(time)")
      guard index % 2 == 0 else { continue }
      let image: Image
      do {
        image = try reader.image()
      } catch {
        continue
      }
      try FuzzFailure.require(
        image.width == info.width && image.height == info.height
          && image.pixels.count == info.width * info.height,
        "frame \(index) is \(image.width)x\(image.height), reported \(info.width)x\(info.height)")
    }
  }
}
