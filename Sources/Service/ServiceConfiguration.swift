import Pipeline

/// Every setting of `emocl serve`. Each has an environment variable (`EMOCL_*`); command-line
/// options override the environment, which overrides the defaults.
public struct ServiceConfiguration: Sendable, Equatable {
  /// Address to listen on (`EMOCL_HOST`), default 127.0.0.1.
  public var host = "127.0.0.1"
  /// Port (`EMOCL_PORT`), default 8080; 0 picks a free one.
  public var port = 8080
  /// Folder holding the model files `cnn.safetensors`, `logreg.safetensors`, `svm.safetensors`
  /// (`EMOCL_MODELS`); nil means the repository's `Models/` (found by `emocl serve`).
  public var modelsDirectory: String?
  /// Where results go (`EMOCL_DATABASE`), default `sqlite:data/emocl.sqlite`.
  public var database = DatabaseURL.sqlite(path: "data/emocl.sqlite")
  /// PEM certificate chain and private key for HTTPS (`EMOCL_TLS_CERT`, `EMOCL_TLS_KEY`).
  public var tlsCertificate: String?
  public var tlsKey: String?
  /// Delete records older than this many days (`EMOCL_RETENTION_DAYS`); nil keeps everything.
  public var retentionDays: Int?
  /// Requests per API key or client address on `/api` (`EMOCL_RATE_LIMIT`, e.g. `10/s`);
  /// nil = off.
  public var rateLimit: RateLimit?
  /// Largest request body for one image (`EMOCL_MAX_BODY_MB`), default 10 MB.
  public var maxBodyBytes = 10 * 1024 * 1024
  /// Whether the CNN classifies each face together with its mirror image (nil: as its card
  /// says; the shipped model does). Off halves the network's cost per face, at about one
  /// point of val accuracy.
  public var cnnFlip: Bool?
  /// Whether the CNN runs in 8 bits where the card and CPU allow (`EMOCL_CNN_INT8`, default
  /// on; see `CNNOptions.int8`).
  public var cnnInt8 = true
  /// The face detector for requests that name none and for this server's video jobs
  /// (`EMOCL_DETECTOR`: cnn or haar). nil: the standard one (cnn), or the Haar cascades when the
  /// MTCNN file cannot be loaded; a detector named here must load, or the server does not start.
  public var faceDetector: FaceDetectorKind?
  /// Largest batch request body, default 50 MB.
  public var maxBatchBytes = 50 * 1024 * 1024
  /// Most images in one batch, default 32.
  public var maxBatchImages = 32
  /// Most pixels decoded for one batch, default 200 million: an image that would take the
  /// images analysed so far past it is refused in its result (413, `batch-too-large`) from its
  /// header, without decoding; later images that fit are analysed.
  public var maxBatchPixels = 200_000_000
  /// Most analyses waiting for a thread (beyond the 32 running); more are refused at once
  /// with 503 and `Retry-After` instead of queueing without end. Default 256.
  public var maxQueuedAnalyses = 256
  /// How long a read of the API-key table is reused (a revoked key stops working after this).
  public var keyRefreshInterval = Duration.seconds(1)
  /// After a failed read of the API-key table, how long requests use the keys read before (or
  /// answer 503 at once) instead of asking the database again.
  public var keyRetryAfterFailure = Duration.seconds(2)
  /// A connection that sends no complete request part for this long is closed: an idle
  /// keep-alive connection, or a client that opens one and sends nothing or half a request head
  /// (`EMOCL_IDLE_TIMEOUT`, seconds; default 30).
  public var idleTimeout = Duration.seconds(30)
  /// Most connections open at once (`EMOCL_MAX_CONNECTIONS`, default 1024); more are answered
  /// 503 `too-many-connections` and closed.
  public var maxConnections = 1024
  /// Most connections open at once from one client address (`EMOCL_MAX_CONNECTIONS_PER_CLIENT`,
  /// default 128). Behind a reverse proxy every client has the proxy's address: raise it to
  /// `maxConnections` there.
  public var maxConnectionsPerClient = 128
  /// Most time a request body may take to arrive in full; slower is a 408 and the connection is
  /// closed (`EMOCL_BODY_TIMEOUT`, seconds; default 60).
  public var bodyTimeout = Duration.seconds(60)
  /// How long a database operation may take before it counts as the database being down.
  public var databaseTimeout = Duration.seconds(5)
  /// Folder for uploaded videos until their job ends (`EMOCL_UPLOAD_DIR`, default
  /// `data/uploads`). Workers on other machines must see the same folder (a shared mount).
  public var uploadDirectory = "data/uploads"
  /// Largest video upload (`EMOCL_MAX_VIDEO_MB`), default 500 MB. Uploads are streamed to disk,
  /// never held in memory.
  public var maxVideoBytes = 500 * 1024 * 1024
  /// Most time a video upload may take (`EMOCL_UPLOAD_TIMEOUT`, seconds; default 1800). A
  /// client that stops sending is closed sooner, by the idle timeout.
  public var uploadTimeout = Duration.seconds(1800)
  /// Video job workers inside this server (`EMOCL_WORKERS`, 0…16; default 1). 0 leaves the jobs
  /// to `emocl worker` processes.
  public var videoWorkers = 1
  /// Most videos queued or being analysed; more uploads are refused with 503 and `Retry-After`.
  public var maxPendingVideos = 100
  /// How long a worker holds a video job without renewing it; a killed worker's job is taken
  /// again after this.
  public var videoLease = Duration.seconds(60)

