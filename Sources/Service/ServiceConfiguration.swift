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
  /// Largest batch request body, default 50 MB.
  public var maxBatchBytes = 50 * 1024 * 1024
  /// Most images in one batch, default 32.
  public var maxBatchImages = 32
  /// How long a read of the API-key table is reused (a revoked key stops working after this).
  public var keyRefreshInterval = Duration.seconds(1)
  /// How long a database operation may take before it counts as the database being down.
  public var databaseTimeout = Duration.seconds(5)

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
      c.retentionDays = try positive(v, "EMOCL_RETENTION_DAYS")
    }
    if let v = value("EMOCL_RATE_LIMIT") { c.rateLimit = try RateLimit.parse(v) }
    if let v = value("EMOCL_FLIP") { c.cnnFlip = try onOff(v, "EMOCL_FLIP") }
    if let v = value("EMOCL_MAX_BODY_MB") {
      c.maxBodyBytes = try positive(v, "EMOCL_MAX_BODY_MB") * 1024 * 1024
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
    if let r = retentionDays, r < 1 { throw ConfigurationError("retention days must be ≥ 1") }
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

  static func positive(_ text: String, _ name: String) throws(ConfigurationError) -> Int {
    guard let v = Int(text), v >= 1 else {
      throw ConfigurationError("\(name): expected a whole number ≥ 1, got \(text)")
    }
    return v
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
