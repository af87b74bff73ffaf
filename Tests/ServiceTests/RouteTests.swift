import Foundation
import Hummingbird
import HummingbirdTesting
import Service
import Synchronization
import Testing

/// The HTTP API in-process (Hummingbird's router test framework) with the test analyzer and a
/// fresh SQLite file per test.
@Suite("Routes")
struct RouteTests {
  static let jpeg = TestImages.jpeg(width: 640, height: 480)

  static func post(
    _ client: any TestClientProtocol, _ uri: String, bytes: [UInt8], contentType: String?,
    headers: HTTPFields = [:]
  ) async throws -> TestResponse {
    var headers = headers
    if let contentType { headers[.contentType] = contentType }
    return try await client.execute(
      uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
  }

  static func expectProblem(
    _ response: TestResponse, _ status: HTTPResponse.Status, kind: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(
      response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let checker = try SchemaChecker.load()
    #expect(
      checker.check(json: response.data, against: "Problem") == [], sourceLocation: sourceLocation)
    #expect(
      response.object["type"] as? String == "/problems/\(kind)", sourceLocation: sourceLocation)
    #expect(response.object["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
  }

  // MARK: Success paths

  @Test("analyze a raw JPEG body: JSON matches the OpenAPI schema and the record is stored")
  func analyzeRaw() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let r = try await Self.post(
        client, "/api/v1/analyze?tag=lobby", bytes: Self.jpeg, contentType: "image/jpeg")
      #expect(r.status == .ok, "\(r.text)")
      #expect(try SchemaChecker.load().check(json: r.data, against: "Analysis") == [])
      let o = r.object
      #expect(o["width"] as? Int == 640 && o["height"] as? Int == 480)
      #expect(o["model"] as? String == "cnn" && o["tag"] as? String == "lobby")
      #expect(o["image"] is NSNull)
      let faces = try #require(o["faces"] as? [[String: Any]])
      #expect(faces.count == 2)
      let id = try #require(o["id"] as? Int)
      // The record was written before the reply.
      let stored = try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 5)
      #expect(stored.map(\.id) == [Int64(id)] && stored[0].tag == "lobby")
      #expect(stored[0].faces.count == 2)
      let expected = try await TestAnalyzer().analyze(
        imageBytes: Self.jpeg, options: AnalyzeOptions(model: "cnn"))
      #expect(stored[0].faces.map(\.box) == expected.faces.map(\.box))
      let p0 = try #require(faces[0]["emotions"] as? [String: Double])
      // JSON text round trip of a Double may differ in the last bit on Linux Foundation.
      #expect(abs(try #require(p0["happy"]) - expected.faces[0].emotions.happy) < 1e-15)
      #expect(faces[0]["dominant"] as? String == expected.faces[0].dominant.rawValue)
    }
  }

  @Test("analyze multipart with options; store=false returns id null and stores nothing")
  func analyzeMultipart() async throws {
    let harness = try Harness()
    try await harness.test { client in
      var form = MultipartBody()
      form.add(name: "image", filename: "crowd.jpg", contentType: "image/jpeg", body: Self.jpeg)
      let r = try await Self.post(
        client, "/api/v1/analyze?model=svm&max_faces=1&store=false", bytes: form.finished(),
        contentType: form.contentType)
      #expect(r.status == .ok, "\(r.text)")
      #expect(r.object["image"] as? String == "crowd.jpg" && r.object["model"] as? String == "svm")
      #expect(r.object["id"] is NSNull)
      #expect((r.object["faces"] as? [Any])?.count == 1)
      #expect(try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 5).isEmpty)

      let boxes = "[[10,20,100,120],[0,0,48,48]]".addingPercentEncoding(
        withAllowedCharacters: .alphanumerics)!
      let b = try await Self.post(
        client, "/api/v1/analyze?boxes=\(boxes)&store=false", bytes: Self.jpeg,
        contentType: "image/jpeg")
      let faces = try #require(b.object["faces"] as? [[String: Any]])
      #expect(faces.map { ($0["box"] as? [String: Int])?["width"] } == [100, 48])
      let whole = try await Self.post(
        client, "/api/v1/analyze?detect=false&store=false", bytes: Self.jpeg,
        contentType: "image/jpeg")
      let box = (whole.object["faces"] as? [[String: Any]])?.first?["box"] as? [String: Int]
      #expect(box == ["x": 0, "y": 0, "width": 640, "height": 480])
    }
  }

  @Test("batch: one result or problem per image, in order")
  func batch() async throws {
    let harness = try Harness()
    try await harness.test { client in
      var form = MultipartBody()
      form.add(name: "tag", filename: nil, contentType: nil, body: Array("ignored".utf8))
      form.add(name: "images", filename: "a.jpg", contentType: "image/jpeg", body: Self.jpeg)
      form.add(
        name: "images", filename: "b.txt", contentType: "text/plain", body: Array("hello".utf8))
      form.add(
        name: "images", filename: "c.png", contentType: "image/png",
        body: TestImages.png(width: 20, height: 20))
      form.add(
        name: "images", filename: "d.jpg", contentType: "image/jpeg",
        body: TestImages.jpeg(width: 64, height: 64, seed: 3))
      let r = try await Self.post(
        client, "/api/v1/analyze/batch?tag=t", bytes: form.finished(), contentType: form.contentType
      )
      #expect(r.status == .ok, "\(r.text)")
      #expect(try SchemaChecker.load().check(json: r.data, against: "Batch") == [])
      let results = try #require(r.object["results"] as? [[String: Any]])
      #expect(results.map { $0["image"] as? String } == ["a.jpg", "b.txt", "c.png", "d.jpg"])
      #expect(results[0]["width"] as? Int == 640 && results[3]["width"] as? Int == 64)
      #expect((results[1]["error"] as? [String: Any])?["status"] as? Int == 415)
      #expect((results[2]["error"] as? [String: Any])?["status"] as? Int == 422)
      let stored = try await harness.sqlite.list(AnalysisFilter(tag: "t"), before: nil, limit: 9)
      #expect(stored.count == 2)
    }
  }

  @Test("list, page, CSV, stats and delete over stored analyses")
  func queries() async throws {
    // A clock that moves 30 minutes per analysis from 2026-11-27T00:00:00Z.
    let start = RFC3339.parse("2026-11-27T00:00:00Z")!
    let tick = Counter()
    let harness = try Harness(now: { start + Int64(tick.next()) * 1_800_000_000 })
    try await harness.test { client in
      var ids: [Int] = []
      for seed in 0..<5 {
        let r = try await Self.post(
          client, "/api/v1/analyze?tag=\(seed < 4 ? "a" : "b")",
          bytes: TestImages.jpeg(width: 100, height: 100, seed: UInt8(seed)),
          contentType: "image/jpeg")
        ids.append(try #require(r.object["id"] as? Int))
      }
      let checker = try SchemaChecker.load()
      let page1 = try await client.execute(uri: "/api/v1/analyses?tag=a&limit=3", method: .get)
      #expect(page1.status == .ok && checker.check(json: page1.data, against: "RecordPage") == [])
      let records = try #require(page1.object["analyses"] as? [[String: Any]])
      #expect(records.map { $0["id"] as? Int } == [ids[3], ids[2], ids[1]])
      #expect(records[0]["created_at"] as? String == "2026-11-27T01:30:00Z")
      let next = try #require(page1.object["next_before"] as? Int)
      let page2 = try await client.execute(
        uri: "/api/v1/analyses?tag=a&limit=3&before=\(next)", method: .get)
      #expect((page2.object["analyses"] as? [[String: Any]])?.map { $0["id"] as? Int } == [ids[0]])
      #expect(page2.object["next_before"] is NSNull)
      let window = try await client.execute(
        uri: "/api/v1/analyses?from=2026-11-27T00:30:00Z&to=2026-11-27T01:30:00Z", method: .get)
      #expect(
        (window.object["analyses"] as? [[String: Any]])?.map { $0["id"] as? Int } == [
          ids[2], ids[1],
        ])

      let csv = try await client.execute(uri: "/api/v1/analyses?format=csv&tag=b", method: .get)
      #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
      let lines = csv.text.split(separator: "\r\n")
      #expect(lines.count == 3)  // header + two faces
      #expect(lines[0].hasPrefix("id,created_at,tag,model,width,height,elapsed_ms,face,x,y"))
      #expect(lines[1].hasPrefix("\(ids[4]),2026-11-27T02:00:00Z,b,cnn,100,100,"))

      let stats = try await client.execute(uri: "/api/v1/stats?tag=a&bucket=hour", method: .get)
      #expect(stats.status == .ok && checker.check(json: stats.data, against: "Stats") == [])
      let buckets = try #require(stats.object["buckets"] as? [[String: Any]])
      #expect(
        buckets.map { $0["start"] as? String } == ["2026-11-27T00:00:00Z", "2026-11-27T01:00:00Z"])
      #expect(buckets.map { $0["faces"] as? Int } == [4, 4])
      let expected = try await harness.sqlite.stats(AnalysisFilter(tag: "a"), bucket: .hour)
      #expect(
        (buckets[0]["mean"] as? [String: Double])?["happy"] == expected[0].meanProbabilities[3])
      let statsCSV = try await client.execute(
        uri: "/api/v1/stats?bucket=day&format=csv", method: .get)
      #expect(statsCSV.text.split(separator: "\r\n").count == 2)
      #expect(statsCSV.text.hasPrefix("start,faces,unreliable,mean_angry"))
      // Quality limits: echoed back; a limit no face passes leaves them all out, counted.
      let strict = try await client.execute(
        uri: "/api/v1/stats?tag=a&bucket=hour&reliable_only=true&min_face=100000", method: .get)
      #expect(strict.status == .ok && checker.check(json: strict.data, against: "Stats") == [])
      let quality = try #require(strict.object["quality"] as? [String: Any])
      #expect(quality["reliable_only"] as? Bool == true && quality["min_face"] as? Double == 100000)
      let strictBuckets = try #require(strict.object["buckets"] as? [[String: Any]])
      #expect(strictBuckets.map { $0["faces"] as? Int } == [0, 0])
      #expect(strictBuckets.map { $0["unreliable"] as? Int } == [4, 4])
      for query in [
        "reliable_only=maybe", "min_face=-1", "max_yaw=91", "max_pitch=nan", "min_sharpness=1e3",
        "max_yaw=inf",
      ] {
        let bad = try await client.execute(uri: "/api/v1/stats?\(query)", method: .get)
        try Self.expectProblem(bad, .badRequest, kind: "bad-parameter")
      }

      let deleted = try await client.execute(uri: "/api/v1/analyses/\(ids[0])", method: .delete)
      #expect(deleted.status == .noContent)
      let again = try await client.execute(uri: "/api/v1/analyses/\(ids[0])", method: .delete)
      try Self.expectProblem(again, .notFound, kind: "not-found")
      let bad = try await client.execute(uri: "/api/v1/analyses/abc", method: .delete)
      try Self.expectProblem(bad, .badRequest, kind: "bad-parameter")
    }
  }

  @Test("models, health, readiness, metrics and the OpenAPI document")
  func operational() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let checker = try SchemaChecker.load()
      let models = try await client.execute(uri: "/api/v1/models", method: .get)
      #expect(models.status == .ok && checker.check(json: models.data, against: "Models") == [])
      #expect(models.object["default"] as? String == "cnn")
      let health = try await client.execute(uri: "/healthz", method: .get)
      #expect(health.status == .ok && checker.check(json: health.data, against: "Health") == [])
      let ready = try await client.execute(uri: "/readyz", method: .get)
      #expect(ready.status == .ok && checker.check(json: ready.data, against: "Ready") == [])
      #expect((ready.object["database"] as? String)?.hasPrefix("SQLite ") == true)

      _ = try await Self.post(
        client, "/api/v1/analyze", bytes: Self.jpeg, contentType: "image/jpeg")
      _ = try await Self.post(client, "/api/v1/analyze", bytes: [1, 2], contentType: "image/jpeg")
      let metrics = try await client.execute(uri: "/metrics", method: .get)
      #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
      let text = metrics.text
      #expect(
        text.contains(
          "emocl_http_requests_total{method=\"POST\",route=\"/api/v1/analyze\",status=\"200\"} 1"))
      #expect(
        text.contains(
          "emocl_http_requests_total{method=\"POST\",route=\"/api/v1/analyze\",status=\"415\"} 1"))
      #expect(text.contains("emocl_faces_analyzed_total{model=\"cnn\"} 2"))
      #expect(text.contains("emocl_errors_total{kind=\"not-an-image\"} 1"))
      #expect(
        text.contains("emocl_http_request_duration_seconds_count{route=\"/api/v1/analyze\"} 2"))
      #expect(
        text.contains(
          "emocl_http_request_duration_seconds_bucket{route=\"/api/v1/analyze\",le=\"+Inf\"} 2"))

      let openapi = try await client.execute(uri: "/openapi.json", method: .get)
      #expect(openapi.status == .ok && openapi.object["openapi"] as? String == "3.1.0")
      let paths = try #require(openapi.object["paths"] as? [String: Any])
      for path in [
        "/api/v1/analyze", "/api/v1/analyze/batch", "/api/v1/models", "/api/v1/analyses",
        "/api/v1/analyses/{id}", "/api/v1/stats", "/healthz", "/readyz", "/metrics",
      ] {
        #expect(paths[path] != nil, "\(path) not documented")
      }
    }
  }

  @Test("the page and its static files are served; nothing else is")
  func page() async throws {
    let harness = try Harness()
    try await harness.test { client in
      for (uri, type) in [
        ("/", "text/html"), ("/dashboard", "text/html"), ("/models", "text/html"),
        ("/static/app.js", "text/javascript"), ("/static/style.css", "text/css"),
      ] {
        let r = try await client.execute(uri: uri, method: .get)
        #expect(r.status == .ok, "\(uri)")
        #expect(r.headers[.contentType]?.hasPrefix(type) == true, "\(uri)")
        // Pages: own scripts only, never framed by another site.
        let policy = r.headers[.contentSecurityPolicy] ?? ""
        if type == "text/html" {
          #expect(
            policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'self'"))
          #expect(r.headers.first { $0.name.rawName == "X-Frame-Options" }?.value == "DENY")
        } else {
          #expect(policy.isEmpty, "\(uri)")
        }
      }
      let index = try await client.execute(uri: "/", method: .get)
      #expect(index.text.contains("AI Act") && index.text.contains("FER2013"))
      for uri in [
        "/static/../Package.swift", "/static/..", "/static/%2e%2e%2fPackage.swift",
        "/static/.hidden",
        "/static/missing.js", "/../Package.swift", "/static/../../etc/passwd",
      ] {
        let r = try await client.execute(uri: uri, method: .get)
        try Self.expectProblem(r, .notFound, kind: "not-found")
        #expect(!r.text.contains("PackageDescription") && !r.text.contains("root:"))
      }
    }
  }

  // MARK: Bad input

  @Test("bad bodies map to 400, 413, 415 and 422")
  func badBodies() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let empty = try await Self.post(
        client, "/api/v1/analyze", bytes: [], contentType: "image/jpeg")
      try Self.expectProblem(empty, .badRequest, kind: "missing-image")
      let text = try await Self.post(
        client, "/api/v1/analyze", bytes: Array("hello".utf8), contentType: "text/plain")
      try Self.expectProblem(text, .unsupportedMediaType, kind: "not-an-image")
      let noType = try await Self.post(
        client, "/api/v1/analyze", bytes: Self.jpeg, contentType: nil)
      try Self.expectProblem(noType, .unsupportedMediaType, kind: "not-an-image")
      let textAsImage = try await Self.post(
        client, "/api/v1/analyze", bytes: Array("hello".utf8), contentType: "image/png")
      try Self.expectProblem(textAsImage, .unsupportedMediaType, kind: "not-an-image")
      let truncated = try await Self.post(
        client, "/api/v1/analyze", bytes: Array(Self.jpeg.prefix(40)), contentType: "image/jpeg")
      try Self.expectProblem(truncated, .unsupportedMediaType, kind: "not-an-image")
      let huge = try await Self.post(
        client, "/api/v1/analyze", bytes: TestImages.png(width: 100_000, height: 100_000),
        contentType: "image/png")
      try Self.expectProblem(huge, .contentTooLarge, kind: "image-too-large")
      let tiny = try await Self.post(
        client, "/api/v1/analyze", bytes: TestImages.png(width: 10, height: 10),
        contentType: "image/png")
      try Self.expectProblem(tiny, .unprocessableContent, kind: "unusable-image")
      let outside = try await Self.post(
        client, "/api/v1/analyze?boxes=%5B%5B600,0,100,100%5D%5D", bytes: Self.jpeg,
        contentType: "image/jpeg")
      try Self.expectProblem(outside, .unprocessableContent, kind: "unusable-image")
      // 11 MB: over the 10 MB default.
      let big = try await Self.post(
        client, "/api/v1/analyze", bytes: [UInt8](repeating: 0xFF, count: 11 * 1024 * 1024),
        contentType: "image/jpeg")
      try Self.expectProblem(big, .contentTooLarge, kind: "body-too-large")
      #expect(try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 5).isEmpty)
    }
  }

  @Test("bad multipart and batch limits")
  func badMultipart() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let malformed = try await Self.post(
        client, "/api/v1/analyze",
        bytes: Array("--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc".utf8),
        contentType: "multipart/form-data; boundary=x")
      try Self.expectProblem(malformed, .badRequest, kind: "bad-multipart")
      let noBoundary = try await Self.post(
        client, "/api/v1/analyze", bytes: Array("x".utf8), contentType: "multipart/form-data")
      try Self.expectProblem(noBoundary, .badRequest, kind: "bad-multipart")
      var other = MultipartBody()
      other.add(name: "photo", filename: nil, contentType: nil, body: Self.jpeg)
      let noImage = try await Self.post(
        client, "/api/v1/analyze", bytes: other.finished(), contentType: other.contentType)
      try Self.expectProblem(noImage, .badRequest, kind: "missing-image")

      var form = MultipartBody()
      for i in 0..<33 {
        form.add(name: "images", filename: "\(i).jpg", contentType: "image/jpeg", body: Self.jpeg)
      }
      let tooMany = try await Self.post(
        client, "/api/v1/analyze/batch", bytes: form.finished(), contentType: form.contentType)
      try Self.expectProblem(tooMany, .contentTooLarge, kind: "too-many-images")
      let raw = try await Self.post(
        client, "/api/v1/analyze/batch", bytes: Self.jpeg, contentType: "image/jpeg")
      try Self.expectProblem(raw, .unsupportedMediaType, kind: "not-multipart")
      #expect(try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 5).isEmpty)
    }
  }

  @Test(
    "bad query values are 400 naming the parameter",
    arguments: [
      "/api/v1/analyze?model=resnet", "/api/v1/analyze?max_faces=abc",
      "/api/v1/analyze?max_faces=0",
      "/api/v1/analyze?detect=maybe", "/api/v1/analyze?store=2",
      "/api/v1/analyze?boxes=%5B%5B1,2%5D%5D",
      "/api/v1/analyze?boxes=nope", "/api/v1/analyze?boxes=%5B%5B1,2,0,5%5D%5D",
      // JSON that is not whole non-negative numbers is refused, never coerced.
      "/api/v1/analyze?boxes=%5B%5Btrue,0,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5B0,false,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5B1.5,0,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5B1e2,0,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5B%221%22,0,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5Bnull,0,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5B-1,0,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5B0,0,48,48%5D%5Dx",
      "/api/v1/analyze?boxes=%5B%5B0,0,48,48%5D,%5D",
      "/api/v1/analyze?boxes=%5B%5B%5B0%5D,0,48,48%5D%5D",
      "/api/v1/analyze?boxes=%5B%5B0,0,48,99999999999999999999%5D%5D",
      "/api/v1/analyze?tag=" + String(repeating: "x", count: 101),
      // A parameter given twice: which one was meant cannot be known.
      "/api/v1/analyze?store=true&store=false", "/api/v1/analyze?tag=a&tag=b",
      "/api/v1/analyze?max_faces=1&max_faces=1", "/api/v1/analyze?align=maybe",
      // Numbers have one spelling, as path ids do.
      "/api/v1/analyze?max_faces=+1", "/api/v1/analyze?max_faces=01",
      "/api/v1/analyze?max_faces=1.0", "/api/v1/analyze?max_faces=%201",
    ])
  func badQueryAnalyze(_ uri: String) async throws {
    let harness = try Harness()
    try await harness.test { client in
      let r = try await Self.post(client, uri, bytes: Self.jpeg, contentType: "image/jpeg")
      try Self.expectProblem(
        r, .badRequest, kind: uri.contains("model=") ? "unknown-model" : "bad-parameter")
    }
  }

  @Test(
    "bad query values on the read routes",
    arguments: [
      "/api/v1/analyses?limit=0", "/api/v1/analyses?limit=1001", "/api/v1/analyses?before=-3",
      "/api/v1/analyses?from=yesterday", "/api/v1/analyses?format=xml",
      "/api/v1/analyses?from=2026-11-27T00:00:00Z&to=2026-11-26T00:00:00Z",
      "/api/v1/stats?bucket=week", "/api/v1/stats?to=2026-11-27",
    ])
  func badQueryRead(_ uri: String) async throws {
    let harness = try Harness()
    try await harness.test { client in
      let r = try await client.execute(uri: uri, method: .get)
      try Self.expectProblem(r, .badRequest, kind: "bad-parameter")
    }
  }

  @Test("wrong method is 405 with Allow; unknown path is 404")
  func methods() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let get = try await client.execute(uri: "/api/v1/analyze", method: .get)
      try Self.expectProblem(get, .methodNotAllowed, kind: "method-not-allowed")
      #expect(get.headers[.allow] == "OPTIONS, POST")
      let put = try await client.execute(uri: "/api/v1/analyses", method: .put)
      try Self.expectProblem(put, .methodNotAllowed, kind: "method-not-allowed")
      #expect(put.headers[.allow] == "GET, HEAD, OPTIONS")
      let post = try await client.execute(uri: "/healthz", method: .post)
      try Self.expectProblem(post, .methodNotAllowed, kind: "method-not-allowed")
      for method in [HTTPRequest.Method.trace, .connect] {
        let page = try await client.execute(uri: "/dashboard", method: method)
        try Self.expectProblem(page, .methodNotAllowed, kind: "method-not-allowed")
        #expect(page.headers[.allow] == "GET, HEAD, OPTIONS")
        let api = try await client.execute(uri: "/api/v1/models", method: method)
        try Self.expectProblem(api, .methodNotAllowed, kind: "method-not-allowed")
      }
      let missing = try await client.execute(uri: "/api/v2/analyze", method: .post)
      try Self.expectProblem(missing, .notFound, kind: "not-found")
      let head = try await client.execute(uri: "/healthz", method: .head)
      #expect(head.status == .ok)
    }
  }

  // MARK: Keys, rate limit, database down

  @Test("API keys: open without keys; then Bearer required, revoked keys refused; page stays open")
  func apiKeys() async throws {
    let harness = try Harness()
    try await harness.test { client in
      #expect(try await client.execute(uri: "/api/v1/models", method: .get).status == .ok)
      let (key, record) = try await APIKeys.create(name: "t", in: harness.sqlite, now: 1)
      let none = try await client.execute(uri: "/api/v1/models", method: .get)
      try Self.expectProblem(none, .unauthorized, kind: "unauthorized")
      #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
      let wrong = try await client.execute(
        uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer emocl_nope"])
      try Self.expectProblem(wrong, .unauthorized, kind: "unauthorized")
      let ok = try await client.execute(
        uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer \(key)"])
      #expect(ok.status == .ok)
      for open in ["/", "/static/app.js", "/healthz", "/readyz", "/openapi.json"] {
        #expect(try await client.execute(uri: open, method: .get).status == .ok, "\(open)")
      }
      #expect(try await harness.sqlite.revokeKey(id: record.id, at: 2))
      let revoked = try await client.execute(
        uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer \(key)"])
      // The only key is revoked: /api stays closed rather than reopening to everyone.
      try Self.expectProblem(revoked, .unauthorized, kind: "unauthorized")
      let stillClosed = try await client.execute(uri: "/api/v1/models", method: .get)
      try Self.expectProblem(stillClosed, .unauthorized, kind: "unauthorized")
    }
  }

  @Test("rate limit: 429 with Retry-After once over the limit")
  func rateLimit() async throws {
    let harness = try Harness(configure: { $0.rateLimit = RateLimit(requests: 3, seconds: 60) })
    try await harness.test { client in
      for _ in 0..<3 {
        #expect(try await client.execute(uri: "/api/v1/models", method: .get).status == .ok)
      }
      let limited = try await client.execute(uri: "/api/v1/models", method: .get)
      try Self.expectProblem(limited, .tooManyRequests, kind: "rate-limited")
      #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
      #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
    }
  }

  @Test(
    "database down: store=false still works, store=true is 503 with Retry-After, readyz names it")
  func databaseDown() async throws {
    let harness = try Harness()
    try await harness.test { client in
      #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
      // The key table has been read once (no keys), so /api stays open while the database is down.
      #expect(try await client.execute(uri: "/api/v1/models", method: .get).status == .ok)
      harness.store.setDown(true)
      let ok = try await Self.post(
        client, "/api/v1/analyze?store=false", bytes: Self.jpeg, contentType: "image/jpeg")
      #expect(ok.status == .ok, "\(ok.text)")
      let stored = try await Self.post(
        client, "/api/v1/analyze", bytes: Self.jpeg, contentType: "image/jpeg")
      try Self.expectProblem(stored, .serviceUnavailable, kind: "database-unavailable")
      #expect(stored.headers[.retryAfter] != nil)
      let ready = try await client.execute(uri: "/readyz", method: .get)
      try Self.expectProblem(ready, .serviceUnavailable, kind: "database-unavailable")
      #expect((ready.object["detail"] as? String)?.contains(harness.store.databaseName) == true)
      let list = try await client.execute(uri: "/api/v1/analyses", method: .get)
      try Self.expectProblem(list, .serviceUnavailable, kind: "database-unavailable")
      harness.store.setDown(false)
      #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
    }
  }
}

/// A thread-safe counter for test clocks.
final class Counter: Sendable {
  private let value = Mutex(0)
  func next() -> Int {
    value.withLock { v in
      defer { v += 1 }
      return v
    }
  }
}
