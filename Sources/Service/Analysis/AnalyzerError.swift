import Pipeline

/// Why an image could not be analysed; each case maps to one HTTP status.
public enum AnalyzerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The bytes are not an image of a supported format, or are corrupt (415).
  case notAnImage(String)
  /// The image decodes but is too large to process, e.g. 100000×100000 pixels (413).
  case tooLarge(String)
  /// The image decodes but cannot be analysed, e.g. smaller than a face or a box outside it (422).
  case unusable(String)
  /// The requested model is not one of `EmotionAnalyzer.models` (400).
  case unknownModel(String)
  /// Too many analyses already wait; the client should retry shortly (503, `Retry-After`).
  case overloaded(String)

  public var description: String {
    switch self {
    case .notAnImage(let m), .tooLarge(let m), .unusable(let m), .unknownModel(let m),
      .overloaded(let m):
      m
    }
  }
}
