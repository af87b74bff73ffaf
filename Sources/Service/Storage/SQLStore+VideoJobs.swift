import Datasets
import Pipeline

/// Videos as jobs on SQLite or PostgreSQL (see `VideoJobStore`). Leasing takes the oldest free
/// job in one `UPDATE … WHERE id = (SELECT …)`: on PostgreSQL the inner SELECT locks the row with
/// `FOR UPDATE SKIP LOCKED`, so concurrent workers each get a different job without waiting; on
/// SQLite the statement runs under the database's single write lock.
extension SQLStore: VideoJobStore {
  static let videoColumns = SQLColumns([
    "id", "created_at", "tag", "name", "bytes", "sampling", "state", "progress", "error",
    "attempts", "started_at", "finished_at", "keep_upload", "upload_file", "model", "width",
    "height", "fps", "duration", "frame_count", "face_count", "track_count",
  ])

  func videoRecord(_ values: [SQLValue]) throws -> VideoRecord {
    let row = Self.videoColumns.row(values)
    guard let id = row["id"].int64, let createdAt = row["created_at"].int64,
      let name = row["name"].string, let bytes = row["bytes"].int64,
      let sampling = row["sampling"].string,
      let state = row["state"].string.flatMap(VideoJobState.init(rawValue:)),
      let progress = row["progress"].double, let attempts = row["attempts"].int64,
      let keep = row["keep_upload"].int64
    else { throw StorageError(database: databaseName, message: "unexpected videos row") }
    var summary: VideoSummary?
    if state == .done, let model = row["model"].string, let width = row["width"].int64,
      let height = row["height"].int64, let fps = row["fps"].double,
      let duration = row["duration"].double, let frames = row["frame_count"].int64,
      let faces = row["face_count"].int64, let tracks = row["track_count"].int64
    {
      summary = VideoSummary(
        model: model, width: Int(width), height: Int(height), fps: fps, duration: duration,
        frames: Int(frames), faces: Int(faces), tracks: Int(tracks))
    }
    return VideoRecord(
      id: id, createdAt: createdAt, tag: row["tag"].string, name: name, bytes: bytes,
      sampling: sampling, state: state, progress: progress, error: row["error"].string,
      attempts: Int(attempts), startedAt: row["started_at"].int64,
      finishedAt: row["finished_at"].int64,
      keepUpload: keep != 0 && row["upload_file"] != .null, summary: summary)
  }

  public func enqueue(_ video: NewVideo) async throws -> VideoRecord {
    let rows = try await backend.query(
      """
      INSERT INTO videos (created_at, tag, name, bytes, upload_file, keep_upload, sampling, state,
        progress, attempts)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, 0) RETURNING \(Self.videoColumns.list)
      """,
      [
        .integer(video.createdAt), SQLValue(video.tag), .text(video.name), .integer(video.bytes),
        .text(video.uploadFile), SQLValue(video.keepUpload ? 1 : 0), .text(video.sampling),
      ])
    guard let row = rows.first else {
      throw StorageError(database: databaseName, message: "INSERT returned no video")
    }
    return try videoRecord(row)
  }

  public func video(id: Int64) async throws -> VideoRecord? {
    let rows = try await backend.query(
      "SELECT \(Self.videoColumns.list) FROM videos WHERE id = $1", [.integer(id)])
    return try rows.first.map(videoRecord)
  }

  public func videos(tag: String?, before: Int64?, limit: Int) async throws -> [VideoRecord] {
    var binds: [SQLValue] = []
    var terms: [String] = []
    if let tag {
      binds.append(.text(tag))
      terms.append("tag = $\(binds.count)")
    }
    if let before {
      binds.append(.integer(before))
      terms.append("id < $\(binds.count)")
    }
    binds.append(SQLValue(max(0, limit)))
    let whereClause = terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND ")
    return try await backend.query(
      """
      SELECT \(Self.videoColumns.list) FROM videos \(whereClause)
      ORDER BY id DESC LIMIT $\(binds.count)
      """, binds
    ).map(videoRecord)
  }

