/// Where the pipeline's face boxes came from.
public enum AnalysisMode: String, Sendable, Equatable, Codable {
  /// The face detector's boxes.
  case detected
  /// Boxes given by the caller.
  case supplied
  /// The whole image as one face: detection was off, or the image is a face crop (see
  /// `AnalysisOptions.isFaceCrop`).
  case wholeImage = "whole_image"
}
