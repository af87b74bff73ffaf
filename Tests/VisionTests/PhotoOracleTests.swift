import Foundation
import TestSupport
import Testing
import Vision

struct PhotoReference: Decodable {
  let file: String
  let width: Int
  let height: Int
  let means: [Double]
  let fnv1a64: String
  let samples: [[Int]]
  let rgb: [Int]
  let pillowGrey: [Int]
  let opencvGrey: [Int]
  let area48: [Int]
  let areaRGB32x24: [Int]
  let crop: [Int]
  let linear61: [Int]
}

struct PhotoReferences: Decodable {
  let photos: [PhotoReference]
}

/// The shared photos (baseline, progressive and Exif JPEGs, an RGB PNG) against Pillow and
/// OpenCV. Decoding a multi-megapixel photo takes a while, so the photos run one at a time.
@Suite(.serialized) struct PhotoOracleTests {
  static let references: [PhotoReference] =
    (try? Fixtures.json("photos.json", as: PhotoReferences.self).photos) ?? []

  @Test func fixtureListsAllPhotos() {
    #expect(Self.references.count == 8)
  }

  @Test(arguments: Self.references)
  func decodesLikePillow(reference: PhotoReference) throws {
    guard let folder = try SharedData.path("datasets/photos") else { return }
    let path = folder.appendingPathComponent(reference.file).path
    let image = try Image(contentsOfFile: path, options: .init(colour: .rgb))
    #expect(image.width == reference.width && image.height == reference.height)
    #expect(image.channels == 3)
    let sampled = sample(image, reference.samples)
    let difference = pixelDifference(sampled, reference.rgb)
    let means = channelMeans(image)
    if reference.file.hasSuffix(".png") {
      #expect(fnv1a64(image.pixels) == reference.fnv1a64, "\(reference.file)")
    } else {
      #expect(
        difference.mean <= 1, "\(reference.file): mean \(difference.mean) max \(difference.max)")
      for c in 0..<3 {
        #expect(abs(means[c] - reference.means[c]) <= 0.5, "\(reference.file) channel \(c)")
      }
    }

    // Straight-to-grey decoding (the JPEG luma plane) against Pillow's convert("L").
    let grey = try Image(contentsOfFile: path, options: .init(colour: .grey))
    let greyDifference = pixelDifference(sample(grey, reference.samples), reference.pillowGrey)
    #expect(greyDifference.mean <= 1, "\(reference.file): grey mean \(greyDifference.mean)")

    // Ops on Pillow-equal pixels against OpenCV.
    let converted = image.grey()
    let convertedDifference = pixelDifference(
      sample(converted, reference.samples), reference.opencvGrey)
    #expect(
      convertedDifference.mean <= 1, "\(reference.file): cvtColor mean \(convertedDifference.mean)")
    let area = pixelDifference(
      try converted.resized(width: 48, height: 48).pixels, reference.area48)
    #expect(area.mean <= 1, "\(reference.file): INTER_AREA 48x48 mean \(area.mean) max \(area.max)")
    let areaRGB = pixelDifference(
      try image.resized(width: 32, height: 24).pixels, reference.areaRGB32x24)
    #expect(areaRGB.mean <= 1, "\(reference.file): INTER_AREA RGB mean \(areaRGB.mean)")
    let crop = try converted.cropped(
      x: reference.crop[0], y: reference.crop[1], width: reference.crop[2],
      height: reference.crop[3])
    let linear = pixelDifference(try crop.resized(width: 61, height: 61).pixels, reference.linear61)
    #expect(
      linear.mean <= 1, "\(reference.file): INTER_LINEAR mean \(linear.mean) max \(linear.max)")
    print(
      "\(reference.file): decode mean|d| \(difference.mean) max \(difference.max); grey \(greyDifference.mean); "
        + "cvtColor \(convertedDifference.mean); area48 \(area.mean)/\(area.max); areaRGB \(areaRGB.mean)/\(areaRGB.max); "
        + "linear \(linear.mean)/\(linear.max)")
  }

  private func sample(_ image: Image, _ points: [[Int]]) -> [UInt8] {
    points.flatMap { point in
      let base = (point[1] * image.width + point[0]) * image.channels
      return Array(image.pixels[base..<(base + image.channels)])
    }
  }

  private func channelMeans(_ image: Image) -> [Double] {
    var sums = [Int](repeating: 0, count: image.channels)
    for (i, value) in image.pixels.enumerated() { sums[i % image.channels] += Int(value) }
    return sums.map { Double($0) / Double(image.width * image.height) }
  }

  private func fnv1a64(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

extension PhotoReference: CustomTestStringConvertible {
  var testDescription: String { file }
}
