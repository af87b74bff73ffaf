import Foundation

/// A file of a rendered report besides its HTML page (each chart as SVG, each picture as PNG,
/// the numbers as JSON).
public struct ReportFile: Sendable, Equatable {
  /// The file name, without folders.
  public var name: String
  /// The contents.
  public var bytes: [UInt8]

  /// A file named `name` holding `bytes`.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }
}
