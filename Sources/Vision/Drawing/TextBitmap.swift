/// Rendered text as a coverage mask: `coverage[y * width + x]` is 0 (background) … 255 (ink).
/// The text's baseline is `baseline` rows from the top.
public struct TextBitmap: Sendable, Equatable {
  /// Width in pixels.
  public let width: Int
  /// Height in pixels: the font's ascender to descender at the rendered size.
  public let height: Int
  /// Rows from the top to the baseline.
  public let baseline: Int
  /// `width * height` coverage values.
  public let coverage: [UInt8]
}
