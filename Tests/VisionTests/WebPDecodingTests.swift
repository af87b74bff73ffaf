import Testing
import Vision

@Suite struct WebPDecodingTests {
  @Test func losslessIsExact() throws {
    let reference = try Fixtures.synthetic("lossless.webp")
    let bytes = try Fixtures.bytes("lossless.webp")
    #expect(ImageFormat.detect(bytes) == .webp)
    let image = try Image(decoding: bytes)
    #expect(image.width == 13 && image.height == 7 && image.channels == 3)
    #expect(image.pixels.map { Int($0) } == reference.pixels)
  }

  @Test func alphaOverWhiteMatchesPillow() throws {
    let reference = try Fixtures.synthetic("lossless-alpha.webp")
    let image = try Image(decoding: Fixtures.bytes("lossless-alpha.webp"))
    let difference = pixelDifference(image.pixels, reference.pixels)
    #expect(difference.max <= 1, "mean \(difference.mean) max \(difference.max)")
    #expect(image.pixels[0...2] == [255, 255, 255])  // alpha 0
  }

  @Test func lossyMatchesPillow() throws {
    let reference = try Fixtures.synthetic("lossy.webp")
    let image = try Image(decoding: Fixtures.bytes("lossy.webp"))
    #expect(image.width == 16 && image.height == 12)
    let difference = pixelDifference(image.pixels, reference.pixels)
    #expect(difference.mean <= 1, "mean \(difference.mean) max \(difference.max)")
  }

  @Test func greyOption() throws {
    let bytes = try Fixtures.bytes("lossless.webp")
    #expect(
      try Image(decoding: bytes, options: .init(colour: .grey)) == Image(decoding: bytes).grey())
  }

  @Test func animatedIsUnsupported() throws {
    let bytes = try Fixtures.bytes("animated.webp")
    let error = imageError { () throws(ImageError) in try Image(decoding: bytes) }
    guard case .unsupported(let reason) = error else {
      Issue.record("expected unsupported, got \(String(describing: error))")
      return
    }
    #expect(reason.contains("animated"))
  }

  /// A lossless header claiming 16384x16384 (the VP8L maximum) is refused before decoding.
  @Test func hugeDimensionsInHeader() throws {
    var bytes = try Fixtures.bytes("lossless.webp")
    #expect(bytes[20] == 0x2F)  // VP8L signature after RIFF/WEBP/"VP8L"+size
    // 14 bits width-1, 14 bits height-1, little-endian; keep alpha and version bits.
    let bits = UInt32(16383) | UInt32(16383) << 14 | (UInt32(bytes[24]) >> 4) << 28
    for k in 0..<4 { bytes[21 + k] = UInt8(truncatingIfNeeded: bits >> (8 * k)) }
    let error = imageError { () throws(ImageError) in try Image(decoding: bytes) }
    #expect(error == .tooLarge(width: 16384, height: 16384, limit: DecodeOptions.defaultMaxPixels))
  }

  @Test(arguments: ["lossless.webp", "lossy.webp", "lossless-alpha.webp"])
  func truncated(file: String) throws {
    let bytes = try Fixtures.bytes(file)
    for cut in 12..<bytes.count {
      let error = imageError { () throws(ImageError) in
        try Image(decoding: Array(bytes.prefix(cut)))
      }
      guard case .corrupt(let reason) = error else {
        Issue.record("\(file) cut at \(cut): expected corrupt, got \(String(describing: error))")
        continue
      }
      #expect(reason.hasPrefix("WebP: "))
    }
  }

  @Test func mutatedBytesNeverCrash() throws {
    let original = try Fixtures.bytes("lossy.webp")
    var random = SplitMix64(seed: 19)
    for _ in 0..<300 {
      var bytes = original
      bytes[12 + Int(random.next() % UInt64(bytes.count - 12))] = UInt8(
        truncatingIfNeeded: random.next())
      if let image = try? Image(decoding: bytes) {
        #expect(image.pixels.count == image.width * image.height * image.channels)
      }
    }
  }
}
