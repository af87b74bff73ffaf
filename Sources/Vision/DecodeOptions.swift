/// How ``Image/init(decoding:options:)`` turns encoded bytes into an ``Image``.
public struct DecodeOptions: Sendable, Equatable {
  /// The channel layout of the decoded image.
  public enum Colour: Sendable, Equatable {
    /// One channel. A colour JPEG decodes straight to its luma (Y) plane, which is the fastest
    /// path; other colour sources are converted with ``Image/grey()`` (BT.601 weights).
    case grey
    /// Three channels; grey sources are replicated into R, G and B.
    case rgb
    /// Grey when the file stores grey (a grey JPEG, a grey or grey+alpha PNG), RGB otherwise
    /// (palette PNGs and all WebP images are RGB).
    case native
  }

  /// 50 megapixels: the default of ``maxPixels``.
  public static let defaultMaxPixels = 50_000_000

  /// The channel layout to produce.
  public var colour: Colour
  /// Largest `width * height` accepted; checked against the header before decoding allocates.
  public var maxPixels: Int
  /// Rotates and mirrors JPEGs as their EXIF orientation tag says, so that width and height are
  /// those of the upright picture.
  public var appliesOrientation: Bool
  /// When true (the default), any JPEG decoder warning, such as a truncated file or a damaged
  /// entropy-coded segment, is an error. When false such files decode as far as libjpeg can
  /// (missing parts come out grey), like browsers show them.
  public var strict: Bool

  /// Options; by default native colour, a 50 megapixel limit, EXIF orientation applied, strict.
  public init(
    colour: Colour = .native, maxPixels: Int = DecodeOptions.defaultMaxPixels,
    appliesOrientation: Bool = true, strict: Bool = true
  ) {
    self.colour = colour
    self.maxPixels = maxPixels
    self.appliesOrientation = appliesOrientation
    self.strict = strict
  }
}
