import TestSupport
import Testing
import Vision

@Suite struct PNGDecodingTests {
  /// Opaque PNGs decode exactly to Pillow's (16-bit grey: OpenCV's) pixels.
  @Test(arguments: [
    "grey8.png", "grey16.png", "grey1.png", "grey4-interlaced.png", "rgb8.png", "rgb16.png",
    "rgb-interlaced.png", "palette.png", "palette4.png",
  ])
  func opaqueMatchesReferenceExactly(file: String) throws {
    let reference = try Fixtures.synthetic(file)
    let bytes = try Fixtures.bytes(file)
    #expect(ImageFormat.detect(bytes) == .png)
    let image = try Image(decoding: bytes)
    #expect(image.width == reference.width && image.height == reference.height)
    #expect(image.channels == reference.channels)
    #expect(image.pixels.map { Int($0) } == reference.pixels, "\(file)")
  }

  /// Transparent PNGs are composited over white; Pillow's paste rounds slightly differently.
  @Test(arguments: [
    "grey-alpha.png", "grey-trns.png", "rgba8.png", "rgba16.png", "palette-trns.png",
  ])
  func alphaOverWhiteMatchesPillow(file: String) throws {
    let reference = try Fixtures.synthetic(file)
    let image = try Image(decoding: Fixtures.bytes(file))
    #expect(image.width == reference.width && image.height == reference.height)
    #expect(image.channels == reference.channels)
    let difference = pixelDifference(image.pixels, reference.pixels)
    #expect(difference.max <= 1, "\(file): mean \(difference.mean) max \(difference.max)")
  }

  @Test func fullyTransparentIsWhiteAndOpaqueIsUnchanged() throws {
    let reference = try Fixtures.synthetic("grey-alpha.png")
    let image = try Image(decoding: Fixtures.bytes("grey-alpha.png"))
    // The script sets alpha 0 and 255 in the first two pixels of the first row.
    #expect(image.pixels[0] == 255)
    #expect(Int(image.pixels[1]) == reference.pixels[1])
  }

  @Test func colourOptions() throws {
    let rgb = try Fixtures.bytes("rgb8.png")
    let grey = try Fixtures.bytes("grey8.png")
    let asGrey = try Image(decoding: rgb, options: .init(colour: .grey))
    #expect(asGrey == (try Image(decoding: rgb)).grey())
    let asRGB = try Image(decoding: grey, options: .init(colour: .rgb))
    #expect(asRGB == (try Image(decoding: grey)).rgb())
  }

  @Test func encodeRoundTrip() throws {
    var random = SplitMix64(seed: 21)
    for channels in [1, 3] {
      for (width, height) in [(1, 1), (13, 7), (64, 3)] {
        let image = Image(
          width: width, height: height, channels: channels,
          pixels: random.bytes(width * height * channels))
        let png = try image.pngData()
        #expect(ImageFormat.detect(png) == .png)
        #expect(try Image(decoding: png) == image)
      }
    }
  }

  @Test func encodeEmptyImageThrows() {
    let error = imageError { () throws(ImageError) in
      _ = try Image(width: 0, height: 4, channels: 1).pngData()
      return Image(width: 0, height: 0, channels: 1)
    }
    #expect(error == .invalidSize(width: 0, height: 4))
  }

  @Test func writeAndReadFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let path = directory.url.appendingPathComponent("out.png").path
    let image = try Image(decoding: Fixtures.bytes("rgb8.png"))
    try image.writePNG(toFile: path)
    #expect(try Image(contentsOfFile: path) == image)
    let error = imageError { () throws(ImageError) in
      try image.writePNG(toFile: directory.url.appendingPathComponent("missing/out.png").path)
      return image
    }
    guard case .file(_, let reason) = error else {
      Issue.record("expected a file error, got \(String(describing: error))")
      return
    }
    #expect(reason.contains("No such file"))
  }
}
