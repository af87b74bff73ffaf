import Foundation
import Testing
import Vision

/// `VideoReader` over the synthetic clips of `Fixtures/video` (made by
/// `Scripts/fixtures/make-video-fixtures.sh`): 160x96, 10 frames at 10 frames/s, a white square
/// in the top-left quadrant of a black frame.
@Suite struct VideoReaderTests {
  static func path(_ name: String) -> String { Fixtures.url("video/\(name)").path }

  /// Every frame of the clip, grey.
  static func frames(_ reader: VideoReader) throws -> [VideoFrame] {
    var frames: [VideoFrame] = []
    while let frame = try reader.next() { frames.append(frame) }
    return frames
  }

  @Test(arguments: [
    ("h264.mp4", "h264"), ("h264.mov", "h264"), ("h264.mkv", "h264"), ("hevc.mp4", "hevc"),
    ("vp8.webm", "vp8"), ("vp9.webm", "vp9"), ("av1.mkv", "av1"),
  ])
  func decodesEachContainerAndCodec(file: String, codec: String) throws {
    let reader = try VideoReader(path: Self.path(file))
    #expect(reader.info.codec == codec)
    #expect(reader.info.width == 160 && reader.info.height == 96)
    #expect(reader.info.rotation == 0)
    #expect(abs(reader.info.fps - 10) < 0.01)
    #expect(abs(reader.info.duration - 1) < 0.15)
    let frames = try Self.frames(reader)
    #expect(frames.count == 10)
    // Times start at 0 and step by 1/10 s, in order.
    for (index, frame) in frames.enumerated() {
      #expect(abs(frame.time - Double(index) / 10) < 0.011, "frame \(index) at \(frame.time)")
    }
    let first = try #require(frames.first).image
    #expect(first.channels == 1 && first.width == 160 && first.height == 96)
    #expect(first.pixels[10 * 160 + 10] > 200)  // inside the white quadrant
    #expect(first.pixels[80 * 160 + 150] < 40)  // black elsewhere
  }

  @Test func rgbFrames() throws {
    let reader = try VideoReader(path: Self.path("h264.mp4"), colour: .rgb)
    let frame = try #require(try reader.next())
    #expect(frame.image.channels == 3)
    let white = Array(frame.image.pixels[(10 * 160 + 10) * 3..<(10 * 160 + 10) * 3 + 3])
    #expect(white.allSatisfy { $0 > 200 })
  }

  /// The corner the white square lands in, as FFmpeg's own `ffmpeg` tool shows the clip (it
  /// applies the display matrix too): "TL", "TR", "BL" or "BR".
  static func whiteCorner(_ image: Image) -> String {
    let w = image.width
    let h = image.height
    let probes = [("TL", 3, 3), ("TR", w - 4, 3), ("BL", 3, h - 4), ("BR", w - 4, h - 4)]
    return probes.filter { image.pixels[$0.2 * w + $0.1] > 200 }.map(\.0).joined()
  }

  @Test(arguments: [
    ("h264.mp4", 0, "TL"), ("rotate-tag-90.mp4", 270, "BL"), ("rotate-tag-180.mp4", 180, "BR"),
    ("rotate-tag-270.mp4", 90, "TR"),
  ])
  func appliesTheDisplayMatrix(file: String, rotation: Int, corner: String) throws {
    let reader = try VideoReader(path: Self.path(file))
    #expect(reader.info.rotation == rotation)
    let sideways = rotation % 180 != 0
    #expect(reader.info.width == (sideways ? 96 : 160))
    #expect(reader.info.height == (sideways ? 160 : 96))
    let frame = try #require(try reader.next())
    #expect(frame.image.width == reader.info.width && frame.image.height == reader.info.height)
    #expect(Self.whiteCorner(frame.image) == corner)
  }

  /// Cut short: an MP4 whose index survives; Matroska and WebM, which give no duration for the
  /// stream (the container's end tells); an AVI, which gives the duration of what is left (its
  /// header's frame count tells).
  @Test(arguments: ["truncated.mp4", "truncated.mkv", "truncated.webm", "truncated.avi"])
  func truncatedFileIsAnError(file: String) throws {
    let error = videoError {
      _ = try Self.frames(try VideoReader(path: Self.path(file)))
    }
    guard case .corrupt(let reason) = error else {
      Issue.record("expected corrupt, got \(String(describing: error))")
      return
    }
    #expect(reason.contains("truncated"))
  }

  /// Whole files the truncation checks must pass: an AVI (its header's frame count), and a
  /// Matroska file whose video ends two seconds before its audio.
  @Test(arguments: [("mpeg4.avi", 40), ("audio-longer.mkv", 10)])
  func wholeFilesAreReadToTheEnd(file: String, frames: Int) throws {
    let read = try Self.frames(try VideoReader(path: Self.path(file)))
    #expect(read.count == frames)
    #expect(abs((read.last?.time ?? 0) - Double(frames - 1) / 10) < 0.011)
  }