  public init() {}

  /// The defaults overridden by the `EMOCL_*` variables in `environment`.
  public static func fromEnvironment(_ environment: [String: String]) throws(ConfigurationError)
    -> ServiceConfiguration
  {
    var c = ServiceConfiguration()
    func value(_ name: String) -> String? {
      guard let v = environment[name], !v.isEmpty else { return nil }
      return v
    }
    if let v = value("EMOCL_HOST") { c.host = v }
    if let v = value("EMOCL_PORT") { c.port = try port(v, "EMOCL_PORT") }
    if let v = value("EMOCL_MODELS") { c.modelsDirectory = v }
    if let v = value("EMOCL_DATABASE") { c.database = try DatabaseURL.parse(v) }
    if let v = value("EMOCL_TLS_CERT") { c.tlsCertificate = v }
    if let v = value("EMOCL_TLS_KEY") { c.tlsKey = v }
    if let v = value("EMOCL_RETENTION_DAYS") {
      c.retentionDays = try positive(v, "EMOCL_RETENTION_DAYS", maximum: maxRetentionDays)
    }
    if let v = value("EMOCL_RATE_LIMIT") { c.rateLimit = try RateLimit.parse(v) }
    if let v = value("EMOCL_IDLE_TIMEOUT") {
      c.idleTimeout = .seconds(try positive(v, "EMOCL_IDLE_TIMEOUT", maximum: 3600))
    }
    if let v = value("EMOCL_BODY_TIMEOUT") {
      c.bodyTimeout = .seconds(try positive(v, "EMOCL_BODY_TIMEOUT", maximum: 3600))
    }
    if let v = value("EMOCL_MAX_CONNECTIONS") {
      c.maxConnections = try positive(v, "EMOCL_MAX_CONNECTIONS", maximum: maxConnectionLimit)
    }
    if let v = value("EMOCL_MAX_CONNECTIONS_PER_CLIENT") {
      c.maxConnectionsPerClient = try positive(
        v, "EMOCL_MAX_CONNECTIONS_PER_CLIENT", maximum: maxConnectionLimit)
    }
    if let v = value("EMOCL_FLIP") { c.cnnFlip = try onOff(v, "EMOCL_FLIP") }
    if let v = value("EMOCL_CNN_INT8") { c.cnnInt8 = try onOff(v, "EMOCL_CNN_INT8") }
    if let v = value("EMOCL_DETECTOR") { c.faceDetector = try detector(v, "EMOCL_DETECTOR") }
    if let v = value("EMOCL_UPLOAD_DIR") { c.uploadDirectory = v }
    if let v = value("EMOCL_MAX_VIDEO_MB") {
      c.maxVideoBytes =
        try positive(v, "EMOCL_MAX_VIDEO_MB", maximum: maxVideoMegabytes) * 1024 * 1024
    }
    if let v = value("EMOCL_UPLOAD_TIMEOUT") {
      c.uploadTimeout = .seconds(try positive(v, "EMOCL_UPLOAD_TIMEOUT", maximum: 86_400))
    }
    if let v = value("EMOCL_WORKERS") {
      guard let n = Int(v), (0...maxVideoWorkers).contains(n) else {
        throw ConfigurationError("EMOCL_WORKERS: expected 0...\(maxVideoWorkers), got \(v)")
      }
      c.videoWorkers = n
    }
    if let v = value("EMOCL_MAX_BODY_MB") {
      c.maxBodyBytes = try positive(v, "EMOCL_MAX_BODY_MB", maximum: maxBodyMegabytes) * 1024 * 1024
    }
    try c.validate()
    return c
  }

