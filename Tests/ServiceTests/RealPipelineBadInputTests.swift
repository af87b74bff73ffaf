import Datasets
import Foundation
import Hummingbird
import HummingbirdTesting
import Pipeline
import Service
import TestSupport
import Testing
import Vision

/// Bad and hostile input through the real service: the shipped CNN, the real decoders and the
/// Haar detector (not the header-reading stand-in the other route tests use). Each case names
/// the status and problem type it must get; none may crash, hang or store anything.
@Suite("Bad input through the real pipeline", .serialized)
struct RealPipelineBadInputTests {
  /// One request and what it must get.
  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var method: HTTPRequest.Method = .post
    var uri: String = "/api/v1/analyze?store=false"
    var contentType: String? = "image/jpeg"
    var body: @Sendable () throws -> [UInt8] = { [] }
    var status: Int
    var kind: String?
    var description: String { name }
  }

  static func fixture(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: SharedData.fixture("ServiceTests", "bad-inputs/\(name)")))
  }

  static func photo(_ name: String = "21_single_face.jpg") throws -> [UInt8] {
    guard let folder = try SharedData.path("datasets/photos") else { return [] }
    return Array(try Data(contentsOf: folder.appendingPathComponent(name)))
  }

  static func grey(_ width: Int, _ height: Int) throws -> [UInt8] {
    try Image(
      width: width, height: height, channels: 1,
      pixels: (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    ).pngData()
  }

  static func multipart(_ parts: [(name: String, file: String?, type: String?, body: [UInt8])])
    -> (body: [UInt8], type: String)
  {
    var form = MultipartBody()
    for p in parts { form.add(name: p.name, filename: p.file, contentType: p.type, body: p.body) }
    return (form.finished(), form.contentType)
  }

  static let boundary = "emocl-fixed-boundary"

  static let cases: [Case] = [
    // Bodies that are not images (415), or images damaged or cut short (422).
    Case(name: "empty body", status: 400, kind: "missing-image"),
    Case(
      name: "text as JPEG", body: { Array("hello, world".utf8) }, status: 415, kind: "not-an-image"),
    Case(
      name: "truncated photo", body: { Array(try photo().prefix(2000)) }, status: 422,
      kind: "corrupt-image"),
    Case(
      name: "JPEG start only", body: { [0xFF, 0xD8, 0xFF] }, status: 422, kind: "corrupt-image"),
    Case(
      name: "JPEG with a broken entropy segment",
      body: {
        var bytes = try photo()
        for i in stride(from: bytes.count / 2, to: bytes.count / 2 + 400, by: 3) { bytes[i] = 0xFF }
        return bytes
      }, status: 422, kind: "corrupt-image"),
    Case(
      name: "PNG signature only", contentType: "image/png",
      body: { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] }, status: 422, kind: "corrupt-image"
    ),
    Case(
      name: "PNG with a bad CRC", contentType: "image/png", body: { try fixture("bad-crc.png") },
      status: 422, kind: "corrupt-image"),
    Case(
      name: "PNG with rows missing", contentType: "image/png",
      body: { try fixture("short-idat.png") }, status: 422, kind: "corrupt-image"),
    Case(
      name: "PNG of width 0", contentType: "image/png", body: { try fixture("zero-width.png") },
      status: 422, kind: "corrupt-image"),
    Case(
      name: "WebP header only", contentType: "image/webp",
      body: { try fixture("header-only.webp") }, status: 422, kind: "corrupt-image"),
    Case(
      name: "GIF", contentType: "image/gif", body: { try fixture("tiny.gif") }, status: 415,
      kind: "not-an-image"),
    Case(
      name: "BMP", contentType: "image/bmp", body: { try fixture("tiny.bmp") }, status: 415,
      kind: "not-an-image"),
    Case(
      name: "PNG claiming 100000x100000", contentType: "image/png",
      body: { try fixture("huge-header.png") }, status: 413, kind: "image-too-large"),
    Case(
      name: "JPEG claiming 65500x65500", body: { try fixture("huge-header.jpg") }, status: 413,
      kind: "image-too-large"),
    // Costly requests are refused, not worked through.
    Case(
      name: "50 MP zeros with 256 whole-image boxes",
      uri: "/api/v1/analyze?store=false&max_faces=256&boxes="
        + "%5B" + Array(repeating: "%5B0,0,7071,7071%5D", count: 256).joined(separator: ",")
        + "%5D",
      contentType: "image/png", body: { try fixture("zeros-7071.png") }, status: 422,
      kind: "work-too-large"),
    Case(
      name: "16-bit RGBA 3000x3000", contentType: "image/png",
      body: { try fixture("rgba16-3000.png") }, status: 200),
    // Odd but valid images are analysed.
    Case(
      name: "palette PNG", contentType: "image/png", body: { try fixture("palette.png") },
      status: 200),
    Case(
      name: "grey+alpha PNG", contentType: "image/png", body: { try fixture("grey-alpha.png") },
      status: 200),
    Case(name: "1x1 PNG", contentType: "image/png", body: { try grey(1, 1) }, status: 200),
    Case(name: "1x4000 PNG", contentType: "image/png", body: { try grey(1, 4000) }, status: 200),
    Case(name: "a real photo", body: { try photo() }, status: 200),
    // Query values.
    Case(
      name: "box outside the image",
      uri: "/api/v1/analyze?store=false&boxes=%5B%5B5000,0,10,10%5D%5D", body: { try photo() },
      status: 422, kind: "unusable-image"),
    Case(
      name: "box of width 0", uri: "/api/v1/analyze?store=false&boxes=%5B%5B0,0,0,10%5D%5D",
      body: { try photo() }, status: 400, kind: "bad-parameter"),
    Case(
      name: "boolean box", uri: "/api/v1/analyze?store=false&boxes=%5B%5Btrue,0,10,10%5D%5D",
      body: { try photo() }, status: 400, kind: "bad-parameter"),
    Case(
      name: "257 boxes",
      uri: "/api/v1/analyze?store=false&boxes=%5B"
        + Array(repeating: "%5B0,0,9,9%5D", count: 257).joined(separator: ",") + "%5D",
      body: { try photo() }, status: 400, kind: "bad-parameter"),
    Case(
      name: "more boxes than max_faces",
      uri: "/api/v1/analyze?store=false&max_faces=1&boxes=%5B%5B0,0,9,9%5D,%5B0,0,9,9%5D%5D",
      body: { try photo() }, status: 422, kind: "unusable-image"),
    Case(
      name: "max_faces=0", uri: "/api/v1/analyze?store=false&max_faces=0", body: { try photo() },
      status: 400, kind: "bad-parameter"),
    Case(
      name: "max_faces=abc", uri: "/api/v1/analyze?store=false&max_faces=abc",
      body: { try photo() }, status: 400, kind: "bad-parameter"),
    Case(
      name: "unknown model", uri: "/api/v1/analyze?store=false&model=resnet", body: { try photo() },
      status: 400, kind: "unknown-model"),
    Case(
      name: "detect=maybe", uri: "/api/v1/analyze?store=false&detect=maybe", body: { try photo() },
      status: 400, kind: "bad-parameter"),
    Case(
      name: "detector=dlib", uri: "/api/v1/analyze?store=false&detector=dlib",
      body: { try photo() }, status: 400, kind: "bad-parameter"),
    Case(
      name: "detector=CNN (names are lower case)", uri: "/api/v1/analyze?store=false&detector=CNN",
      body: { try photo() }, status: 400, kind: "bad-parameter"),
    Case(
      name: "detector=haar", uri: "/api/v1/analyze?store=false&detector=haar",
      body: { try photo() }, status: 200),
    Case(
      name: "detector=cnn", uri: "/api/v1/analyze?store=false&detector=cnn",
      body: { try photo() }, status: 200),
    Case(
      name: "tag with a newline", uri: "/api/v1/analyze?tag=a%0Ab", body: { try photo() },
      status: 400, kind: "bad-parameter"),
    Case(
      name: "tag of 101 characters",
      uri: "/api/v1/analyze?tag=" + String(repeating: "t", count: 101), body: { try photo() },
      status: 400, kind: "bad-parameter"),
    // Content types and forms.
    Case(
      name: "no Content-Type", contentType: nil, body: { try photo() }, status: 415,
      kind: "not-an-image"),
    Case(
      name: "text/plain", contentType: "text/plain", body: { try photo() }, status: 415,
      kind: "not-an-image"),
    Case(
      name: "multipart without a boundary", contentType: "multipart/form-data",
      body: { try photo() }, status: 400, kind: "bad-multipart"),
    Case(
      name: "multipart without an image field",
      contentType: "multipart/form-data; boundary=\(boundary)",
      body: {
        Array(
          "--\(boundary)\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--\(boundary)--\r\n"
            .utf8)
      },
      status: 400, kind: "missing-image"),
    Case(
      name: "multipart cut short", contentType: "multipart/form-data; boundary=\(boundary)",
      body: {
        Array(
          "--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n"
            .utf8) + (try photo().prefix(500))
      },
      status: 400, kind: "bad-multipart"),
    Case(
      name: "multipart image that is text",
      contentType: "multipart/form-data; boundary=\(boundary)",
      body: {
        Array(
          "--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\nnot a picture\r\n--\(boundary)--\r\n"
            .utf8)
      },
      status: 415, kind: "not-an-image"),
    Case(
      name: "two images on the one-image route",
      contentType: "multipart/form-data; boundary=\(boundary)",
      body: {
        let part =
          Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
              .utf8) + (try grey(8, 8)) + Array("\r\n".utf8)
        return part + part + Array("--\(boundary)--\r\n".utf8)
      }, status: 400, kind: "too-many-images"),
    Case(
      name: "11 MB body", body: { [UInt8](repeating: 0xFF, count: 11 * 1024 * 1024) }, status: 413,
      kind: "body-too-large"),
    // Batches.
    Case(
      name: "batch that is not multipart", uri: "/api/v1/analyze/batch?store=false",
      body: { try photo() }, status: 415, kind: "not-multipart"),
    Case(
      name: "batch of 33 images", uri: "/api/v1/analyze/batch?store=false",
      contentType: "multipart/form-data; boundary=\(boundary)",
      body: {
        let part =
          Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"images\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
              .utf8) + (try grey(8, 8)) + Array("\r\n".utf8)
        return Array(repeating: part, count: 33).flatMap { $0 } + Array("--\(boundary)--\r\n".utf8)
      }, status: 413, kind: "too-many-images"),
    Case(
      name: "batch without images", uri: "/api/v1/analyze/batch?store=false",
      contentType: "multipart/form-data; boundary=\(boundary)",
      body: { Array("--\(boundary)--\r\n".utf8) }, status: 400, kind: "missing-image"),
    // Reads and deletes.
    Case(
      name: "GET on analyze", method: .get, contentType: nil, status: 405,
      kind: "method-not-allowed"),
    Case(
      name: "limit=0", method: .get, uri: "/api/v1/analyses?limit=0", contentType: nil, status: 400,
      kind: "bad-parameter"),
    Case(
      name: "before=abc", method: .get, uri: "/api/v1/analyses?before=abc", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "from after to", method: .get,
      uri: "/api/v1/analyses?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "February 30th", method: .get, uri: "/api/v1/stats?from=2026-02-30T00:00:00Z",
      contentType: nil, status: 400, kind: "bad-parameter"),
    Case(
      name: "bucket=week", method: .get, uri: "/api/v1/stats?bucket=week", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "delete id abc", method: .delete, uri: "/api/v1/analyses/abc", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "delete id 0", method: .delete, uri: "/api/v1/analyses/0", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "delete id 01", method: .delete, uri: "/api/v1/analyses/01", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "delete id +1", method: .delete, uri: "/api/v1/analyses/+1", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "video id 007", method: .get, uri: "/api/v1/videos/007", contentType: nil,
      status: 400, kind: "bad-parameter"),
    Case(
      name: "session JSON sent as a form", uri: "/api/v1/sessions",
      contentType: "application/x-www-form-urlencoded",
      body: { Array("{\"stimulus\":\"ad\"}".utf8) },
      status: 415, kind: "not-json"),
    // What another site's page can send: a form posted to a URL that names the stimulus.
    Case(
      name: "session stimulus in the URL of a form post", uri: "/api/v1/sessions?stimulus=ad",
      contentType: "application/x-www-form-urlencoded", body: { Array("a=b".utf8) },
      status: 415, kind: "not-json"),
    Case(
      name: "session stimulus in the URL and a JSON body", uri: "/api/v1/sessions?stimulus=ad",
      contentType: "application/json", body: { Array("{\"stimulus\":\"other\"}".utf8) },
      status: 400, kind: "bad-parameter"),
    Case(
      name: "delete an id that does not exist", method: .delete, uri: "/api/v1/analyses/999999",
      contentType: nil, status: 404, kind: "not-found"),
  ]

  /// The service over the shipped CNN (only; the SVM is slow to load), the Haar detector by
  /// default and MTCNN for `detector=cnn`.
  static func harness() throws -> Harness? {
    let models = SharedData.repositoryRoot.appendingPathComponent("Models")
    guard
      FileManager.default.fileExists(atPath: models.appendingPathComponent("cnn.safetensors").path)
    else { return nil }
    let haar = try HaarFaceLocator.standard()
    let cnn = try MTCNNDetector(
      file: try ModelFile.read(from: models.appendingPathComponent("mtcnn.safetensors")))
    let analyzer = try PipelineAnalyzer.load(
      modelsDirectory: models, names: ["cnn"], faceLocator: haar,
      faceLocators: [.haar: haar, .cnn: cnn], logger: Harness.logger)
    return try Harness(analyzer: analyzer)
  }

  @Test("each bad input gets its status and problem type, and nothing is stored")
  func badInputs() async throws {
    #expect(Self.cases.count >= 40)
    let harness = try #require(try Self.harness())
    try await harness.test { client in
      for c in Self.cases {
        var headers: HTTPFields = [:]
        if let type = c.contentType { headers[.contentType] = type }
        let body = try c.body()
        let r = try await client.execute(
          uri: c.uri, method: c.method, headers: headers,
          body: body.isEmpty ? nil : ByteBuffer(bytes: body))
        #expect(Int(r.status.code) == c.status, "\(c.name): \(r.status) \(r.text.prefix(300))")
        if let kind = c.kind {
          #expect(r.headers[.contentType] == "application/problem+json", "\(c.name)")
          #expect(
            r.object["type"] as? String == "/problems/\(kind)", "\(c.name): \(r.text.prefix(300))")
        }
      }
      // Only the case that asked to store (a tag with a newline) could have, and it was refused.
      #expect(try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 5).isEmpty)
    }
  }
}
