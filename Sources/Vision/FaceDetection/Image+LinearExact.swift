extension Image {
  /// This grey image resized bilinearly, bit-exact with OpenCV's
  /// `cv::resize(src, (width, height), interpolation: INTER_LINEAR_EXACT)` — the resampling of
  /// the face detector's pyramid (no antialiasing: shrinking by more than 2 skips pixels).
  /// - Throws: `FaceDetectionError.notGrey` for a colour image, `.invalidOptions` for a size
  ///   below 1 pixel.
  public func resizedLinearExact(width: Int, height: Int) throws -> Image {
    guard channels == 1 else { throw FaceDetectionError.notGrey(channels: channels) }
    guard width >= 1, height >= 1, self.width >= 1, self.height >= 1 else {
      throw FaceDetectionError.invalidOptions(
        reason: "cannot resize \(self.width)x\(self.height) to \(width)x\(height)")
    }
    var out = [UInt8](repeating: 0, count: width * height)
    let (sourceWidth, sourceHeight) = (self.width, self.height)
    pixels.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { destination in
        LinearResize.resize(
          source.baseAddress!, sourceWidth: sourceWidth, sourceHeight: sourceHeight,
          into: destination.baseAddress!, width: width, height: height)
      }
    }
    return Image(width: width, height: height, channels: 1, pixels: out)
  }
}
