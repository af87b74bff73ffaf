/// One image's entry in `emocl predict --format json` output: either
/// `{"image": NAME, "width": W, "height": H, "faces": […]}` or
/// `{"image": NAME, "error": {"type": CODE, "message": TEXT}}`.
public struct PredictionRecord: Sendable, Equatable, Codable {
  /// The image as the caller named it (a path for the CLI).
  public var image: String
  /// The analysis, or why the image failed.
  public var outcome: Outcome

  /// Success or failure of one image.
  public enum Outcome: Sendable, Equatable {
    case analysis(ImageAnalysis)
    case failure(PredictionFailure)
  }

  /// A record for `image`.
  public init(image: String, outcome: Outcome) {
    self.image = image
    self.outcome = outcome
  }

  /// A failed record from a pipeline error.
  public init(image: String, error: AnalysisError) {
    self.init(
      image: image,
      outcome: .failure(PredictionFailure(type: error.code, message: error.description)))
  }

  /// True when the image failed.
  public var failed: Bool {
    if case .failure = outcome { return true }
    return false
  }

  enum CodingKeys: String, CodingKey {
    case image, width, height, faces, error
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    image = try container.decode(String.self, forKey: .image)
    if let failure = try container.decodeIfPresent(PredictionFailure.self, forKey: .error) {
      outcome = .failure(failure)
    } else {
      outcome = .analysis(
        ImageAnalysis(
          width: try container.decode(Int.self, forKey: .width),
          height: try container.decode(Int.self, forKey: .height),
          faces: try container.decode([FaceEmotions].self, forKey: .faces)))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(image, forKey: .image)
    switch outcome {
    case .analysis(let analysis):
      try container.encode(analysis.width, forKey: .width)
      try container.encode(analysis.height, forKey: .height)
      try container.encode(analysis.faces, forKey: .faces)
    case .failure(let failure):
      try container.encode(failure, forKey: .error)
    }
  }
}
