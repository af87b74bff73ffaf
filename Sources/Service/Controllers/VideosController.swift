import Foundation
import Hummingbird
import Pipeline

/// Videos as jobs: `POST /api/v1/videos` (the upload, streamed to disk; 202 with the job),
/// `GET /api/v1/videos` (newest first), `GET|DELETE /api/v1/videos/{id}`,
/// `GET /api/v1/videos/{id}/timeline` (JSON or CSV, per second) and
/// `GET /api/v1/videos/{id}/frames` (faces per analysed frame), and `GET /api/v1/jobs/{id}`.
struct VideosController: Sendable {
  let configuration: ServiceConfiguration
  /// Nil when the store keeps no videos (a store other than `SQLStore`); every route then
  /// answers 501.
  let store: (any VideoJobStore)?
  let now: @Sendable () -> Int64

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/api/v1/videos", [.post: upload, .get: list])
    routes.add("/api/v1/videos/:id", [.get: show, .delete: delete])
    routes.add("/api/v1/videos/:id/timeline", [.get: timeline])
    routes.add("/api/v1/videos/:id/frames", [.get: frames])
    routes.add("/api/v1/jobs/:id", [.get: job])
  }

  private func videos() throws -> any VideoJobStore {
    guard let store else {
      throw Problem(
        .notImplemented, kind: "videos-unavailable",
        detail: "this server's store does not keep videos")
    }
    return store
  }

  private func existing(_ id: Int64) async throws -> VideoRecord {
    guard let video = try await videos().video(id: id) else {
      throw Problem(.notFound, kind: "not-found", detail: "no video with id \(id)")
    }
    return video
  }

  private func done(_ id: Int64) async throws -> VideoRecord {
    let video = try await existing(id)
    guard video.state == .done else {
      throw Problem(
        .conflict, kind: "video-not-ready",
        detail: "video \(id) is \(video.state.rawValue)"
          + (video.error.map { ": \($0)" } ?? "; see /api/v1/jobs/\(id)"))
    }
    return video
  }

  func upload(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let store = try videos()
    let query = QueryParameters(request)
    let fpsText = try query.string("fps", maxLength: 20) ?? VideoSampling.standard.description
    guard let sampling = VideoSampling(parsing: fpsText) else {
      throw Problem.badParameter("fps", "expected all or frames per second in (0, 1000]")
    }
    let tag = try query.string("tag", maxLength: 100)
    let name = try query.string("name", maxLength: 200) ?? "video"
    let keep = try query.bool("keep", default: false)
    if let type = AnalyzeController.mediaType(request),
      !(type.hasPrefix("video/") || type == "application/octet-stream")
    {
      throw Problem(
        .unsupportedMediaType, kind: "not-a-video",
        detail: "send the video as the raw body with Content-Type video/… or "
          + "application/octet-stream (got \(type))")
    }
    let pending = try await store.pendingVideoCount()
    guard pending < configuration.maxPendingVideos else {
      throw Problem(
        .serviceUnavailable, kind: "overloaded",
        detail: "\(pending) videos are waiting for analysis; try again later",
        headers: [.retryAfter: "30"])
    }
    let writer = VideoUploadWriter(
      directory: configuration.uploadDirectory, limit: configuration.maxVideoBytes,
      timeout: configuration.uploadTimeout)
    let upload = try await writer.write(request, context: context)
    let video: VideoRecord
    do {
      video = try await store.enqueue(
        NewVideo(
          createdAt: now(), tag: tag, name: name, bytes: upload.bytes, uploadFile: upload.name,
          keepUpload: keep, sampling: sampling.description))
    } catch {
      try? FileManager.default.removeItem(atPath: upload.path)
      throw error
    }
    var response = try Wire.json(Wire.Job(video: video), status: .accepted)
    response.headers[.location] = "/api/v1/jobs/\(video.id)"
    return response
  }

  func list(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let query = QueryParameters(request)
    let limit = try query.int("limit", in: 1...1000) ?? 50
    let before = try query.int64("before", minimum: 1)
    let tag = try query.string("tag", maxLength: 100)
    let records = try await videos().videos(tag: tag, before: before, limit: limit + 1)
    let page = Array(records.prefix(limit))
    return Wire.VideoPage(
      videos: page.map { Wire.Video(video: $0, tracks: nil) },
      nextBefore: records.count > limit ? page.last?.id : nil)
  }

  func show(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let video = try await existing(try context.recordID())
    let tracks = video.state == .done ? try await videos().videoTracks(videoID: video.id) : nil
    return Wire.Video(video: video, tracks: tracks)
  }

  func delete(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    let id = try context.recordID()
    let (deleted, file) = try await videos().deleteVideo(id: id)
    guard deleted else {
      throw Problem(.notFound, kind: "not-found", detail: "no video with id \(id)")
    }
    if let file { try? UploadFolder(configuration.uploadDirectory).remove(file) }
    return Response(status: .noContent)
  }

  func timeline(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    let format = try QueryParameters(request).oneOf("format", ["json", "csv"], default: "json")
    let video = try await done(try context.recordID())
    let rows = try await videos().timeline(videoID: video.id)
    if format == "csv" {
      return CSVDocument(text: CSV.timeline(rows), filename: "video-\(video.id)-timeline.csv")
    }
    return Wire.Timeline(video: video.id, duration: video.summary?.duration, rows: rows)
  }

  func frames(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    // Paged by frame index: a long video has tens of thousands of frames (6,000 frames are
    // about 1.5 MB of JSON), more than one answer should carry.
    let query = QueryParameters(request)
    let limit = try query.int("limit", in: 1...Self.maxFramesPerPage) ?? Self.framesPerPage
    let after = try query.int("after", in: 0...Int(Int32.max) - 1)
    let video = try await done(try context.recordID())
    let first = (after ?? -1) + 1
    let frames = try await videos().videoFramePage(
      videoID: video.id, first: first, maxFrames: limit, maxFaces: Self.maxFacesPerPage)
    let end = first + frames.count
    let count = video.summary?.frames ?? 0
    return Wire.VideoFrames(
      video: video.id, first: first, frames: frames, nextAfter: end < count ? end - 1 : nil)
  }

  /// Frames in an answer of `GET /api/v1/videos/{id}/frames` without `limit=`, and at most.
  static let framesPerPage = 1000
  static let maxFramesPerPage = 10_000
  /// Most faces in one answer (about 230 bytes of JSON each: 4.6 MB); a page ends before the
  /// frame that would pass it, so it may hold fewer frames than `limit`.
  static let maxFacesPerPage = 20_000

  func job(_ request: Request, _ context: EmoclRequestContext) async throws
    -> any ResponseGenerator
  {
    Wire.Job(video: try await existing(try context.recordID()))
  }
}
