import Testing
import Vision

@Suite struct OrientationTests {
  /// Each EXIF orientation (odd ones in big-endian TIFF, even ones little-endian) is read and
  /// applied as Pillow's `ImageOps.exif_transpose` does.
  @Test(arguments: 1...8)
  func uprightAsPillow(orientation: Int) throws {
    let file = "orientation-\(orientation).jpg"
    let bytes = try Fixtures.bytes(file)
    #expect(ExifOrientation(jpeg: bytes)?.rawValue == orientation)
    let reference = try Fixtures.synthetic(file)
    let image = try Image(decoding: bytes)
    #expect(image.width == reference.width && image.height == reference.height)
    let difference = pixelDifference(image.pixels, reference.pixels)
    #expect(difference.mean <= 1, "\(file): mean \(difference.mean) max \(difference.max)")
    let stored = try Image(decoding: bytes, options: .init(appliesOrientation: false))
    #expect(stored.width == 12 && stored.height == 8)
  }

  @Test func noExif() throws {
    #expect(ExifOrientation(jpeg: try Fixtures.bytes("rgb-16x12.jpg")) == nil)
    #expect(ExifOrientation(jpeg: [0xFF, 0xD8]) == nil)
    #expect(ExifOrientation(jpeg: []) == nil)
  }

  /// Damaging the Exif block anywhere never crashes the parser.
  @Test func damagedExifNeverCrashes() throws {
    let original = try Fixtures.bytes("orientation-6.jpg")
    for cut in 0..<min(original.count, 120) {
      _ = ExifOrientation(jpeg: Array(original.prefix(cut)))
    }
    var random = SplitMix64(seed: 5)
    for _ in 0..<500 {
      var bytes = original
      bytes[Int(random.next() % 60)] = UInt8(truncatingIfNeeded: random.next())
      _ = ExifOrientation(jpeg: bytes)
    }
  }

  /// Applying an orientation and then its inverse gives back the original pixels.
  @Test func inverses() {
    var random = SplitMix64(seed: 9)
    let image = Image(width: 5, height: 3, channels: 3, pixels: random.bytes(45))
    let inverse: [ExifOrientation: ExifOrientation] = [
      .up: .up, .upMirrored: .upMirrored, .down: .down, .downMirrored: .downMirrored,
      .leftMirrored: .leftMirrored, .right: .left, .rightMirrored: .rightMirrored, .left: .right,
    ]
    for (forward, backward) in inverse {
      #expect(image.transformed(by: forward).transformed(by: backward) == image, "\(forward)")
    }
  }
}
