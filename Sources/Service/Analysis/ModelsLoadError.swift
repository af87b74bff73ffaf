import Datasets
import Foundation
import Logging
import Pipeline

/// No usable model for the service; the message names the folder and each file's problem.
public struct ModelsLoadError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
