import Pipeline
import Service
import Testing

@Suite("Multipart")
struct MultipartTests {
  static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  @Test("boundary from Content-Type, plain or quoted")
  func boundary() {
    #expect(Multipart.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
    #expect(Multipart.boundary(contentType: "Multipart/Form-Data;boundary=\"a b;c\"") == "a b;c")
    #expect(Multipart.boundary(contentType: "multipart/form-data") == nil)
    #expect(Multipart.boundary(contentType: "text/plain; boundary=abc") == nil)
    #expect(
      Multipart.boundary(
        contentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
  }

  @Test("parts with names, file names, types and binary bodies")
  func parts() throws {
    let body =
      Self.bytes(
        "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"tag\"\r\n\r\nad-1\r\n")
      + Self.bytes(
        "--XyZ\r\ncontent-disposition: form-data; name=\"image\"; filename=\"a;b.jpg\"\r\n")
      + Self.bytes("Content-Type: image/jpeg\r\n\r\n") + [
        0xFF, 0xD8, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF, 0xD9,
      ]
      + Self.bytes("\r\n--XyZ--\r\nepilogue")
    let parts = try Multipart.parse(body, boundary: "XyZ")
    #expect(parts.count == 2)
    #expect(
      parts[0]
        == MultipartPart(name: "tag", filename: nil, contentType: nil, body: Self.bytes("ad-1")))
    #expect(parts[1].name == "image" && parts[1].filename == "a;b.jpg")
    #expect(parts[1].contentType == "image/jpeg")
    // CRLF-- inside the data that is not followed by the boundary stays part of the body.
    #expect(parts[1].body == [0xFF, 0xD8, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF, 0xD9])
  }

  @Test("a body starting with the boundary, an empty part, and a part without headers")
  func edges() throws {
    let body = Self.bytes(
      "--b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--b\r\n\r\nraw\r\n--b--")
    let parts = try Multipart.parse(body, boundary: "b")
    #expect(parts.map(\.body) == [[], Self.bytes("raw")])
    #expect(parts[1].name == nil)
  }

  @Test(
    "malformed bodies are typed errors",
    arguments: [
      ("no boundary at all", "hello"),
      ("truncated part", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc"),
      ("unterminated headers", "--b\r\nContent-Disposition: form-data"),
      ("header without colon", "--b\r\nnot a header\r\n\r\nx\r\n--b--"),
      ("not form-data", "--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--"),
      ("boundary without CRLF", "--bX\r\n\r\nx\r\n--b--"),
    ])
  func malformed(_ why: String, _ body: String) {
    #expect(throws: MultipartError.self, "\(why)") {
      try Multipart.parse(Self.bytes(body), boundary: "b")
    }
  }

  @Test("the part limit is enforced")
  func tooManyParts() {
    let part = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n"
    let body = Self.bytes(String(repeating: part, count: 5) + "--b--")
    #expect(throws: MultipartError.tooManyParts(limit: 4)) {
      try Multipart.parse(body, boundary: "b", maxParts: 4)
    }
    #expect((try? Multipart.parse(body, boundary: "b", maxParts: 5))?.count == 5)
  }
}

@Suite("RFC 3339")
struct RFC3339Tests {
  @Test("formats UTC with and without a fraction")
  func format() {
    #expect(RFC3339.format(micros: 0) == "1970-01-01T00:00:00Z")
    // 2026-11-27T08:30:05.000250Z: 1795768205 s (date -u -d @1795768205), plus 250 µs.
    #expect(RFC3339.format(micros: 1_795_768_205_000_250) == "2026-11-27T08:30:05.000250Z")
    #expect(RFC3339.format(micros: 951_782_400_000_000) == "2000-02-29T00:00:00Z")
    #expect(RFC3339.format(micros: -1) == "1969-12-31T23:59:59.999999Z")
  }

  @Test("parses offsets, fractions and rejects nonsense")
  func parse() {
    #expect(RFC3339.parse("2026-11-27T08:30:05.00025Z") == 1_795_768_205_000_250)
    #expect(RFC3339.parse("2026-11-27T10:30:05.000250123+02:00") == 1_795_768_205_000_250)
    #expect(RFC3339.parse("2026-11-27t08:30:05z") == 1_795_768_205_000_000)
    #expect(RFC3339.parse("2000-02-29T00:00:00Z") == 951_782_400_000_000)
    for bad in [
      "2026-11-27", "2026-02-30T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T08:30:05",
      "2026-11-27T08:30:05.Z", "2026-11-27T08:30:05Zjunk", "yesterday", "", "2026-13-01T00:00:00Z",
      "1900-02-29T00:00:00Z",
    ] {
      #expect(RFC3339.parse(bad) == nil, "\(bad)")
    }
  }

  @Test("format and parse are inverse over a range of times")
  func roundTrip() {
    var t: Int64 = -86_400_000_000 * 800
    while t < 86_400_000_000 * 40_000 {
      #expect(RFC3339.parse(RFC3339.format(micros: t)) == t)
      t += 7_777_777_777_777
    }
  }
}

