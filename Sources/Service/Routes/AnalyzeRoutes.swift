import Hummingbird
import Pipeline

extension EmoclService {
  /// Content types accepted as a raw image body.
  static let rawImageTypes: Set<String> = [
    "image/jpeg", "image/png", "image/webp", "image/jpg", "application/octet-stream",
  ]

  /// The options shared by both analyze routes, from the query.
  struct AnalyzeQuery {
    var options: AnalyzeOptions
    var tag: String?
    var store: Bool
  }

  func analyzeQuery(_ request: Request) throws -> AnalyzeQuery {
    let query = QueryParameters(request)
    guard let fallback = defaultModel else {
      throw Problem(
        .unprocessableContent, kind: "no-models",
        detail: "no models are loaded (models folder: \(configuration.modelsDirectory ?? "Models"))")
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
      maxFaces: try query.int("max_faces", in: 1...1000), boxes: try query.boxes("boxes"))
    return AnalyzeQuery(
      options: options, tag: try query.string("tag", maxLength: 100),
      store: try query.bool("store", default: true))
  }

  /// The request body, refusing early when `Content-Length` already says it is too large.
  func body(_ request: Request, limit: Int) async throws -> [UInt8] {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      throw Problem(
        .contentTooLarge, kind: "body-too-large",
        detail: "the body is \(length) bytes; the limit is \(limit)")
    }
    do {
      let buffer = try await request.body.collect(upTo: limit)
      return Array(buffer.readableBytesView)
    } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
      throw Problem(
        .contentTooLarge, kind: "body-too-large",
        detail: "the body exceeds the limit of \(limit) bytes")
    }
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

  /// Analyses one image and, when asked, records it before answering.
  func analyzeOne(image: [UInt8], name: String?, query: AnalyzeQuery) async throws
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
    var answer = Wire.Analysis(
      image: name, result: result, model: query.options.model, elapsedMs: elapsedMs, id: nil,
      tag: query.tag, createdAt: nil)
    if query.store {
      let record = try await store.insert(
        createdAt: now(), tag: query.tag, model: query.options.model, result: result,
        elapsedMs: elapsedMs)
      answer.id = record.id
      answer.createdAt = record.createdAt
    }
    return answer
  }

  /// The status for each failure of Learning's `EmotionPipeline`, for an analyzer built on it.
  static func problem(for error: AnalysisError) -> Problem {
    switch error {
    case .unreadable, .undecodable:
      return Problem(.unsupportedMediaType, kind: "not-an-image", detail: error.description)
    case .imageTooLarge:
      return Problem(.contentTooLarge, kind: "image-too-large", detail: error.description)
    case .invalidBox, .tooManyBoxes, .invalidOptions, .noFaceDetector, .detectionFailed,
      .classifierFailed, .invalidClassifierOutput:
      return Problem(.unprocessableContent, kind: "unusable-image", detail: error.description)
    }
  }

  /// `POST /api/v1/analyze`: one image, raw or as the multipart field `image`.
  func analyze(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    let query = try analyzeQuery(request)
    let mediaType = Self.mediaType(request)
    let image: [UInt8]
    var name: String?
    switch mediaType {
    case "multipart/form-data"?:
      let bytes = try await body(request, limit: configuration.maxBodyBytes)
      let parts = try Self.imageParts(
        bytes, contentType: request.headers[.contentType] ?? "", maxParts: 16)
      guard let part = parts.first else {
        throw Problem(
          .badRequest, kind: "missing-image", detail: "the form has no 'image' file field")
      }
      image = part.body
      name = part.filename
    case let type? where Self.rawImageTypes.contains(type) || type.hasPrefix("image/"):
      image = try await body(request, limit: configuration.maxBodyBytes)
    default:
      throw Problem(
        .unsupportedMediaType, kind: "not-an-image",
        detail: "send an image (image/jpeg, image/png, image/webp) or multipart/form-data, not "
          + (mediaType ?? "a body without Content-Type"))
    }
    return try Wire.json(try await analyzeOne(image: image, name: name, query: query))
  }

  /// `POST /api/v1/analyze/batch`: up to `maxBatchImages` images in one multipart body; one
  /// result or problem per image, in order.
  func analyzeBatch(_ request: Request, _ context: EmoclRequestContext) async throws -> Response {
    let query = try analyzeQuery(request)
    guard Self.mediaType(request) == "multipart/form-data" else {
      throw Problem(
        .unsupportedMediaType, kind: "not-multipart",
        detail: "a batch is multipart/form-data with one 'images' file field per image")
    }
    let limit = configuration.maxBatchImages
    let bytes = try await body(request, limit: configuration.maxBatchBytes)
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
    var results: [Wire.BatchItem] = []
    for part in parts {
      do {
        results.append(
          .analysis(try await analyzeOne(image: part.body, name: part.filename, query: query)))
      } catch let problem as Problem where problem.status != .serviceUnavailable {
        metrics.recordError(kind: problem.kind)
        results.append(.failure(image: part.filename, problem: problem.body(instance: nil)))
      }
    }
    let elapsed = ContinuousClock.now - start
    return try Wire.json(
      Wire.Batch(
        model: query.options.model,
        elapsedMs: Double(elapsed.components.seconds) * 1000
          + Double(elapsed.components.attoseconds) / 1e15,
        results: results))
  }
}
