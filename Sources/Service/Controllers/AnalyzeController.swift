import Hummingbird
import Pipeline
import Vision

/// `POST /api/v1/analyze` and `POST /api/v1/analyze/batch`: images in, faces and emotions out,
/// recorded when asked (a batch in one transaction).
struct AnalyzeController: Sendable {
  let configuration: ServiceConfiguration
  let analyzer: any EmotionAnalyzer
  let store: any AnalysisStore
  /// For frames recorded in an audience session (`session=`); nil: sessions answer 501.
  let sessions: (any AudienceSessionStore)?
  let metrics: ServiceMetrics
  let now: @Sendable () -> Int64

  func addRoutes(to routes: inout RouteRegistrar) {
    routes.add("/api/v1/analyze", [.post: analyze])
    routes.add("/api/v1/analyze/batch", [.post: analyzeBatch])
  }

  /// Content types accepted as a raw image body.
  static let rawImageTypes: Set<String> = [
    "image/jpeg", "image/png", "image/webp", "image/jpg", "application/octet-stream",
  ]

  /// The options shared by both analyze routes, from the query.
  struct AnalyzeQuery {
    var options: AnalyzeOptions
    var tag: String?
    var store: Bool
    /// `session=ID` and optional `offset_ms=N`: the frame belongs to an audience session.
    var session: Int64?
    var offsetMs: Int64?
  }

  func analyzeQuery(_ request: Request) throws -> AnalyzeQuery {
    let query = QueryParameters(request)
    guard let fallback = analyzer.defaultModel else {
      throw Problem(
        .unprocessableContent, kind: "no-models",
        detail: "no models are loaded (models folder: \(configuration.modelsDirectory ?? "Models"))"
      )
    }
    let model = try query.string("model") ?? fallback
    guard analyzer.models.contains(where: { $0.name == model }) else {
      throw Problem.analysis(
        .unknownModel(
          "unknown model '\(model)'; available: "
            + analyzer.models.map(\.name).joined(separator: ", ")))
    }
    let options = AnalyzeOptions(
      model: model, detect: try query.bool("detect", default: true),
      maxFaces: try query.int("max_faces", in: 1...1000), boxes: try query.boxes("boxes"),
      detector: try query.string("detector").map { name throws(Problem) in
        guard let kind = FaceDetectorKind(rawValue: name) else {
          throw .badParameter(
            "detector", "expected one of \(FaceDetectorKind.names), got '\(name)'")
        }
        return kind
      }, align: try query.bool("align", default: true))
    let session = try query.int64("session", minimum: 1)
    let offsetMs = try query.int64("offset_ms", minimum: 0)
    if let offsetMs, offsetMs > 86_400_000 {
      throw Problem.badParameter("offset_ms", "at most 86400000 (24 hours)")
    }
    if offsetMs != nil && session == nil {
      throw Problem.badParameter("offset_ms", "only with session")
    }
    let store = try query.bool("store", default: true)
    if session != nil && !store {
      throw Problem.badParameter("session", "a session frame is always stored (store=false)")
    }
    return AnalyzeQuery(
      options: options, tag: try query.string("tag", maxLength: 100), store: store,
      session: session, offsetMs: offsetMs)
  }

  /// The request body, within `limit` and the body timeout (`RequestBodyReader`).
  func body(_ request: Request, context: EmoclRequestContext, limit: Int) async throws -> [UInt8] {
    try await RequestBodyReader.collect(request, limit: limit, timeout: configuration.bodyTimeout)
  }

