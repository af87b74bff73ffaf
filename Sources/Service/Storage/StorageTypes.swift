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

/// Which records a listing, a statistic or a CSV export covers.
public struct AnalysisFilter: Sendable, Equatable {
  /// Only records with exactly this tag.
  public var tag: String?
  /// Only records at or after this time (microseconds since 1970 UTC).
  public var from: Int64?
  /// Only records strictly before this time.
  public var to: Int64?

  public init(tag: String? = nil, from: Int64? = nil, to: Int64? = nil) {
    self.tag = tag
    self.from = from
    self.to = to
  }
}

/// The width of a statistics bucket, aligned to UTC.
public enum StatsBucketSize: String, Sendable, CaseIterable {
  case hour, day

  /// The bucket width in microseconds (UTC days have no leap seconds in Unix time).
  public var micros: Int64 {
    switch self {
    case .hour: 3_600_000_000
    case .day: 86_400_000_000
    }
  }
}

/// Statistics of the faces recorded in one time bucket.
public struct StatsBucket: Sendable, Equatable {
  /// Start of the bucket, microseconds since 1970 UTC.
  public var start: Int64
  /// Number of faces in the bucket.
  public var faces: Int
  /// Mean probability of each emotion over the bucket's faces, `Emotion.allCases` order.
  public var meanProbabilities: [Double]
  /// How many faces had each emotion as the dominant one, `Emotion.allCases` order.
  public var dominantCounts: [Int]

  public init(start: Int64, faces: Int, meanProbabilities: [Double], dominantCounts: [Int]) {
    self.start = start
    self.faces = faces
    self.meanProbabilities = meanProbabilities
    self.dominantCounts = dominantCounts
  }
}

/// An API key as stored: never the key, only its SHA-256 and its first characters.
public struct APIKeyRecord: Sendable, Equatable {
  public var id: Int64
  public var name: String
  /// The key's first characters, to recognise it in a listing.
  public var prefix: String
  public var createdAt: Int64
  /// Set when revoked; a revoked key no longer authorises anything.
  public var revokedAt: Int64?

  public init(id: Int64, name: String, prefix: String, createdAt: Int64, revokedAt: Int64?) {
    self.id = id
    self.name = name
    self.prefix = prefix
    self.createdAt = createdAt
    self.revokedAt = revokedAt
  }
}

/// The database could not be reached or answered with an error.
public struct StorageError: Error, Sendable, CustomStringConvertible {
  /// Which database, e.g. "SQLite /var/lib/emocl.db" or "PostgreSQL db.local:5432/emocl".
  public var database: String
  public var message: String

  public init(database: String, message: String) {
    self.database = database
    self.message = message
  }

  public var description: String { "\(database): \(message)" }
}