  /// Checks combinations the types cannot express.
  public func validate() throws(ConfigurationError) {
    guard (0...65535).contains(port) else {
      throw ConfigurationError("port: \(port) not in 0...65535")
    }
    guard (tlsCertificate == nil) == (tlsKey == nil) else {
      throw ConfigurationError("TLS needs both a certificate (--tls-cert) and a key (--tls-key)")
    }
    if let r = retentionDays, !(1...Self.maxRetentionDays).contains(r) {
      throw ConfigurationError("retention days: expected 1...\(Self.maxRetentionDays), got \(r)")
    }
    let megabyte = 1024 * 1024
    guard (1...Self.maxBodyMegabytes * megabyte).contains(maxBodyBytes),
      (1...Self.maxBodyMegabytes * megabyte).contains(maxBatchBytes)
    else {
      throw ConfigurationError("body limits: expected 1...\(Self.maxBodyMegabytes) MB")
    }
    guard (1...Self.maxVideoMegabytes * megabyte).contains(maxVideoBytes) else {
      throw ConfigurationError("video limit: expected 1...\(Self.maxVideoMegabytes) MB")
    }
    guard (0...Self.maxVideoWorkers).contains(videoWorkers) else {
      throw ConfigurationError("workers: expected 0...\(Self.maxVideoWorkers), got \(videoWorkers)")
    }
    guard !uploadDirectory.isEmpty else {
      throw ConfigurationError("upload directory: must not be empty")
    }
    guard (1...1000).contains(maxBatchImages) else {
      throw ConfigurationError("batch images: expected 1...1000, got \(maxBatchImages)")
    }
    guard (1...Self.maxConnectionLimit).contains(maxConnections),
      (1...Self.maxConnectionLimit).contains(maxConnectionsPerClient)
    else {
      throw ConfigurationError(
        "connection limits: expected 1...\(Self.maxConnectionLimit), got \(maxConnections) and "
          + "\(maxConnectionsPerClient) per client")
    }
    if let r = rateLimit, r.requests < 1 || r.seconds < 1 {
      throw ConfigurationError("rate limit must allow at least 1 request per period")
    }
  }

  static func port(_ text: String, _ name: String) throws(ConfigurationError) -> Int {
    guard let p = Int(text), (0...65535).contains(p) else {
      throw ConfigurationError("\(name): expected a port 0...65535, got \(text)")
    }
    return p
  }

  /// The longest retention accepted: 100 years (a larger number would overflow the cut-off time).
  public static let maxRetentionDays = 36_500
  /// The largest connection cap accepted (a process has rarely more descriptors).
  public static let maxConnectionLimit = 1_000_000
  /// The largest body limit accepted, in MB.
  public static let maxBodyMegabytes = 4096
  /// The largest video upload limit accepted, in MB (100 GB).
  public static let maxVideoMegabytes = 102_400
  /// The most video workers one server may run.
  public static let maxVideoWorkers = 16

  static func positive(_ text: String, _ name: String, maximum: Int) throws(ConfigurationError)
    -> Int
  {
    guard let v = Int(text), (1...maximum).contains(v) else {
      throw ConfigurationError("\(name): expected a whole number in 1...\(maximum), got \(text)")
    }
    return v
  }

  /// A face detector's name (`cnn` or `haar`, any case) for `name`.
  public static func detector(_ text: String, _ name: String) throws(ConfigurationError)
    -> FaceDetectorKind
  {
    guard let kind = FaceDetectorKind(rawValue: text.lowercased()) else {
      throw ConfigurationError("\(name): expected one of \(FaceDetectorKind.names), got \(text)")
    }
    return kind
  }

  /// `on` or `off` (also true/false, yes/no, 1/0) for `name`.
  public static func onOff(_ text: String, _ name: String) throws(ConfigurationError) -> Bool {
    switch text.lowercased() {
    case "on", "true", "yes", "1": return true
    case "off", "false", "no", "0": return false
    default: throw ConfigurationError("\(name): expected on or off, got \(text)")
    }
  }
}