  @Test(arguments: ["not-video.png", "not-video.txt"])
  func nonVideoFileIsAnError(file: String) throws {
    let error = videoError { _ = try VideoReader(path: Self.path(file)) }
    guard case .notVideo = error else {
      Issue.record("expected notVideo, got \(String(describing: error))")
      return
    }
    #expect(error?.description.hasPrefix("not a video") == true)
  }

  @Test func emptyAndMissingFiles() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("emocl-video-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let empty = directory.appendingPathComponent("empty.mp4").path
    FileManager.default.createFile(atPath: empty, contents: Data())
    #expect(videoError { _ = try VideoReader(path: empty) } == .empty(path: empty))
    let missing = directory.appendingPathComponent("missing.mp4").path
    guard case .file = videoError({ _ = try VideoReader(path: missing) }) else {
      Issue.record("a missing file should be a file error")
      return
    }
    #expect(videoError { _ = try VideoReader(bytes: []) } == .empty(path: "<memory>"))
  }

  @Test func frameSizeLimit() throws {
    let error = videoError {
      _ = try VideoReader(path: Self.path("h264.mp4"), limits: VideoLimits(maxSide: 100))
    }
    guard case .tooLarge(let reason) = error else {
      Issue.record("expected tooLarge, got \(String(describing: error))")
      return
    }
    #expect(reason.contains("160x96"))
    let pixels = videoError {
      _ = try VideoReader(path: Self.path("h264.mp4"), limits: VideoLimits(maxPixels: 10_000))
    }
    guard case .tooLarge = pixels else {
      Issue.record("expected tooLarge, got \(String(describing: pixels))")
      return
    }
  }

  /// Every prefix of a clip, read from memory, opens and decodes or fails with a `VideoError`:
  /// never a crash or a hang.
  @Test func everyTruncationFailsCleanly() throws {
    let bytes = try Fixtures.bytes("video/vp9.webm")
    for length in stride(from: 0, to: bytes.count, by: 37) {
      _ = videoError { _ = try Self.frames(try VideoReader(bytes: Array(bytes.prefix(length)))) }
    }
  }

  /// Seeded random byte flips of each clip (400 copies per clip), read from memory with small
  /// limits: every copy decodes or fails with a `VideoError`, never a crash or a hang. A cheap
  /// stand-in for `make fuzz` in the normal test run.
  @Test(arguments: ["h264.mp4", "hevc.mp4", "vp8.webm", "vp9.webm", "av1.mkv", "h264.mkv"])
  func damagedCopiesFailCleanly(file: String) throws {
    let bytes = try Fixtures.bytes("video/\(file)")
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    let limits = VideoLimits(maxSide: 1024, maxPixels: 256 * 256)
    for _ in 0..<400 {
      var copy = bytes
      for _ in 0..<(1 + next() % 8) {
        copy[next() % copy.count] = UInt8(truncatingIfNeeded: next())
      }
      _ = videoError {
        let reader = try VideoReader(bytes: copy, limits: limits)
        var count = 0
        while count < 64, try reader.next() != nil { count += 1 }
      }
    }
  }

  @Test func memoryReaderMatchesFileReader() throws {
    let fromFile = try Self.frames(try VideoReader(path: Self.path("hevc.mp4")))
    let fromMemory = try Self.frames(
      try VideoReader(bytes: try Fixtures.bytes("video/hevc.mp4")))
    #expect(fromFile == fromMemory)
  }

  /// Frames written by `VideoWriter` read back with their size, count and times.
  @Test func writerRoundTrip() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("emocl-video-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("out.mp4").path
    let writer = try VideoWriter(path: path, width: 64, height: 48, fps: 20)
    for index in 0..<20 {
      var image = Image(width: 64, height: 48, channels: 3)
      image.fillRectangle(x: index * 2, y: 10, width: 16, height: 16, colour: .white)
      try writer.write(image, time: Double(index) / 20)
    }
    try writer.finish()
    let reader = try VideoReader(path: path)
    #expect(reader.info.width == 64 && reader.info.height == 48)
    let frames = try Self.frames(reader)
    #expect(frames.count == 20)
    #expect(abs((frames.last?.time ?? 0) - 0.95) < 0.01)
    let last = try #require(frames.last).image
    #expect(last.pixels[18 * 64 + 38 + 8] > 180)
  }
}

/// The `VideoError` `body` throws, or nil.
func videoError(_ body: () throws -> Void) -> VideoError? {
  do {
    try body()
    return nil
  } catch let error as VideoError {
    return error
  } catch {
    Issue.record("unexpected error \(error)")
    return nil
  }
}
