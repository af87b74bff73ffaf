/// Why ``CNNQuantizer`` cannot quantize a model with the images it was given.
public struct QuantizationError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}