  public func pendingVideoCount() async throws -> Int {
    let rows = try await backend.query(
      "SELECT COUNT(*) FROM videos WHERE state IN ('queued', 'running')", [])
    return Int(rows.first?.first?.int64 ?? 0)
  }

  public func leaseVideoJob(owner: String, now: Int64, leaseUntil: Int64, maxAttempts: Int)
    async throws -> LeasedVideoJob?
  {
    // A job whose worker stopped maxAttempts times is not taken again: it likely kills workers.
    _ = try await backend.query(
      """
      UPDATE videos SET state = 'failed', finished_at = $1, lease_owner = NULL,
        error = 'analysis stopped ' || CAST(attempts AS TEXT) || ' times without finishing '
          || '(the worker was killed or ran out of time); not retried'
      WHERE state = 'running' AND lease_until < $1 AND attempts >= $2
      """, [.integer(now), SQLValue(maxAttempts)])
    let lock = backend.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
    let rows = try await backend.query(
      """
      UPDATE videos SET state = 'running', lease_owner = $1, lease_until = $2,
        attempts = attempts + 1, started_at = COALESCE(started_at, $3), progress = 0
      WHERE id = (SELECT id FROM videos
        WHERE state = 'queued' OR (state = 'running' AND lease_until < $3)
        ORDER BY id LIMIT 1 \(lock))
      RETURNING id, name, upload_file, keep_upload, sampling, attempts
      """, [.text(owner), .integer(leaseUntil), .integer(now)])
    guard let row = rows.first else { return nil }
    guard let id = row[0].int64, let name = row[1].string, let keep = row[3].int64,
      let sampling = row[4].string, let attempts = row[5].int64
    else { throw StorageError(database: databaseName, message: "unexpected leased job row") }
    // A job whose upload was already removed (it cannot be without a bug) fails at once.
    let path = row[2].string ?? ""
    return LeasedVideoJob(
      id: id, name: name, uploadFile: path, keepUpload: keep != 0, sampling: sampling,
      attempts: Int(attempts), owner: owner, leaseUntil: leaseUntil)
  }

  public func renewVideoLease(id: Int64, owner: String, progress: Double, leaseUntil: Int64)
    async throws -> Bool
  {
    let clamped = progress.isFinite ? min(max(progress, 0), 1) : 0
    let rows = try await backend.query(
      """
      UPDATE videos SET progress = $1, lease_until = $2
      WHERE id = $3 AND lease_owner = $4 AND state = 'running' RETURNING id
      """, [.real(clamped), .integer(leaseUntil), .integer(id), .text(owner)])
    return !rows.isEmpty
  }

  public func completeVideoJob(id: Int64, owner: String, analysis: VideoAnalysis, now: Int64)
    async throws -> Bool
  {
    let faceCount = analysis.frames.reduce(0) { $0 + $1.faces.count }
    return try await backend.transaction { session in
      // Taking the row first makes the lease check and the results one unit: a worker whose
      // lease was lost stores nothing, and the results of one job are stored once.
      let taken = try await session.query(
        """
        UPDATE videos SET state = 'done', progress = 1, finished_at = $1, lease_owner = NULL,
          error = NULL, model = $2, width = $3, height = $4, fps = $5, duration = $6,
          frame_count = $7, face_count = $8, track_count = $9
        WHERE id = $10 AND lease_owner = $11 AND state = 'running' RETURNING id
        """,
        [
          .integer(now), .text(analysis.model), SQLValue(analysis.width),
          SQLValue(analysis.height), .real(analysis.fps.isFinite ? analysis.fps : 0),
          .real(analysis.duration.isFinite ? analysis.duration : 0),
          SQLValue(analysis.frames.count), SQLValue(faceCount), SQLValue(analysis.tracks.count),
          .integer(id), .text(owner),
        ])
      guard !taken.isEmpty else { return false }
      try await Self.insertFrames(analysis.frames, video: id, in: session)
      try await Self.insertTracks(analysis.tracks, video: id, in: session)
      return true
    }
  }

