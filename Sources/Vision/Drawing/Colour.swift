/// An 8-bit RGB colour for drawing on images.
public struct Colour: Sendable, Equatable, Hashable {
  /// Red.
  public var red: UInt8
  /// Green.
  public var green: UInt8
  /// Blue.
  public var blue: UInt8

  /// A colour from its components.
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// The grey level a 1-channel image gets for this colour: BT.601 luma, rounded like
  /// ``Image/grey()``.
  public var luma: UInt8 {
    let y = (299 * Int(red) + 587 * Int(green) + 114 * Int(blue) + 500) / 1000
    return UInt8(min(y, 255))
  }

  /// The components for an image with `channels` channels (1: luma; 3: R, G, B).
  func components(channels: Int) -> [UInt8] { channels == 1 ? [luma] : [red, green, blue] }

  /// Black.
  public static let black = Colour(red: 0, green: 0, blue: 0)
  /// White.
  public static let white = Colour(red: 255, green: 255, blue: 255)
  /// Red.
  public static let red = Colour(red: 230, green: 25, blue: 75)
  /// Green.
  public static let green = Colour(red: 60, green: 180, blue: 75)
  /// Yellow.
  public static let yellow = Colour(red: 255, green: 225, blue: 25)
  /// Blue.
  public static let blue = Colour(red: 0, green: 130, blue: 200)
  /// Orange.
  public static let orange = Colour(red: 245, green: 130, blue: 48)
  /// Purple.
  public static let purple = Colour(red: 145, green: 30, blue: 180)
  /// Cyan.
  public static let cyan = Colour(red: 70, green: 240, blue: 240)
  /// Grey.
  public static let grey = Colour(red: 128, green: 128, blue: 128)
}
