import CVideo

/// Writes RGB frames into a video file through FFmpeg: H.264 (libx264) when this FFmpeg has it,
/// MPEG-4 part 2 otherwise; the container from the file's extension (MP4 when unknown). Odd
/// sizes are scaled down to the even size the encoders need. Call `finish()` at the end; a
/// writer dropped without it still releases FFmpeg's state but leaves an unfinished file.
public final class VideoWriter {
  /// The encoder's name, e.g. `libx264` or `mpeg4`.
  public let codec: String
  /// The frame width `write` expects.
  public let width: Int
  /// The frame height `write` expects.
  public let height: Int
  private var handle: OpaquePointer?
  private let path: String

  /// Creates the file at `path` for `width` × `height` RGB frames at about `fps` frames per
  /// second (a hint for the encoder; each frame keeps the time it is written with).
  public init(path: String, width: Int, height: Int, fps: Double) throws(VideoError) {
    var opened: OpaquePointer?
    var name = [CChar](repeating: 0, count: 32)
    try VideoCall.run(path: path) { message in
      cvideo_writer_open(
        path, Int32(clamping: width), Int32(clamping: height), fps, &opened, &name, message)
    }
    handle = opened
    self.path = path
    self.width = width
    self.height = height
    codec = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  deinit {
    if let handle {
      var message = [CChar](repeating: 0, count: Int(CVIDEO_MESSAGE_SIZE))
      _ = cvideo_writer_close(handle, &message)
    }
  }

  /// Encodes `image` (RGB, or grey converted to RGB; `width` × `height`) shown at `time`
  /// seconds.
  public func write(_ image: Image, time: Double) throws(VideoError) {
    guard let handle else { throw .codecFailure("the writer is finished") }
    guard image.width == width, image.height == height else {
      throw .codecFailure(
        "frame of \(image.width)x\(image.height) for a \(width)x\(height) video")
    }
    let rgb = image.channels == 3 ? image : image.rgb()
    _ = try rgb.pixels.withUnsafeBufferPointer { pixels throws(VideoError) in
      try VideoCall.run(path: path) { message in
        cvideo_writer_write(handle, pixels.baseAddress, time, message)
      }
    }
  }

  /// Flushes the encoder and completes the file.
  public func finish() throws(VideoError) {
    guard let handle else { return }
    self.handle = nil
    try VideoCall.run(path: path) { message in cvideo_writer_close(handle, message) }
  }
}
