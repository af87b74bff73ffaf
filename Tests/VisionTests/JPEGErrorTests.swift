import Foundation
import Testing
import Vision

@Suite struct JPEGErrorTests {
  @Test func emptyData() {
    let error = imageError { () throws(ImageError) in try Image(decoding: []) }
    #expect(error == .empty)
  }

  @Test func unknownFormat() {
    var random = SplitMix64(seed: 7)
    var bytes = random.bytes(1000)
    bytes[0] = 0x12
    let error = imageError { () throws(ImageError) in try Image(decoding: bytes) }
    #expect(error == .unknownFormat(leadingBytes: Array(bytes.prefix(8))))
    #expect(error?.description.contains("unknown image format") == true)
    let gif = Array("GIF89a".utf8) + [0, 0]
    let gifError = imageError { () throws(ImageError) in try Image(decoding: gif) }
    #expect(gifError?.description.contains("GIF") == true)
  }

  @Test func randomBytesAfterJPEGMagic() {
    var random = SplitMix64(seed: 11)
    for length in [3, 4, 10, 100, 5000] {
      let bytes = [0xFF, 0xD8, 0xFF] + random.bytes(length - 3)
      let error = imageError { () throws(ImageError) in try Image(decoding: bytes) }
      guard case .corrupt(let reason) = error else {
        Issue.record("length \(length): expected corrupt, got \(String(describing: error))")
        continue
      }
      #expect(reason.hasPrefix("JPEG: "))
    }
  }

  /// Cutting a JPEG anywhere gives an error in strict mode; cutting in the scan data decodes
  /// (grey-padded) when not strict.
  @Test(arguments: ["rgb-16x12.jpg", "rgb-16x12-progressive.jpg", "grey-16x12.jpg"])
  func truncated(file: String) throws {
    let bytes = try Fixtures.bytes(file)
    for cut in stride(from: 3, to: bytes.count - 2, by: 7) {
      let prefix = Array(bytes.prefix(cut))
      let error = imageError { () throws(ImageError) in try Image(decoding: prefix) }
      guard case .corrupt = error else {
        Issue.record("\(file) cut at \(cut): expected corrupt, got \(String(describing: error))")
        continue
      }
    }
    let lenient = try Image(
      decoding: Array(bytes.prefix(bytes.count - 40)), options: .init(strict: false))
    #expect(lenient.width == 16 && lenient.height == 12)
  }

  @Test func truncatedPhotoReportsPrematureEnd() throws {
    let bytes = try Fixtures.bytes("rgb-16x12.jpg")
    let error = imageError { () throws(ImageError) in try Image(decoding: Array(bytes.dropLast(30)))
    }
    #expect(
      error?.description.lowercased().contains("jpeg") == true, "\(String(describing: error))")
  }

  /// A SOF header claiming 65000x65000 is rejected from the header, before allocating 12 GB.
  @Test func hugeDimensionsInHeader() throws {
    var bytes = try Fixtures.bytes("rgb-16x12.jpg")
    let sof = try #require(sofOffset(bytes))
    // SOF: FF C0, length (2), precision (1), height (2), width (2).
    bytes[sof + 5] = 0xFD
    bytes[sof + 6] = 0xE8
    bytes[sof + 7] = 0xFD
    bytes[sof + 8] = 0xE8
    let error = imageError { () throws(ImageError) in try Image(decoding: bytes) }
    #expect(error == .tooLarge(width: 65000, height: 65000, limit: DecodeOptions.defaultMaxPixels))
    #expect(error?.description.contains("65000x65000") == true)
  }

  @Test func configurablePixelLimit() throws {
    let bytes = try Fixtures.bytes("rgb-16x12.jpg")
    let error = imageError { () throws(ImageError) in
      try Image(decoding: bytes, options: .init(maxPixels: 191))
    }
    #expect(error == .tooLarge(width: 16, height: 12, limit: 191))
    #expect(try Image(decoding: bytes, options: .init(maxPixels: 192)).width == 16)
  }

  /// Flipping random bytes of a valid JPEG never crashes or hangs: each variant either decodes
  /// to the right size or throws.
  @Test func mutatedBytesNeverCrash() throws {
    let original = try Fixtures.bytes("rgb-16x12-progressive.jpg")
    var random = SplitMix64(seed: 3)
    var failures = 0
    for _ in 0..<300 {
      var bytes = original
      for _ in 0..<Int(random.next() % 4 + 1) {
        bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
      }
      do {
        let image = try Image(decoding: bytes)
        #expect(image.pixels.count == image.width * image.height * image.channels)
      } catch {
        failures += 1
      }
    }
    #expect(failures > 0)
  }

  @Test func missingFile() {
    let error = imageError { () throws(ImageError) in
      try Image(contentsOfFile: "/nonexistent/emocl/face.jpg")
    }
    guard case .file(let path, let reason) = error else {
      Issue.record("expected a file error, got \(String(describing: error))")
      return
    }
    #expect(path == "/nonexistent/emocl/face.jpg")
    #expect(reason.contains("No such file"))
    let directory = imageError { () throws(ImageError) in try Image(contentsOfFile: "/tmp") }
    #expect(directory == .file(path: "/tmp", reason: "is a directory"))
  }

  private func sofOffset(_ bytes: [UInt8]) -> Int? {
    for i in 2..<(bytes.count - 1)
    where bytes[i] == 0xFF && (bytes[i + 1] == 0xC0 || bytes[i + 1] == 0xC2) {
      return i
    }
    return nil
  }
}
