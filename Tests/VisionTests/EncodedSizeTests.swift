import Testing
import Vision

/// `Image.encodedSize(of:)` reads the size from the header alone: the decoded size for every
/// format (before EXIF orientation for JPEG: the same pixel count), and what decoding throws
/// for bytes that are not an image.
@Suite struct EncodedSizeTests {
  @Test(
    arguments: [
      "lossless.webp", "lossy.webp", "grey8.png", "palette.png", "grey4-interlaced.png",
      "cmyk-16x12.jpg", "grey-16x12.jpg", "rgb-16x12-progressive.jpg", "orientation-6.jpg",
    ])
  func matchesDecodedPixels(name: String) throws {
    let bytes = try Fixtures.bytes(name)
    let size = try Image.encodedSize(of: bytes)
    let image = try Image(decoding: bytes)
    #expect(size.width * size.height == image.width * image.height, "\(name)")
    #expect(Set([size.width, size.height]) == Set([image.width, image.height]), "\(name)")
  }

  @Test func headerOfAHugeImageWithoutItsPixels() throws {
    // A PNG whose IHDR claims 100000×70000 and holds nothing else: read, not decoded.
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
    bytes += Array("IHDR".utf8)
    for value in [100_000, 70_000] {
      bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
    bytes += [8, 0, 0, 0, 0, 0, 0, 0, 0]
    let size = try Image.encodedSize(of: bytes)
    #expect(size.width == 100_000 && size.height == 70_000)
  }

  @Test func notAnImage() {
    func failure(_ bytes: [UInt8]) -> ImageError? {
      do {
        _ = try Image.encodedSize(of: bytes)
        return nil
      } catch {
        return error
      }
    }
    #expect(failure([]) == .empty)
    guard case .unknownFormat = failure(Array("hello".utf8)) else {
      Issue.record("text: \(String(describing: failure(Array("hello".utf8))))")
      return
    }
    #expect(failure([0xFF, 0xD8, 0xFF]) != nil)
  }
}