  /// Rows of up to `perStatement` tuples of `width` values each, inserted with one statement per
  /// chunk (well under both databases' parameter limits).
  private static func insertRows(
    _ rows: [[SQLValue]], into table: String, columns: [String], in session: any SQLSession,
    perStatement: Int = 40
  ) async throws {
    var start = 0
    while start < rows.count {
      let chunk = rows[start..<min(start + perStatement, rows.count)]
      var binds: [SQLValue] = []
      var tuples: [String] = []
      for row in chunk {
        var placeholders: [String] = []
        for value in row {
          binds.append(value)
          placeholders.append("$\(binds.count)")
        }
        tuples.append("(\(placeholders.joined(separator: ", ")))")
      }
      _ = try await session.query(
        """
        INSERT INTO \(table) (\(columns.joined(separator: ", ")))
        VALUES \(tuples.joined(separator: ", "))
        """, binds)
      start += chunk.count
    }
  }

  /// The whole second a time falls in (times before 0 count as second 0).
  static func second(_ time: Double) -> Int64 {
    guard time.isFinite, time > 0 else { return 0 }
    return Int64(min(time, 1e12).rounded(.down))
  }

  private static func insertFrames(
    _ frames: [VideoFrameFaces], video: Int64, in session: any SQLSession
  ) async throws {
    var frameRows: [[SQLValue]] = []
    var faceRows: [[SQLValue]] = []
    for (index, frame) in frames.enumerated() {
      let time = frame.time.isFinite ? frame.time : 0
      frameRows.append([
        .integer(video), SQLValue(index), .real(time), .integer(second(time)),
        SQLValue(frame.faces.count),
      ])
      for (faceIndex, face) in frame.faces.enumerated() {
        faceRows.append(
          [
            .integer(video), SQLValue(index), SQLValue(faceIndex), .real(time),
            .integer(second(time)), SQLValue(face.track), SQLValue(face.box.x),
            SQLValue(face.box.y), SQLValue(face.box.width), SQLValue(face.box.height),
          ] + face.emotions.values.map { .integer(toMillionths(Double($0))) }
            + [.text(face.dominant.rawValue)])
      }
    }
    try await insertRows(
      frameRows, into: "video_frames",
      columns: ["video_id", "frame", "time", "second", "face_count"], in: session)
    try await insertRows(
      faceRows, into: "video_faces",
      columns: ["video_id", "frame", "idx", "time", "second", "track", "x", "y", "w", "h"]
        + emotionColumns + ["dominant"], in: session)
  }

  private static func insertTracks(
    _ tracks: [VideoTrackSummary], video: Int64, in session: any SQLSession
  ) async throws {
    let rows = tracks.map { track -> [SQLValue] in
      [
        .integer(video), SQLValue(track.id), .real(track.first.isFinite ? track.first : 0),
        .real(track.last.isFinite ? track.last : 0), SQLValue(track.frames),
      ] + track.emotions.values.map { .integer(toMillionths(Double($0))) }
    }
    try await insertRows(
      rows, into: "video_tracks",
      columns: ["video_id", "track", "first", "last", "frames"] + emotionColumns, in: session)
  }

  public func releaseVideoJob(id: Int64, owner: String) async throws -> Bool {
    let rows = try await backend.query(
      """
      UPDATE videos SET state = 'queued', lease_owner = NULL, lease_until = NULL, progress = 0,
        attempts = attempts - 1
      WHERE id = $1 AND lease_owner = $2 AND state = 'running' RETURNING id
      """, [.integer(id), .text(owner)])
    return !rows.isEmpty
  }

  public func failVideoJob(id: Int64, owner: String, error: String, now: Int64) async throws
    -> Bool
  {
    let rows = try await backend.query(
      """
      UPDATE videos SET state = 'failed', error = $1, finished_at = $2, lease_owner = NULL
      WHERE id = $3 AND lease_owner = $4 AND state = 'running' RETURNING id
      """, [.text(String(error.prefix(2000))), .integer(now), .integer(id), .text(owner)])
    return !rows.isEmpty
  }