@Suite("Configuration")
struct ConfigurationTests {
  @Test("environment variables override defaults")
  func environment() throws {
    let c = try ServiceConfiguration.fromEnvironment([
      "EMOCL_HOST": "0.0.0.0", "EMOCL_PORT": "9000", "EMOCL_MODELS": "/m",
      "EMOCL_DATABASE": "postgres://u:p%40ss@db:5433/emo?sslmode=require",
      "EMOCL_RETENTION_DAYS": "30", "EMOCL_RATE_LIMIT": "120/min", "EMOCL_MAX_BODY_MB": "2",
      "EMOCL_FLIP": "off", "EMOCL_CNN_INT8": "off", "EMOCL_DETECTOR": "Haar",
    ])
    #expect(c.faceDetector == .haar)
    #expect(try ServiceConfiguration.fromEnvironment([:]).faceDetector == nil)
    #expect(c.cnnFlip == false)
    #expect(!c.cnnInt8)
    #expect(try ServiceConfiguration.fromEnvironment([:]).cnnInt8)
    #expect(try ServiceConfiguration.fromEnvironment(["EMOCL_FLIP": "On"]).cnnFlip == true)
    #expect(c.host == "0.0.0.0" && c.port == 9000 && c.modelsDirectory == "/m")
    #expect(
      c.retentionDays == 30 && c.rateLimit == RateLimit(requests: 120, seconds: 60)
        && c.maxBodyBytes == 2 * 1024 * 1024)
    guard case .postgres(let p) = c.database else {
      Issue.record("not postgres")
      return
    }
    #expect(p.host == "db" && p.port == 5433 && p.user == "u" && p.password == "p@ss")
    #expect(p.database == "emo" && p.tls == .require)
    #expect(c.database.description == "postgres://u@db:5433/emo")
    let d = try ServiceConfiguration.fromEnvironment([:])
    #expect(d == ServiceConfiguration() && d.cnnFlip == nil)
    #expect(d.database == .sqlite(path: "data/emocl.sqlite"))
  }

  @Test("rate limits: N/s, N/min, N/h and a bare N per second")
  func rateLimits() throws {
    #expect(try RateLimit.parse("10/s") == RateLimit(requests: 10, seconds: 1))
    #expect(try RateLimit.parse("10") == RateLimit(requests: 10, seconds: 1))
    #expect(try RateLimit.parse("600/min") == RateLimit(requests: 600, seconds: 60))
    #expect(try RateLimit.parse("5 / h") == RateLimit(requests: 5, seconds: 3600))
    #expect(try RateLimit.parse("600/min").description == "600/min")
    #expect(throws: ConfigurationError.self) { try RateLimit.parse("-1/s") }
    #expect(throws: ConfigurationError.self) { try RateLimit.parse("") }
  }

  @Test(
    "bad values name the setting",
    arguments: [
      ["EMOCL_PORT": "80000"], ["EMOCL_PORT": "x"], ["EMOCL_RATE_LIMIT": "0"],
      ["EMOCL_RATE_LIMIT": "5/week"], ["EMOCL_RATE_LIMIT": "x/s"],
      ["EMOCL_DATABASE": "mysql://x"], ["EMOCL_DATABASE": "postgres://host/"],
      ["EMOCL_DATABASE": "postgres://h/db?sslmode=maybe"], ["EMOCL_TLS_CERT": "a.pem"],
      ["EMOCL_DATABASE": "sqlite:"], ["EMOCL_FLIP": "maybe"], ["EMOCL_CNN_INT8": "fast"],
      ["EMOCL_DETECTOR": "dlib"],
      // Numbers that would overflow later (cut-off times, byte counts) are refused up front.
      ["EMOCL_RETENTION_DAYS": "200000000"], ["EMOCL_RETENTION_DAYS": "99999999999999999999"],
      ["EMOCL_MAX_BODY_MB": "9223372036854775807"], ["EMOCL_MAX_BODY_MB": "4097"],
      ["EMOCL_MAX_BODY_MB": "0"],
    ])
  func bad(_ environment: [String: String]) {
    #expect(throws: ConfigurationError.self) {
      try ServiceConfiguration.fromEnvironment(environment)
    }
  }

  @Test("sqlite URLs")
  func sqlite() throws {
    #expect(try DatabaseURL.parse("sqlite:/tmp/a.db") == .sqlite(path: "/tmp/a.db"))
    #expect(try DatabaseURL.parse("sqlite:///tmp/a.db") == .sqlite(path: "/tmp/a.db"))
    #expect(try DatabaseURL.parse("sqlite:rel.db") == .sqlite(path: "rel.db"))
  }
}

@Suite("API keys")
struct APIKeyTests {
  @Test("SHA-256 matches the FIPS 180-2 test vector")
  func hash() {
    #expect(
      APIKeys.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test("generated keys are distinct, url-safe and 32 bytes of randomness")
  func generate() {
    let keys = (0..<100).map { _ in APIKeys.generate() }
    #expect(Set(keys).count == 100)
    let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    #expect(
      keys.allSatisfy {
        $0.hasPrefix("emocl_") && $0.count == 49 && $0.dropFirst(6).allSatisfy(alphabet.contains)
      })
  }
}
