/// Audience sessions: one per viewer and stimulus, with the webcam frames recorded in it (as
/// analyses carrying a `SessionFrame`).
public protocol AudienceSessionStore: Sendable {
  /// Starts a session for `stimulus` at `startedAt`.
  func createSession(stimulus: String, startedAt: Int64, createdAt: Int64) async throws
    -> AudienceSession
  /// The session with this id, nil if none.
  func session(id: Int64) async throws -> AudienceSession?
  /// Newest first, with their frame counts; only `stimulus`'s when given.
  func sessions(stimulus: String?, limit: Int) async throws -> [AudienceSession]
  /// Per session and second of `stimulus`: the faces and their probability sums.
  func reactionSums(stimulus: String) async throws -> [SessionSecondSums]
  /// Deletes a session and every frame recorded in it (their analyses and faces), in one
  /// transaction; nil when there was no such session, else the number of frames deleted.
  func deleteSession(id: Int64) async throws -> Int?
}
