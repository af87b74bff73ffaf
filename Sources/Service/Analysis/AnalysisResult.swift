import Datasets
import Pipeline

/// What an analyzer returns for one image: its size (after orientation) and the faces found,
/// as in the CLI's JSON for one image.
public struct AnalysisResult: Codable, Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var faces: [FaceResult]

  public init(width: Int, height: Int, faces: [FaceResult]) {
    self.width = width
    self.height = height
    self.faces = faces
  }
}