  /// `Content-Type` without parameters, lowercased.
  static func mediaType(_ request: Request) -> String? {
    request.headers[.contentType].map {
      String($0.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces().lowercased()
    }
  }

  /// Image parts of a multipart body: parts named `image`/`images`/`images[]`, or with a filename.
  static func imageParts(_ bytes: [UInt8], contentType: String, maxParts: Int) throws
    -> [MultipartPart]
  {
    guard let boundary = Multipart.boundary(contentType: contentType) else {
      throw MultipartError.missingBoundary
    }
    let parts = try Multipart.parse(bytes, boundary: boundary, maxParts: maxParts)
    return parts.filter { part in
      ["image", "images", "images[]"].contains(part.name ?? "") || part.filename != nil
    }
  }

  /// Analyses one image (nothing is stored): the answer without id and time.
  func analyzeOnly(image: [UInt8], name: String?, query: AnalyzeQuery) async throws
    -> Wire.Analysis
  {
    guard !image.isEmpty else {
      throw Problem(.badRequest, kind: "missing-image", detail: "the image is empty")
    }
    let start = ContinuousClock.now
    let result: AnalysisResult
    do {
      result = try await analyzer.analyze(imageBytes: image, options: query.options)
    } catch let error as AnalyzerError {
      throw Problem.analysis(error)
    } catch let error as AnalysisError {
      throw Self.problem(for: error)
    } catch let problem as Problem {
      throw problem
    } catch {
      throw Problem(.unprocessableContent, kind: "unusable-image", detail: "\(error)")
    }
    let elapsed = ContinuousClock.now - start
    let elapsedMs =
      (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    metrics.recordAnalysis(model: query.options.model, faces: result.faces.count)
    return Wire.Analysis(
      image: name, result: result, model: query.options.model, elapsedMs: elapsedMs, id: nil,
      tag: query.tag, createdAt: nil)
  }

  /// Records `answers` in one transaction when the query asks to store, filling in their ids
  /// and times: all are stored or none (a failure is a 503 and a retry stores nothing twice).
  /// `session` is the one ``requireSession(_:)`` read for the query's `session=`.
  func record(
    _ answers: inout [Wire.Analysis], query: AnalyzeQuery, session: AudienceSession?
  ) async throws {
    guard query.store, !answers.isEmpty else { return }
    let createdAt = now()
    let frame = try session.map { try Self.sessionFrame($0, query: query, at: createdAt) }
    let records = try await store.insert(
      answers.map {
        NewAnalysis(
          createdAt: createdAt, tag: query.tag, model: $0.model, result: $0.result,
          elapsedMs: $0.elapsedMs, session: frame)
      })
    for (index, record) in zip(answers.indices, records) {
      answers[index].id = record.id
      answers[index].createdAt = record.createdAt
    }
  }

  /// Checks, before any work, that the `session=` of `query` (if any) can take frames: this
  /// store keeps sessions and the session exists. The session, read once; whether it has ended
  /// is judged when the frame is stored (``sessionFrame(_:query:at:)``).
  func requireSession(_ query: AnalyzeQuery) async throws -> AudienceSession? {
    guard let id = query.session else { return nil }
    return try await session(id: id)
  }

  /// The stored session `id`, or the problem when sessions are unavailable or it is unknown.
  private func session(id: Int64) async throws -> AudienceSession {
    guard let sessions else {
      throw Problem(
        .notImplemented, kind: "sessions-unavailable",
        detail: "this server's store does not keep sessions")
    }
    guard let session = try await sessions.session(id: id) else {
      throw Problem(.notFound, kind: "not-found", detail: "no session with id \(id)")
    }
    return session
  }

  /// The session and offset of a frame of `session` recorded at `time`: the query's
  /// `offset_ms`, or the time since the session started.
  static func sessionFrame(
    _ session: AudienceSession, query: AnalyzeQuery, at time: Int64
  ) throws -> SessionFrame {
    let id = session.id
    let offset = query.offsetMs ?? max(0, (time - session.startedAt) / 1000)
    guard offset <= 86_400_000 else {
      throw Problem(
        .unprocessableContent, kind: "session-ended",
        detail: "session \(id) started more than 24 hours ago; start a new one")
    }
    return SessionFrame(sessionID: id, offsetMs: offset)
  }

  /// The status for each failure of Learning's `EmotionPipeline`, for an analyzer built on it.
  static func problem(for error: AnalysisError) -> Problem {
    switch error {
    case .undecodable(.corrupt), .undecodable(.invalidSize):
      // A JPEG, PNG or WebP that is damaged or cut short: the media type is right, the content
      // is not usable.
      return Problem(.unprocessableContent, kind: "corrupt-image", detail: error.description)
    case .unreadable, .undecodable:
      return Problem(.unsupportedMediaType, kind: "not-an-image", detail: error.description)
    case .imageTooLarge:
      return Problem(.contentTooLarge, kind: "image-too-large", detail: error.description)
    case .workTooLarge:
      return Problem(.unprocessableContent, kind: "work-too-large", detail: error.description)
    case .invalidBox, .tooManyBoxes, .invalidOptions, .noFaceDetector, .detectionFailed,
      .classifierFailed, .invalidClassifierOutput:
      return Problem(.unprocessableContent, kind: "unusable-image", detail: error.description)
    }
  }

  /// `POST /api/v1/analyze`: one image, raw or as the multipart field `image`.
  func analyze(_ request: Request, _ context: EmoclRequestContext) async throws -> Wire.Analysis {
    let query = try analyzeQuery(request)
    // An unknown session is refused before the body is read and analysed.
    let session = try await requireSession(query)
    let mediaType = Self.mediaType(request)
    let image: [UInt8]
    var name: String?
    switch mediaType {
    case "multipart/form-data"?:
      let bytes = try await body(request, context: context, limit: configuration.maxBodyBytes)
      let parts = try Self.imageParts(
        bytes, contentType: request.headers[.contentType] ?? "", maxParts: 16)
      guard let part = parts.first else {
        throw Problem(
          .badRequest, kind: "missing-image", detail: "the form has no 'image' file field")
      }
      // A second image would otherwise be dropped unseen; the batch route takes several.
      guard parts.count == 1 else {
        throw Problem(
          .badRequest, kind: "too-many-images",
          detail: "this route analyses one image and the form has \(parts.count) image fields; "
            + "send several to /api/v1/analyze/batch")
      }
      image = part.body
      name = part.filename
    case let type? where Self.rawImageTypes.contains(type) || type.hasPrefix("image/"):
      image = try await body(request, context: context, limit: configuration.maxBodyBytes)
    default:
      throw Problem(
        .unsupportedMediaType, kind: "not-an-image",
        detail: "send an image (image/jpeg, image/png, image/webp) or multipart/form-data, not "
          + (mediaType ?? "a body without Content-Type"))
    }
    var answers = [try await analyzeOnly(image: image, name: name, query: query)]
    try await record(&answers, query: query, session: session)
    return answers[0]
  }

  /// `POST /api/v1/analyze/batch`: up to `maxBatchImages` images in one multipart body; one
  /// result or problem per image, in order.
  func analyzeBatch(_ request: Request, _ context: EmoclRequestContext) async throws -> Wire.Batch {
    let query = try analyzeQuery(request)
    let session = try await requireSession(query)
    guard Self.mediaType(request) == "multipart/form-data" else {
      throw Problem(
        .unsupportedMediaType, kind: "not-multipart",
        detail: "a batch is multipart/form-data with one 'images' file field per image")
    }
    let limit = configuration.maxBatchImages
    let bytes = try await body(request, context: context, limit: configuration.maxBatchBytes)
    let parts: [MultipartPart]
    do {
      // Room for a few non-image fields; more image parts than the limit is refused below.
      parts = try Self.imageParts(
        bytes, contentType: request.headers[.contentType] ?? "", maxParts: limit + 8)
    } catch MultipartError.tooManyParts {
      throw Problem(
        .contentTooLarge, kind: "too-many-images", detail: "a batch holds at most \(limit) images")
    }
    guard parts.count <= limit else {
      throw Problem(
        .contentTooLarge, kind: "too-many-images",
        detail: "\(parts.count) images; a batch holds at most \(limit)")
    }
    guard !parts.isEmpty else {
      throw Problem(.badRequest, kind: "missing-image", detail: "the form has no image fields")
    }
    let start = ContinuousClock.now
    // Each image is analysed; those that succeed are then stored together, in one transaction.
    var outcomes: [Result<Wire.Analysis, Problem>] = []
    var pixels = 0
    for part in parts {
      // What the batch has left; an image of more pixels is refused from its header.
      let left = configuration.maxBatchPixels - pixels
      let overBudget = Problem(
        .contentTooLarge, kind: "batch-too-large",
        detail: "the images before this one hold \(pixels) pixels and this one would take the "
          + "batch past its \(configuration.maxBatchPixels)")
      guard left > 0 else {
        metrics.recordError(kind: overBudget.kind)
        outcomes.append(.failure(overBudget))
        continue
      }
      var imageQuery = query
      imageQuery.options.maxPixels = left
      do {
        let answer = try await analyzeOnly(image: part.body, name: part.filename, query: imageQuery)
        pixels += answer.result.width * answer.result.height
        outcomes.append(.success(answer))
      } catch let problem as Problem where problem.status != .serviceUnavailable {
        // Too large for what is left of the budget, not necessarily for one image alone.
        let refused =
          problem.kind == "image-too-large" && left < DecodeOptions.defaultMaxPixels
          ? overBudget : problem
        metrics.recordError(kind: refused.kind)
        outcomes.append(.failure(refused))
      }
    }
    var answers = outcomes.compactMap { try? $0.get() }
    try await record(&answers, query: query, session: session)
    var stored = answers.makeIterator()
    let results: [Wire.BatchItem] = zip(parts, outcomes).map { part, outcome in
      switch outcome {
      case .success: return .analysis(stored.next()!)
      case .failure(let problem):
        return .failure(image: part.filename, problem: problem.body(instance: nil))
      }
    }
    let elapsed = ContinuousClock.now - start
    return Wire.Batch(
      model: query.options.model,
      elapsedMs: Double(elapsed.components.seconds) * 1000
        + Double(elapsed.components.attoseconds) / 1e15,
      results: results)
  }
}
