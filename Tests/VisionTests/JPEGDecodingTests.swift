import Foundation
import TestSupport
import Testing
import Vision

@Suite struct JPEGDecodingTests {
  @Test(arguments: [
    "rgb-16x12.jpg", "rgb-16x12-progressive.jpg", "grey-16x12.jpg", "cmyk-16x12.jpg",
  ])
  func matchesPillow(file: String) throws {
    let reference = try Fixtures.synthetic(file)
    let image = try Image(decoding: Fixtures.bytes(file))
    #expect(image.width == reference.width)
    #expect(image.height == reference.height)
    #expect(image.channels == reference.channels)
    let difference = pixelDifference(image.pixels, reference.pixels)
    #expect(difference.mean <= 1, "\(file): mean \(difference.mean) max \(difference.max)")
  }

  @Test func detectsFormatFromBytes() throws {
    let bytes = try Fixtures.bytes("rgb-16x12.jpg")
    #expect(ImageFormat.detect(bytes) == .jpeg)
    #expect(ImageFormat.detect(Array(bytes.prefix(2))) == nil)
  }

  @Test func colourOptionChoosesChannels() throws {
    let colour = try Fixtures.bytes("rgb-16x12.jpg")
    let grey = try Fixtures.bytes("grey-16x12.jpg")
    #expect(try Image(decoding: colour).channels == 3)
    #expect(try Image(decoding: grey).channels == 1)
    #expect(try Image(decoding: colour, options: .init(colour: .grey)).channels == 1)
    let greyAsRGB = try Image(decoding: grey, options: .init(colour: .rgb))
    #expect(greyAsRGB.channels == 3)
    #expect(greyAsRGB == (try Image(decoding: grey)).rgb())
  }

  /// Decoding a colour JPEG straight to grey (its luma plane) stays within a grey level on
  /// average of converting Pillow's RGB with the BT.601 weights.
  @Test(arguments: ["rgb-16x12.jpg", "rgb-16x12-progressive.jpg", "cmyk-16x12.jpg"])
  func greyDecodeMatchesConvertedRGB(file: String) throws {
    let reference = try Fixtures.synthetic(file)
    let pillowRGB = Image(
      width: reference.width, height: reference.height, channels: 3,
      pixels: reference.pixels.map { UInt8($0) })
    let grey = try Image(decoding: Fixtures.bytes(file), options: .init(colour: .grey))
    let difference = pixelDifference(grey.pixels, pillowRGB.grey().pixels.map { Int($0) })
    #expect(difference.mean <= 1, "\(file): mean \(difference.mean) max \(difference.max)")
  }

  /// FER2013 training images (48x48 grey baseline JPEG) decode to Pillow's pixels.
  @Test func fer2013MatchesPillow() throws {
    guard let shared = try SharedData.path("datasets/fer2013/train") else { return }
    let root = shared.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let references = try Fixtures.json("fer2013.json", as: ReferenceImages.self).images
    #expect(references.count == 7)
    for reference in references {
      let path = root.appendingPathComponent(reference.path!).path
      let image = try Image(contentsOfFile: path, options: .init(colour: .grey))
      #expect(image.width == 48 && image.height == 48 && image.channels == 1)
      let difference = pixelDifference(image.pixels, reference.pixels)
      #expect(difference.max == 0, "\(path): mean \(difference.mean) max \(difference.max)")
    }
  }
}
