import ArgumentParser
import Foundation
import Logging
import Pipeline
import Service
import ServiceLifecycle
import Tensor

/// `emocl worker`: analyses uploaded videos, taking jobs from the database that `emocl serve`
/// fills, until SIGTERM or SIGINT (a job in progress is then handed back to the queue).
struct Worker: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Analyse uploaded videos: take jobs from the database until stopped.",
    discussion: """
      Run any number, on any machine that reaches the database and sees the upload folder \
      (a shared mount). A worker holds a job under a lease that it renews while it works; if it \
      is killed, the job is taken again by another worker once the lease runs out, and its \
      results are stored once. Options can also be set by EMOCL_DATABASE, EMOCL_MODELS, \
      EMOCL_UPLOAD_DIR, EMOCL_DETECTOR and EMOCL_LOG_LEVEL.
      Not for use at work or in education in the EU (AI Act, Article 5(1)(f)).
      """)

  @Option(help: "sqlite:PATH (default sqlite:data/emocl.sqlite) or postgres://user:pass@host/db.")
  var database: String?
  @Option(
    name: .customLong("models"),
    help: "Folder of model files (default: the repository's Models/); the CNN is used.")
  var models: String?
  @Option(
    name: .customLong("upload-dir"),
    help: "The upload folder emocl serve writes (default data/uploads).")
  var uploadDir: String?
  @Option(help: "Workers in this process (1-16, default 1).") var workers: Int = 1
  @Option(
    name: .customLong("lease-seconds"),
    help: "How long a job is held without renewal before another worker may take it (default 60).")
  var leaseSeconds: Int = 60
  @Option(
    name: .customLong("max-attempts"),
    help: "A job whose workers stopped this many times is marked failed (default 3).")
  var maxAttempts: Int = 3
  @Option(name: .customLong("log-level"), help: "trace, debug, info (default), warning, error.")
  var logLevel: String?
  @Option(
    help: ArgumentHelp(
      "The face detector: cnn (MTCNN, the default) or haar (OpenCV's cascades).",
      valueName: "cnn|haar"))
  var detector: FaceDetectorKind?

  func run() async throws {
    // The CNN's replicas and MTCNN's bands are the workers; OpenBLAS runs single-threaded
    // under them (more threads on top oversubscribe the cores).
    ThreadPolicy(blasThreads: 1).configureProcess()
    let environment = ProcessInfo.processInfo.environment
    var configuration = try ServiceConfiguration.fromEnvironment(environment)
    if let database { configuration.database = try DatabaseURL.parse(database) }
    if let models { configuration.modelsDirectory = models }
    if let uploadDir { configuration.uploadDirectory = uploadDir }
    if let detector { configuration.faceDetector = detector }
    guard (1...ServiceConfiguration.maxVideoWorkers).contains(workers) else {
      throw ValidationError("--workers: expected 1...\(ServiceConfiguration.maxVideoWorkers)")
    }
    guard (5...3600).contains(leaseSeconds) else {
      throw ValidationError("--lease-seconds: expected 5...3600, got \(leaseSeconds)")
    }
    guard (1...100).contains(maxAttempts) else {
      throw ValidationError("--max-attempts: expected 1...100, got \(maxAttempts)")
    }
    try configuration.validate()
    do { try UploadFolder(configuration.uploadDirectory).prepare() } catch {
      throw ValidationError(error.description)
    }
    let logger = try Serve.bootstrapLogging(level: logLevel ?? environment["EMOCL_LOG_LEVEL"])
    try Serve.createParentFolder(of: configuration.database)
    let analyzer = try makeVideoAnalyzer(
      modelsDirectory: configuration.modelsDirectory,
      detector: configuration.faceDetector ?? .standard,
      cnn: CNNOptions(int8: configuration.cnnInt8))
    let store = try SQLStore(
      url: configuration.database, logger: logger, timeout: configuration.databaseTimeout)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for service in store.services { group.addTask { try await service.run() } }
      defer { group.cancelAll() }
      try await Self.migrate(store, logger: logger)
      let jobWorkers: [any Service] = (0..<workers).map { _ in
        VideoJobWorker(
          store: store, analyzer: analyzer, uploadDirectory: configuration.uploadDirectory,
          lease: .seconds(leaseSeconds), maxAttempts: maxAttempts, logger: logger)
      }
      logger.info(
        "worker starting",
        metadata: [
          "database": "\(store.databaseName)", "workers": "\(workers)",
          "uploads": "\(configuration.uploadDirectory)",
        ])
      let serviceGroup = ServiceGroup(
        configuration: .init(
          services: jobWorkers, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
      try await serviceGroup.run()
    }
  }

  /// The schema, retried while the database is not up yet (a worker may start before it).
  static func migrate(_ store: SQLStore, logger: Logger) async throws {
    for attempt in 1... {
      do {
        try await store.migrate()
        return
      } catch {
        if attempt >= 30 { throw error }
        logger.warning("database not ready; retrying", metadata: ["error": "\(error)"])
        try await Task.sleep(for: .seconds(2))
      }
    }
  }
}