  public func timeline(videoID: Int64) async throws -> [VideoTimelineSecond] {
    let frames = try await backend.query(
      """
      SELECT second, COUNT(*) FROM video_frames WHERE video_id = $1 GROUP BY second
      ORDER BY second
      """, [.integer(videoID)])
    var framesPerSecond: [Int64: Int] = [:]
    for row in frames {
      guard let second = row[0].int64, let count = row[1].int64 else {
        throw StorageError(database: databaseName, message: "unexpected video_frames row")
      }
      framesPerSecond[second] = Int(count)
    }
    let sums = Self.emotionColumns.map { "SUM(\($0))" }.joined(separator: ", ")
    let overall = try await backend.query(
      """
      SELECT second, COUNT(*), \(sums) FROM video_faces WHERE video_id = $1
      GROUP BY second ORDER BY second
      """, [.integer(videoID)])
    let perTrack = try await backend.query(
      """
      SELECT second, track, COUNT(*), \(sums) FROM video_faces WHERE video_id = $1
      GROUP BY second, track ORDER BY second, track
      """, [.integer(videoID)])
    func means(_ values: ArraySlice<SQLValue>, count: Int64) throws -> [Double] {
      let numbers = values.map(\.int64)
      guard numbers.count == 7, numbers.allSatisfy({ $0 != nil }), count > 0 else {
        throw StorageError(database: databaseName, message: "unexpected video_faces sums")
      }
      return numbers.map { Double($0!) / Self.probabilityScale / Double(count) }
    }
    var faceRows: [Int64: VideoTimelineSecond] = [:]
    for row in overall {
      guard row.count == 9, let second = row[0].int64, let count = row[1].int64 else {
        throw StorageError(database: databaseName, message: "unexpected video_faces row")
      }
      faceRows[second] = VideoTimelineSecond(
        second: Int(second), track: nil, frames: framesPerSecond[second] ?? 0, faces: Int(count),
        meanProbabilities: try means(row[2...], count: count))
    }
    var trackRows: [Int64: [VideoTimelineSecond]] = [:]
    for row in perTrack {
      guard row.count == 10, let second = row[0].int64, let track = row[1].int64,
        let count = row[2].int64
      else { throw StorageError(database: databaseName, message: "unexpected video_faces row") }
      trackRows[second, default: []].append(
        VideoTimelineSecond(
          second: Int(second), track: Int(track), frames: framesPerSecond[second] ?? 0,
          faces: Int(count), meanProbabilities: try means(row[3...], count: count)))
    }
    var timeline: [VideoTimelineSecond] = []
    for second in framesPerSecond.keys.sorted() {
      timeline.append(
        faceRows[second]
          ?? VideoTimelineSecond(
            second: Int(second), track: nil, frames: framesPerSecond[second] ?? 0, faces: 0,
            meanProbabilities: nil))
      timeline.append(contentsOf: trackRows[second] ?? [])
    }
    return timeline
  }

  static let videoFaceColumns = SQLColumns(
    ["fr.frame", "fr.time", "f.idx", "f.track", "f.x", "f.y", "f.w", "f.h"]
      + emotionColumns.map { "f.\($0)" })

  public func videoFaceCounts(videoID: Int64, indices: Range<Int>) async throws -> [Int] {
    try await backend.query(
      """
      SELECT face_count FROM video_frames
      WHERE video_id = $1 AND frame >= $2 AND frame < $3 ORDER BY frame
      """,
      [
        .integer(videoID), .integer(Int64(indices.lowerBound)),
        .integer(Int64(indices.upperBound)),
      ]
    ).map { row in
      guard row.count == 1, let count = row[0].int64 else {
        throw StorageError(database: databaseName, message: "unexpected video_frames row")
      }
      return Int(count)
    }
  }

