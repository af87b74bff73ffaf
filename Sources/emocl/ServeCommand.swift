import ArgumentParser
import Foundation
import Logging
import Pipeline
import Service
import Tensor

/// `emocl serve`: the web page and the JSON API. Every option also has an `EMOCL_*` variable.
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve the web page and the JSON API.",
    discussion: """
      Each option can also be set by an environment variable: EMOCL_HOST, EMOCL_PORT, \
      EMOCL_MODELS, EMOCL_DATABASE, EMOCL_TLS_CERT, EMOCL_TLS_KEY, EMOCL_RETENTION_DAYS, \
      EMOCL_RATE_LIMIT, EMOCL_MAX_BODY_MB, EMOCL_FLIP, EMOCL_CNN_INT8 (off for --float-cnn), \
      EMOCL_DETECTOR, EMOCL_LOG_LEVEL, EMOCL_WORKERS, \
      EMOCL_UPLOAD_DIR, EMOCL_MAX_VIDEO_MB, EMOCL_MAX_CONNECTIONS, \
      EMOCL_MAX_CONNECTIONS_PER_CLIENT; and without an option: EMOCL_IDLE_TIMEOUT (s, \
      default 30), EMOCL_BODY_TIMEOUT (s, default 60), EMOCL_UPLOAD_TIMEOUT (s, default 1800). \
      Options win over variables.
      Not for use at work or in education in the EU (AI Act, Article 5(1)(f)).
      """)

  @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
  @Option(help: "Port (default 8080; 0 picks a free one).") var port: Int?
  @Option(
    name: .customLong("models"),
    help: "Folder of model files cnn/logreg/svm.safetensors (default: the repository's Models/).")
  var models: String?
  @Option(
    help: "sqlite:PATH (default sqlite:data/emocl.sqlite) or postgres://user:pass@host:port/db.")
  var database: String?
  @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for HTTPS.") var tlsCert:
    String?
  @Option(name: .customLong("tls-key"), help: "PEM private key for HTTPS.") var tlsKey: String?
  @Option(name: .customLong("retention-days"), help: "Delete records older than this many days.")
  var retentionDays: Int?
  @Option(
    name: .customLong("rate-limit"),
    help: "Requests per key or address on /api: N/s, N/min or N/h (default: no limit).")
  var rateLimit: String?
  @Option(
    help: """
      on: the CNN classifies each face with its mirror image (default for the shipped model: \
      most accurate); off: half the CNN's work per face, about one point less val accuracy.
      """)
  var flip: String?
  @Option(
    name: .customLong("log-level"), help: "trace, debug, info (default), notice, warning, error.")
  var logLevel: String?
  @Option(
    help: """
      Video job workers in this server (0-16, default 1); 0 leaves uploaded videos to \
      `emocl worker` processes sharing the database and upload folder.
      """)
  var workers: Int?
  @Option(
    name: .customLong("upload-dir"),
    help: "Folder for uploaded videos until analysed (default data/uploads); shared with workers.")
  var uploadDir: String?
  @Option(name: .customLong("max-video-mb"), help: "Largest video upload in MB (default 500).")
  var maxVideoMB: Int?
  @Option(
    name: .customLong("max-connections"),
    help: "Most connections open at once (default 1024); more are answered 503 and closed.")
  var maxConnections: Int?
  @Option(
    name: .customLong("max-connections-per-client"),
    help: """
      Most connections open at once from one address (default 128). Behind a reverse proxy \
      every client has the proxy's address: set it to --max-connections there.
      """)
  var maxConnectionsPerClient: Int?
  @Option(help: Self.detectorHelp) var detector: FaceDetectorKind?
  @Flag(name: .customLong("int8-pnet"), help: Predict.int8PNetHelp) var int8PNet = false
  @Flag(name: .customLong("float-cnn"), help: Predict.floatCNNHelp) var floatCNN = false
  @Flag(name: .customLong("int8-refine"), help: Predict.int8RefineHelp) var int8Refine = false

  static let detectorHelp = ArgumentHelp(
    """
    The face detector of requests that name none (the API's detector=) and of video jobs: cnn \
    (MTCNN, the default: finds the most faces) or haar (OpenCV's cascades: about five times the \
    photos per second, fewer faces found; README "Speed").
    """, valueName: "cnn|haar")

  func run() async throws {
    // The CNN's replicas and MTCNN's bands are the workers; OpenBLAS runs single-threaded
    // under them (more threads on top oversubscribe the cores).
    ThreadPolicy(blasThreads: 1).configureProcess()
    let environment = ProcessInfo.processInfo.environment
    var configuration = try ServiceConfiguration.fromEnvironment(environment)
    if let host { configuration.host = host }
    if let port { configuration.port = port }
    if let models { configuration.modelsDirectory = models }
    if let database { configuration.database = try DatabaseURL.parse(database) }
    if let tlsCert { configuration.tlsCertificate = tlsCert }
    if let tlsKey { configuration.tlsKey = tlsKey }
    if let retentionDays { configuration.retentionDays = retentionDays }
    if let rateLimit { configuration.rateLimit = try RateLimit.parse(rateLimit) }
    if let flip { configuration.cnnFlip = try ServiceConfiguration.onOff(flip, "--flip") }
    if floatCNN { configuration.cnnInt8 = false }
    if let detector { configuration.faceDetector = detector }
    if let workers { configuration.videoWorkers = workers }
    if let uploadDir { configuration.uploadDirectory = uploadDir }
    if let maxVideoMB {
      guard (1...ServiceConfiguration.maxVideoMegabytes).contains(maxVideoMB) else {
        throw ValidationError(
          "--max-video-mb: expected 1...\(ServiceConfiguration.maxVideoMegabytes), got \(maxVideoMB)"
        )
      }
      configuration.maxVideoBytes = maxVideoMB * 1024 * 1024
    }
    if let maxConnections { configuration.maxConnections = maxConnections }
    if let maxConnectionsPerClient {
      configuration.maxConnectionsPerClient = maxConnectionsPerClient
    }
    try configuration.validate()
    do { try UploadFolder(configuration.uploadDirectory).prepare() } catch {
      throw ValidationError(error.description)
    }

    let logger = try Self.bootstrapLogging(level: logLevel ?? environment["EMOCL_LOG_LEVEL"])
    // One descriptor a connection, and some for the database, models and uploads.
    let wanted = UInt64(configuration.maxConnections) + 256
    if let soft = OpenFileLimit.raise(to: wanted), soft < wanted {
      logger.warning(
        "the open-file limit is below the connection cap; past it, connections wait to be accepted",
        metadata: ["limit": "\(soft)", "max_connections": "\(configuration.maxConnections)"])
    }
    try Self.createParentFolder(of: configuration.database)
    // Models first: a missing model folder is the likelier mistake and needs no database.
    let analyzer = try makeServeAnalyzer(
      modelsDirectory: configuration.modelsDirectory,
      cnn: CNNOptions(flip: configuration.cnnFlip, int8: configuration.cnnInt8),
      maxQueued: configuration.maxQueuedAnalyses, detector: configuration.faceDetector,
      quantizedPNet: int8PNet, quantizedRefinement: int8Refine, logger: logger)
    let store = try SQLStore(
      url: configuration.database, logger: logger, timeout: configuration.databaseTimeout)
    // Video jobs: the workers of this server, if any, analyse with the same models.
    let videoAnalyzer =
      configuration.videoWorkers > 0
      ? try makeVideoAnalyzer(
        modelsDirectory: configuration.modelsDirectory,
        detector: configuration.faceDetector ?? .standard, quantizedPNet: int8PNet,
        quantizedRefinement: int8Refine,
        cnn: CNNOptions(int8: configuration.cnnInt8)) : nil
    let service = EmoclService(
      configuration: configuration, analyzer: analyzer, store: store,
      storeServices: store.services, videoAnalyzer: videoAnalyzer, logger: logger)
    try await service.run()
  }

  /// swift-log to standard error, one line per event with key=value metadata.
  static func bootstrapLogging(level: String?) throws -> Logger {
    let parsed = try level.map { name in
      guard let level = Logger.Level(rawValue: name.lowercased()) else {
        throw ValidationError("log level must be one of \(Logger.Level.allCases.map(\.rawValue))")
      }
      return level
    }
    LoggingSystem.bootstrap(StreamLogHandler.standardError)
    var logger = Logger(label: "emocl")
    logger.logLevel = parsed ?? .info
    return logger
  }

  /// SQLite creates the file but not its folder.
  static func createParentFolder(of database: DatabaseURL) throws {
    guard case .sqlite(let path) = database else { return }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }
}
