import Vision

/// Decodes the bytes twice: with the service's options (native colour, strict, EXIF orientation
/// applied) and with forced grey or RGB, lenient, orientation ignored. Checks that every decoded
/// image holds `width * height * channels` bytes within the pixel limit, has the channels asked
/// for, and that the two decodes agree on the size up to the swap EXIF orientation 5...8 makes.
enum ImageHarness {
  /// Small enough that a fuzzed header asking for a huge image is refused before allocation.
  static let maxPixels = 512 * 512

  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    let upright = try decode(data, DecodeOptions(maxPixels: maxPixels))
    let forced: DecodeOptions.Colour = data.count % 2 == 0 ? .grey : .rgb
    let stored = try decode(
      data,
      DecodeOptions(colour: forced, maxPixels: maxPixels, appliesOrientation: false, strict: false))
    // Detection and EXIF parsing on their own must agree with the decoder.
    let format = ImageFormat.detect(data)
    if upright != nil || stored != nil {
      try FuzzFailure.require(format != nil, "decoded an image of no recognised format")
    }
    guard let upright, let stored else { return }
    let swaps = format == .jpeg && (ExifOrientation(jpeg: data)?.swapsSides ?? false)
    let expected = swaps ? (stored.height, stored.width) : (stored.width, stored.height)
    try FuzzFailure.require(
      (upright.width, upright.height) == expected,
      "upright \(upright.width)x\(upright.height), stored \(stored.width)x\(stored.height), "
        + "swaps \(swaps)")
  }

  /// The decoded image after checking it, or nil when decoding refused the bytes.
  private static func decode(_ data: [UInt8], _ options: DecodeOptions) throws(FuzzFailure)
    -> Image?
  {
    let image: Image
    do {
      image = try Image(decoding: data, options: options)
    } catch {
      return nil
    }
    try FuzzFailure.require(
      image.width > 0 && image.height > 0 && image.width * image.height <= maxPixels,
      "decoded size \(image.width)x\(image.height) outside 1...\(maxPixels) pixels")
    try FuzzFailure.require(
      image.pixels.count == image.width * image.height * image.channels,
      "\(image.pixels.count) bytes for \(image.width)x\(image.height)x\(image.channels)")
    switch options.colour {
    case .grey: try FuzzFailure.require(image.channels == 1, "grey decode has \(image.channels)")
    case .rgb: try FuzzFailure.require(image.channels == 3, "RGB decode has \(image.channels)")
    case .native: try FuzzFailure.require([1, 3].contains(image.channels), "channels")
    }
    return image
  }
}
