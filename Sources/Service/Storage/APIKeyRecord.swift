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
