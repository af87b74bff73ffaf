import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import Pipeline
import ServiceLifecycle

/// The web service: routes, page, storage and their lifecycle. Build it with an analyzer and a
/// store, then `run()` it (the CLI's `emocl serve`) or test `makeApplication()` in-process.
public struct EmoclService: Sendable {
  public let configuration: ServiceConfiguration
  public let analyzer: any EmotionAnalyzer
  public let store: any AnalysisStore
  /// Services the store needs running (the PostgreSQL pool); see `SQLStore.services`.
  public let storeServices: [any Service]
  /// Where video jobs and their results live (nil: the video routes answer 501).
  public let videoStore: (any VideoJobStore)?
  /// Analyses videos for this server's job workers (nil: no workers here; other processes,
  /// `emocl worker`, may take the jobs).
  public let videoAnalyzer: (any VideoAnalyzing)?
  /// Where audience sessions live (the store itself when it keeps them).
  public var sessionStore: (any AudienceSessionStore)? {
    (store as? any AudienceSessionStore) ?? (videoStore as? any AudienceSessionStore)
  }
  public let logger: Logger
  public let metrics: ServiceMetrics
  /// Counts open connections against `configuration.maxConnections` and its per-client cap.
  public let connections: ConnectionGate
  /// Current time in microseconds since 1970 UTC; replaceable for tests.
  public let now: @Sendable () -> Int64
  let publicFiles: PublicFiles
  let keys: KeyCheck
  let limiter: RateLimiter?

  public init(
    configuration: ServiceConfiguration, analyzer: any EmotionAnalyzer, store: any AnalysisStore,
    storeServices: [any Service] = [], videoStore: (any VideoJobStore)? = nil,
    videoAnalyzer: (any VideoAnalyzing)? = nil, logger: Logger,
    now: @escaping @Sendable () -> Int64 = EmoclService.systemNow
  ) {
    self.configuration = configuration
    self.analyzer = analyzer
    self.store = store
    self.storeServices = storeServices
    self.videoStore = videoStore ?? (store as? any VideoJobStore)
    self.videoAnalyzer = videoAnalyzer
    self.logger = logger
    self.now = now
    connections = ConnectionGate(
      maxConnections: configuration.maxConnections,
      maxPerClient: configuration.maxConnectionsPerClient)
    metrics = ServiceMetrics(connections: connections)
    publicFiles = PublicFiles.load(logger: logger)
    keys = KeyCheck(
      store: store, refreshInterval: configuration.keyRefreshInterval,
      retryAfterFailure: configuration.keyRetryAfterFailure)
    limiter = configuration.rateLimit.map { RateLimiter($0) }
  }

  /// The wall clock in microseconds since 1970 UTC.
  @Sendable public static func systemNow() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
  }

  /// Loads a TLS file with `load`, naming the file and the reason when it fails (NIOSSL says
  /// only `failedToLoadCertificate`).
  static func tlsFile<T>(_ what: String, _ path: String, _ load: () throws -> T) throws -> T {
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw ConfigurationError("TLS \(what) \(path): no such file or not readable")
    }
    do {
      return try load()
    } catch {
      throw ConfigurationError("TLS \(what) \(path): not a PEM \(what) NIOSSL can load (\(error))")
    }
  }

  /// The Hummingbird application: router, middleware, the server (HTTP or HTTPS), and the
  /// store's services plus migration and retention. `onServerRunning` gets the bound port.
  public func makeApplication(
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    let router = Router(context: EmoclRequestContext.self, options: [.autoGenerateHeadEndpoints])
    router.add(middleware: ProblemMiddleware(metrics: metrics))
    addRoutes(to: router, guard: APIGuardMiddleware(keys: keys, limiter: limiter))

    // A connection that sends nothing — no request, or a request head that never completes —
    // is closed after the idle timeout; a body that arrives too slowly is cut off by the body
    // timeout in `body(_:limit:)`. Neither can hold a connection for ever.
    let idle = configuration.idleTimeout.components
    // Clients that wait for `100 Continue` before sending a body get it at once
    // (ContinueHandler); requests the HTTP/1 decoder cannot read get problem+json
    // (ParseErrorHandler); a connection closed while the client still sends lingers, so the
    // client reads the answer instead of a reset (LingeringCloseHandler, first, so that every
    // close passes through it).
    let maxBody = max(
      configuration.maxBodyBytes, configuration.maxBatchBytes, configuration.maxVideoBytes)
    // Connections over the caps are answered 503 and closed (ConnectionGateHandler, after
    // LingeringCloseHandler, which closes them).
    let connections = self.connections
    // Answers that cannot be written for the idle timeout close the connection too
    // (WriteStallHandler: a client that sends requests and never reads the answers).
    let idleTimeout = TimeAmount.milliseconds(
      idle.seconds * 1000 + idle.attoseconds / 1_000_000_000_000_000)
    let http1 = HTTP1Channel.Configuration(
      additionalChannelHandlers: [
        LingeringCloseHandler(), ConnectionGateHandler(gate: connections),
        WriteStallHandler(timeout: idleTimeout),
        ContinueHandler(maxBody: maxBody), ParseErrorHandler(),
      ],
      idleTimeout: idleTimeout)
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
      let tls = TLSConfiguration.makeServerConfiguration(
        certificateChain: try Self.tlsFile("certificate", certificate) {
          try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
        },
        privateKey: .privateKey(
          try Self.tlsFile("key", key) { try NIOSSLPrivateKey(file: key, format: .pem) }))
      server = try .tls(.http1(configuration: http1), tlsConfiguration: tls)
    } else {
      server = .http1(configuration: http1)
    }
    var workers: [any Service] = []
    if let videoStore, let videoAnalyzer {
      for _ in 0..<configuration.videoWorkers {
        workers.append(
          VideoJobWorker(
            store: videoStore, analyzer: videoAnalyzer,
            uploadDirectory: configuration.uploadDirectory, lease: configuration.videoLease,
            now: now,
            logger: logger))
      }
    }
    var app = Application(
      router: router, server: server,
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port), serverName: "emocl"),
      services: storeServices
        + [
          StoreMaintenance(
            store: store, retentionDays: configuration.retentionDays, now: now, logger: logger)
        ] + workers,
      onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
      logger: logger)
    let store = self.store
    let logger = self.logger
    app.beforeServerStarts {
      do {
        try await store.migrate()
      } catch {
        logger.error(
          "database not ready; will retry",
          metadata: ["database": "\(store.databaseName)", "error": "\(error)"])
      }
    }
    return app
  }

  /// Runs the server until SIGTERM or SIGINT, then stops accepting connections and finishes the
  /// requests in flight before returning.
  public func run() async throws {
    let logger = self.logger
    let app = try makeApplication(onServerRunning: { port in
      logger.info("listening", metadata: ["port": "\(port)"])
    })
    let group = ServiceGroup(
      configuration: .init(
        services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    logger.info(
      "starting",
      metadata: [
        "address": "\(configuration.host):\(configuration.port)",
        "database": "\(store.databaseName)",
        "models": "\(analyzer.models.map(\.name))",
        "tls": "\(configuration.tlsCertificate != nil)",
      ])
    try await group.run()
  }

}
