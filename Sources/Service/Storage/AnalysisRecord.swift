/// A stored analysis: the result of one image, never the image itself.
public struct AnalysisRecord: Sendable, Equatable {
  /// Assigned by the database; increases with insertion order.
  public var id: Int64
  /// When it was recorded, microseconds since 1970 UTC.
  public var createdAt: Int64
  public var tag: String?
  public var model: String
  public var width: Int
  public var height: Int
  public var elapsedMs: Double
  /// Probabilities are stored in millionths (6 decimal places), so sums are exact integers and
  /// statistics agree bit for bit between SQLite and PostgreSQL.
  public var faces: [FaceResult]

  public init(
    id: Int64, createdAt: Int64, tag: String?, model: String, width: Int, height: Int,
    elapsedMs: Double, faces: [FaceResult]
  ) {
    self.id = id
    self.createdAt = createdAt
    self.tag = tag
    self.model = model
    self.width = width
    self.height = height
    self.elapsedMs = elapsedMs
    self.faces = faces
  }
}
