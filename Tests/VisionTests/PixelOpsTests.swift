import Testing
import Vision

struct OpsReference: Decodable {
  struct Resized: Decodable {
    let channels: Int
    let width: Int
    let height: Int
    let interpolation: String
    let pixels: [Int]
  }
  let source: String
  let grey: [Int]
  let resized: [Resized]
}

@Suite struct PixelOpsTests {
  private func source() throws -> (Image, OpsReference) {
    let reference = try Fixtures.json("ops.json", as: OpsReference.self)
    return (try Image(decoding: Fixtures.bytes(reference.source)), reference)
  }

  /// RGB to grey is bit-exact with OpenCV's cvtColor(COLOR_RGB2GRAY).
  @Test func greyMatchesOpenCVExactly() throws {
    let (image, reference) = try source()
    let grey = image.grey()
    #expect(grey.channels == 1 && grey.width == 40 && grey.height == 24)
    #expect(grey.pixels.map { Int($0) } == reference.grey)
    #expect(grey.grey() == grey)
  }

  /// Shrinking matches INTER_AREA and enlarging INTER_LINEAR within a grey level on average.
  @Test func resizeMatchesOpenCV() throws {
    let (image, reference) = try source()
    for case_ in reference.resized {
      let input = case_.channels == 1 ? image.grey() : image
      let output = try input.resized(width: case_.width, height: case_.height)
      #expect(output.width == case_.width && output.height == case_.height)
      #expect(output.channels == case_.channels)
      let difference = pixelDifference(output.pixels, case_.pixels)
      let label = "\(case_.interpolation) \(case_.width)x\(case_.height)x\(case_.channels)"
      #expect(difference.mean <= 1, "\(label): mean \(difference.mean) max \(difference.max)")
      #expect(difference.max <= 2, "\(label): mean \(difference.mean) max \(difference.max)")
    }
  }

  @Test func resizeToSameSizeIsIdentityAndConstantStaysConstant() throws {
    let (image, _) = try source()
    #expect(try image.resized(width: 40, height: 24) == image)
    let flat = Image(
      width: 9, height: 5, channels: 3, pixels: [UInt8](repeating: 77, count: 9 * 5 * 3))
    for (w, h) in [(4, 2), (3, 5), (20, 11), (1, 1), (9, 13)] {
      let out = try flat.resized(width: w, height: h)
      #expect(out.pixels.allSatisfy { $0 == 77 }, "\(w)x\(h)")
    }
  }

  @Test func resizeRejectsBadSizes() throws {
    let (image, _) = try source()
    for (w, h) in [(0, 5), (5, 0), (-1, 4)] {
      let error = imageError { () throws(ImageError) in try image.resized(width: w, height: h) }
      #expect(error == .invalidSize(width: w, height: h))
    }
    let error = imageError { () throws(ImageError) in
      try image.resized(width: 100_000, height: 100_000)
    }
    #expect(error == .tooLarge(width: 100_000, height: 100_000, limit: 50_000_000))
  }

  @Test func crop() throws {
    let (image, _) = try source()
    let crop = try image.cropped(x: 3, y: 2, width: 5, height: 4)
    #expect(crop.width == 5 && crop.height == 4 && crop.channels == 3)
    for y in 0..<4 {
      for x in 0..<5 {
        for c in 0..<3 {
          #expect(crop.pixels[(y * 5 + x) * 3 + c] == image.pixels[((y + 2) * 40 + x + 3) * 3 + c])
        }
      }
    }
    #expect(try image.cropped(x: 0, y: 0, width: 40, height: 24) == image)
    #expect(
      try image.cropped(x: 39, y: 23, width: 1, height: 1).pixels == Array(image.pixels.suffix(3)))
  }

  @Test(arguments: [
    (-1, 0, 5, 5), (0, -1, 5, 5), (36, 0, 5, 5), (0, 20, 5, 5), (0, 0, 41, 1),
    (Int.max, 0, 5, 5), (1, 1, Int.max, 1), (0, Int.max - 2, 1, 4),
  ])
  func cropOutOfBounds(rectangle: (Int, Int, Int, Int)) throws {
    let (image, _) = try source()
    let (x, y, w, h) = rectangle
    let error = imageError { () throws(ImageError) in
      try image.cropped(x: x, y: y, width: w, height: h)
    }
    #expect(
      error == .outOfBounds(x: x, y: y, width: w, height: h, imageWidth: 40, imageHeight: 24))
    #expect(error?.description.contains("40x24") == true)
  }

  @Test func cropEmpty() throws {
    let (image, _) = try source()
    let error = imageError { () throws(ImageError) in
      try image.cropped(x: 0, y: 0, width: 0, height: 3)
    }
    #expect(error == .invalidSize(width: 0, height: 3))
  }

  @Test func horizontalFlip() throws {
    let (image, _) = try source()
    let flipped = image.flippedHorizontally()
    #expect(flipped.width == 40 && flipped.height == 24)
    for y in [0, 11, 23] {
      for x in [0, 7, 39] {
        for c in 0..<3 {
          #expect(flipped.pixels[(y * 40 + x) * 3 + c] == image.pixels[(y * 40 + 39 - x) * 3 + c])
        }
      }
    }
    #expect(flipped.flippedHorizontally() == image)
    let grey = image.grey()
    #expect(grey.flippedHorizontally().flippedHorizontally() == grey)
  }
}
