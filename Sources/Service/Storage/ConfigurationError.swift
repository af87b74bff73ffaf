import Foundation

/// A setting has a bad value; the message names the setting.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