  public func videoFrames(videoID: Int64, indices: Range<Int>) async throws -> [VideoFrameFaces] {
    // Frames are stored with indices 0 ..< count (`insertFrames`), so a range is a page.
    let rows = try await backend.query(
      """
      SELECT \(Self.videoFaceColumns.list) FROM video_frames fr
      LEFT JOIN video_faces f ON f.video_id = fr.video_id AND f.frame = fr.frame
      WHERE fr.video_id = $1 AND fr.frame >= $2 AND fr.frame < $3 ORDER BY fr.frame, f.idx
      """,
      [
        .integer(videoID), .integer(Int64(indices.lowerBound)),
        .integer(Int64(indices.upperBound)),
      ])
    var frames: [VideoFrameFaces] = []
    var lastFrame: Int64 = -1
    for values in rows {
      let row = Self.videoFaceColumns.row(values)
      guard let frame = row["frame"].int64, let time = row["time"].double else {
        throw StorageError(database: databaseName, message: "unexpected video_frames row")
      }
      if frame != lastFrame {
        frames.append(VideoFrameFaces(time: time, faces: []))
        lastFrame = frame
      }
      guard row["idx"] != .null else { continue }  // a frame without faces
      guard let track = row["track"].int64, let x = row["x"].int64, let y = row["y"].int64,
        let w = row["w"].int64, let h = row["h"].int64,
        let emotions = Self.probabilities(Self.emotionColumns.map { row[$0] })
      else { throw StorageError(database: databaseName, message: "unexpected video_faces row") }
      frames[frames.count - 1].faces.append(
        TrackedFace(
          track: Int(track), box: PixelBox(x: Int(x), y: Int(y), width: Int(w), height: Int(h)),
          emotions: emotions))
    }
    return frames
  }

  /// Stored millionths back to probabilities (renormalised: rounding may leave a sum of
  /// 1 ± 7e-6).
  static func probabilities(_ values: [SQLValue]) -> EmotionProbabilities? {
    let numbers = values.compactMap(\.int64)
    guard numbers.count == 7 else { return nil }
    return EmotionProbabilities(
      validating: numbers.map { Float(Double($0) / probabilityScale) }, tolerance: 1e-3)
  }

  static let videoTrackColumns = SQLColumns(["track", "first", "last", "frames"] + emotionColumns)

  public func videoTracks(videoID: Int64) async throws -> [VideoTrackSummary] {
    try await backend.query(
      """
      SELECT \(Self.videoTrackColumns.list) FROM video_tracks WHERE video_id = $1 ORDER BY track
      """, [.integer(videoID)]
    ).map { values in
      let row = Self.videoTrackColumns.row(values)
      guard let track = row["track"].int64, let first = row["first"].double,
        let last = row["last"].double, let frames = row["frames"].int64,
        let emotions = Self.probabilities(Self.emotionColumns.map { row[$0] })
      else { throw StorageError(database: databaseName, message: "unexpected video_tracks row") }
      return VideoTrackSummary(
        id: Int(track), first: first, last: last, frames: Int(frames), emotions: emotions)
    }
  }

  public func deleteVideo(id: Int64) async throws -> (deleted: Bool, uploadFile: String?) {
    try await backend.transaction { session in
      for table in ["video_faces", "video_frames", "video_tracks"] {
        _ = try await session.query("DELETE FROM \(table) WHERE video_id = $1", [.integer(id)])
      }
      let rows = try await session.query(
        "DELETE FROM videos WHERE id = $1 RETURNING upload_file", [.integer(id)])
      guard let row = rows.first else { return (false, nil) }
      return (true, row.first?.string)
    }
  }

  public func uploadsToRemove(limit: Int) async throws -> [(id: Int64, file: String)] {
    try await backend.query(
      """
      SELECT id, upload_file FROM videos
      WHERE state IN ('done', 'failed') AND keep_upload = 0 AND upload_file IS NOT NULL
      ORDER BY id LIMIT $1
      """, [SQLValue(max(0, limit))]
    ).compactMap { row in
      guard let id = row[0].int64, let path = row[1].string else { return nil }
      return (id, path)
    }
  }

  public func forgetUpload(id: Int64) async throws {
    _ = try await backend.query(
      "UPDATE videos SET upload_file = NULL WHERE id = $1", [.integer(id)])
  }
}
