import Testing
import Vision

@Suite struct PNGErrorTests {
  /// A PNG whose IHDR (with a valid CRC) claims 100000x100000 RGB pixels is refused from the
  /// header, before 30 GB are allocated.
  @Test func hugeDimensionsInHeader() throws {
    let png = forgedPNG(width: 100_000, height: 100_000)
    let error = imageError { () throws(ImageError) in try Image(decoding: png) }
    #expect(error == .tooLarge(width: 100_000, height: 100_000, limit: 50_000_000))
    #expect(error?.description.contains("100000x100000") == true)
    // The same forged file within the limit reaches libpng, which finds the data too short.
    let small = forgedPNG(width: 100, height: 100)
    let smallError = imageError { () throws(ImageError) in try Image(decoding: small) }
    guard case .corrupt(let reason) = smallError else {
      Issue.record("expected corrupt, got \(String(describing: smallError))")
      return
    }
    #expect(reason.hasPrefix("PNG: "))
  }

  @Test func configurablePixelLimit() throws {
    let bytes = try Fixtures.bytes("rgb8.png")
    let error = imageError { () throws(ImageError) in
      try Image(decoding: bytes, options: .init(maxPixels: 90))
    }
    #expect(error == .tooLarge(width: 13, height: 7, limit: 90))
  }

  @Test(arguments: ["rgb8.png", "rgb-interlaced.png", "palette-trns.png", "grey16.png"])
  func truncated(file: String) throws {
    let bytes = try Fixtures.bytes(file)
    // Up to the last 12 bytes (the IEND chunk, which the decoder does not need).
    for cut in 8..<(bytes.count - 12) {
      let error = imageError { () throws(ImageError) in
        try Image(decoding: Array(bytes.prefix(cut)))
      }
      guard case .corrupt(let reason) = error else {
        Issue.record("\(file) cut at \(cut): expected corrupt, got \(String(describing: error))")
        continue
      }
      #expect(reason.hasPrefix("PNG: "))
    }
  }

  @Test func badCRCInCriticalChunk() throws {
    var bytes = try Fixtures.bytes("rgb8.png")
    bytes[29] ^= 0xFF  // last byte of the IHDR CRC
    let error = imageError { () throws(ImageError) in try Image(decoding: bytes) }
    #expect(error?.description.contains("CRC") == true, "\(String(describing: error))")
  }

  @Test func randomBytesAfterSignature() {
    var random = SplitMix64(seed: 13)
    for length in [8, 9, 30, 1000] {
      let bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + random.bytes(length - 8)
      let error = imageError { () throws(ImageError) in try Image(decoding: bytes) }
      guard case .corrupt = error else {
        Issue.record("length \(length): expected corrupt, got \(String(describing: error))")
        continue
      }
    }
  }

  @Test func mutatedBytesNeverCrash() throws {
    let original = try Fixtures.bytes("rgb-interlaced.png")
    var random = SplitMix64(seed: 17)
    for _ in 0..<300 {
      var bytes = original
      bytes[8 + Int(random.next() % UInt64(bytes.count - 8))] = UInt8(
        truncatingIfNeeded: random.next())
      if let image = try? Image(decoding: bytes) {
        #expect(image.pixels.count == image.width * image.height * image.channels)
      }
    }
  }

  /// Signature, an IHDR for 8-bit RGB of the given size, a tiny IDAT and IEND, all CRCs valid.
  private func forgedPNG(width: UInt32, height: UInt32) -> [UInt8] {
    func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
    func chunk(_ tag: String, _ data: [UInt8]) -> [UInt8] {
      let body = Array(tag.utf8) + data
      return be32(UInt32(data.count)) + body + be32(crc32(body))
    }
    let ihdr = be32(width) + be32(height) + [8, 2, 0, 0, 0]
    // zlib stream of a single empty stored block.
    let idat: [UInt8] = [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr)
      + chunk("IDAT", idat) + chunk("IEND", [])
  }

  private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }
}
