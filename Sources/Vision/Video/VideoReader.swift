import CVideo
import Foundation

/// Reads the frames of a video file one at a time through FFmpeg (MP4, MOV, MKV, WebM, AVI,
/// MPEG-TS; H.264, HEVC, VP8, VP9, AV1 and whatever else Debian's FFmpeg decodes), with the
/// display matrix's rotation applied, as grey or RGB `Image`s. Only one frame is held at a time,
/// so memory stays flat for a video of any length.
///
/// A reader is used from one thread at a time; it releases FFmpeg's state when deinitialised.
///
///     let reader = try VideoReader(path: "clip.mp4")
///     while let frame = try reader.next() { … frame.time, frame.image … }
public final class VideoReader {
  /// The pixel layout of the frames.
  public enum Colour: Sendable {
    /// One channel (luma).
    case grey
    /// Three channels, RGB.
    case rgb

    var channels: Int { self == .grey ? 1 : 3 }
  }

  /// The stream's size (rotated), rotation, rate, duration, codec and container.
  public let info: VideoInfo
  /// The pixel layout of the frames `next()` returns.
  public let colour: Colour
  private let handle: OpaquePointer
  private let path: String
  /// A copy of the bytes for a reader over memory (the shim reads them until `deinit`).
  private let bytes: UnsafeMutableBufferPointer<UInt8>?

  /// Opens the video file at `path` and its best video stream.
  /// - Parameters:
  ///   - threads: the decoder's threads; 0 lets FFmpeg choose (one per core).
  /// - Throws: `VideoError` for an empty, unreadable, non-video, damaged or too large file.
  public init(
    path: String, colour: Colour = .grey, limits: VideoLimits = .init(), threads: Int = 0
  ) throws(VideoError) {
    // stat follows symbolic links (FileManager's attributes describe the link itself).
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw .file(path: path, reason: "no such file or not readable")
    }
    // A FIFO or a device: FFmpeg would wait on it (for a writer, for ever) or read without end.
    if let refusal = FileKind(status).refusal { throw .file(path: path, reason: refusal) }
    let size = Int(status.st_size)
    guard size > 0 else { throw .empty(path: path) }
    var opened: OpaquePointer?
    var info = cvideo_info()
    try VideoCall.run(path: path) { message in
      cvideo_reader_open(
        path, Int32(colour.channels), Self.clamp(limits.maxSide), limits.maxPixels,
        Int32(clamping: threads), &opened, &info, message)
    }
    self.handle = opened!
    self.path = path
    self.colour = colour
    self.bytes = nil
    self.info = Self.info(info)
  }

  /// Opens a video held in memory (for tests and fuzzing); the bytes are copied.
  public init(
    bytes data: [UInt8], colour: Colour = .grey, limits: VideoLimits = .init(), threads: Int = 1
  ) throws(VideoError) {
    guard !data.isEmpty else { throw .empty(path: "<memory>") }
    let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: data.count)
    _ = copy.initialize(from: data)
    var opened: OpaquePointer?
    var info = cvideo_info()
    do {
      try VideoCall.run(path: "<memory>") { message in
        cvideo_reader_open_memory(
          copy.baseAddress, copy.count, Int32(colour.channels), Self.clamp(limits.maxSide),
          limits.maxPixels, Int32(clamping: threads), &opened, &info, message)
      }
    } catch {
      copy.deallocate()
      throw error
    }
    self.handle = opened!
    self.path = "<memory>"
    self.colour = colour
    self.bytes = copy
    self.info = Self.info(info)
  }

  deinit {
    cvideo_reader_close(handle)
    bytes?.deallocate()
  }

  /// Decodes the next frame without converting its pixels and returns its time in seconds, or
  /// nil after the last frame. Call `image()` for its pixels; skipping it for frames that are
  /// not analysed saves the conversion.
  public func advance() throws(VideoError) -> Double? {
    var time = 0.0
    let more = try VideoCall.run(path: path) { message in
      cvideo_reader_next(handle, &time, message)
    }
    // pts × time base in binary floating point gives times like 3599.7999999999997; to the
    // microsecond they print as people read them (3599.8) in every export.
    return more ? (time * 1_000_000).rounded() / 1_000_000 : nil
  }

  /// The pixels of the frame `advance()` decoded last (`info.width` × `info.height`).
  public func image() throws(VideoError) -> Image {
    let count = info.width * info.height * colour.channels
    var failure: VideoError?
    let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      do throws(VideoError) {
        try VideoCall.run(path: path) { message in
          cvideo_reader_frame(handle, buffer.baseAddress, message)
        }
      } catch {
        failure = error
        buffer.initialize(repeating: 0)
      }
      initialized = count
    }
    if let failure { throw failure }
    return Image(width: info.width, height: info.height, channels: colour.channels, pixels: pixels)
  }

  /// The next frame with its pixels, or nil after the last.
  public func next() throws(VideoError) -> VideoFrame? {
    guard let time = try advance() else { return nil }
    return VideoFrame(time: time, image: try image())
  }

  private static func clamp(_ value: Int) -> Int32 { Int32(clamping: max(value, 0)) }

  private static func info(_ info: cvideo_info) -> VideoInfo {
    VideoInfo(
      width: Int(info.width), height: Int(info.height), rotation: Int(info.rotation),
      fps: info.fps, duration: info.duration, codec: text(info.codec),
      container: text(info.container))
  }

  /// A fixed-size C char array (imported as a tuple) as a String.
  private static func text<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { raw in
      let bytes = raw.prefix { $0 != 0 }
      return String(decoding: bytes, as: UTF8.self)
    }
  }
}
