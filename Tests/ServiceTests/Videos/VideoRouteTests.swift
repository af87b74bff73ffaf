import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Pipeline
import Service
import TestSupport
import Testing

/// The video routes through the in-process router: upload, job, timeline, frames, delete, and
/// every refusal with its problem type. A worker runs jobs with the stand-in analyser.
@Suite("Video routes")
struct VideoRouteTests {
  /// A service on a fresh SQLite file with the stand-in analyser; no worker runs by itself
  /// (`videoWorkers` 0): the test runs `worker.runOnce()` when it wants a job done.
  struct Setup {
    let directory: TemporaryDirectory
    let store: SQLStore
    let service: EmoclService
    let worker: VideoJobWorker
    var uploads: String { directory.url.appendingPathComponent("uploads").path }

    init(configure: (inout ServiceConfiguration) -> Void = { _ in }) throws {
      directory = try TemporaryDirectory()
      var configuration = ServiceConfiguration()
      configuration.port = 0
      configuration.database = .sqlite(path: directory.url.appendingPathComponent("t.sqlite").path)
      configuration.uploadDirectory = directory.url.appendingPathComponent("uploads").path
      configuration.videoWorkers = 0
      configure(&configuration)
      store = try SQLStore(url: configuration.database, logger: Harness.logger)
      service = EmoclService(
        configuration: configuration, analyzer: TestAnalyzer(), store: store,
        videoAnalyzer: TestVideoAnalyzer(), logger: Harness.logger)
      worker = VideoJobWorker(
        store: store, analyzer: TestVideoAnalyzer(),
        uploadDirectory: configuration.uploadDirectory, owner: "test", logger: Harness.logger)
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
      defer { directory.cleanup() }
      try await store.migrate()
      try await service.makeApplication().test(.router) { client in try await body(client) }
    }

    func uploadedFiles() -> [String] {
      (try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []
    }
  }

  static func upload(
    _ client: any TestClientProtocol, _ bytes: [UInt8], query: String = "",
    contentType: String? = "video/mp4"
  ) async throws -> TestResponse {
    try await RouteTests.post(
      client, "/api/v1/videos\(query)", bytes: bytes, contentType: contentType)
  }

  @Test("upload → 202 with the job; the worker finishes it; timeline, frames, CSV; delete")
  func lifecycle() async throws {
    let setup = try Setup()
    try await setup.test { client in
      let response = try await Self.upload(
        client, TestVideoAnalyzer.video(frames: 25, faces: 2), query: "?name=ad.mp4&tag=ad-1")
      #expect(response.status == .accepted, "\(response.text)")
      let job = response.object
      let id = try #require(job["id"] as? Int)
      #expect(response.headers[.location] == "/api/v1/jobs/\(id)")
      #expect(job["state"] as? String == "queued" && job["progress"] as? Double == 0)
      #expect(setup.uploadedFiles().count == 1)

      // Not done yet: the timeline is a conflict.
      let early = try await client.execute(uri: "/api/v1/videos/\(id)/timeline", method: .get)
      try RouteTests.expectProblem(early, .conflict, kind: "video-not-ready")

      #expect(try await setup.worker.runOnce())
      let done = try await client.execute(uri: "/api/v1/jobs/\(id)", method: .get).object
      #expect(done["state"] as? String == "done" && done["progress"] as? Double == 100)
      #expect(done["attempts"] as? Int == 1 && done["error"] is NSNull)
      #expect(setup.uploadedFiles().isEmpty, "the upload is deleted after the job")

      let video = try await client.execute(uri: "/api/v1/videos/\(id)", method: .get).object
      #expect(video["name"] as? String == "ad.mp4" && video["tag"] as? String == "ad-1")
      let summary = try #require(video["summary"] as? [String: Any])
      #expect(summary["frames"] as? Int == 25 && summary["faces"] as? Int == 50)
      #expect((video["tracks"] as? [[String: Any]])?.count == 2)

      let timeline = try await client.execute(uri: "/api/v1/videos/\(id)/timeline", method: .get)
      #expect(timeline.status == .ok)
      let seconds = try #require(timeline.object["seconds"] as? [[String: Any]])
      #expect(seconds.map { $0["second"] as? Int } == [0, 1, 2])
      #expect(seconds.map { $0["frames"] as? Int } == [10, 10, 5])
      #expect(seconds.map { $0["faces"] as? Int } == [20, 20, 10])
      let tracks = try #require(seconds[0]["tracks"] as? [[String: Any]])
      #expect(tracks.map { $0["track"] as? Int } == [1, 2])
      let happy = try #require((tracks[1]["emotions"] as? [String: Any])?["fear"] as? Double)
      #expect(abs(happy - 0.7) < 1e-6)

      let csv = try await client.execute(
        uri: "/api/v1/videos/\(id)/timeline?format=csv", method: .get)
      let rows = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
      #expect(rows.first?.hasPrefix("second,track,frames,faces,mean_angry") == true)
      #expect(rows.count == 1 + 3 * 3)
      #expect(rows[1].hasPrefix("0,all,10,20,") && rows[2].hasPrefix("0,1,10,10,"))

      let frames = try await client.execute(uri: "/api/v1/videos/\(id)/frames", method: .get)
      let list = try #require(frames.object["frames"] as? [[String: Any]])
      #expect(list.count == 25 && (list[3]["faces"] as? [Any])?.count == 2)
      #expect(list.map { $0["frame"] as? Int } == Array(0..<25))
      #expect(frames.object["next_after"] is NSNull)
      // Pages of 10: 0...9, 10...19, 20...24; each names the after= of the next.
      var seen: [Int] = []
      var after: Int? = nil
      for expected in [9, 19, nil] as [Int?] {
        let query = "limit=10" + (after.map { "&after=\($0)" } ?? "")
        let page = try await client.execute(
          uri: "/api/v1/videos/\(id)/frames?\(query)", method: .get
        ).object
        let frames = try #require(page["frames"] as? [[String: Any]])
        seen += frames.compactMap { $0["frame"] as? Int }
        after = page["next_after"] as? Int
        #expect(after == expected)
      }
      #expect(seen == Array(0..<25))
      let past = try await client.execute(
        uri: "/api/v1/videos/\(id)/frames?after=24", method: .get
      ).object
      #expect((past["frames"] as? [Any])?.isEmpty == true && past["next_after"] is NSNull)
      for bad in ["limit=0", "limit=10001", "after=-1", "after=x", "limit=5&limit=6"] {
        let response = try await client.execute(
          uri: "/api/v1/videos/\(id)/frames?\(bad)", method: .get)
        try RouteTests.expectProblem(response, .badRequest, kind: "bad-parameter")
      }

      let page = try await client.execute(uri: "/api/v1/videos", method: .get).object
      #expect((page["videos"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])

      let deleted = try await client.execute(uri: "/api/v1/videos/\(id)", method: .delete)
      #expect(deleted.status == .noContent)
      let gone = try await client.execute(uri: "/api/v1/jobs/\(id)", method: .get)
      try RouteTests.expectProblem(gone, .notFound, kind: "not-found")
    }
  }

  @Test("keep=true keeps the upload; DELETE removes it")
  func keep() async throws {
    let setup = try Setup()
    try await setup.test { client in
      let response = try await Self.upload(
        client, TestVideoAnalyzer.video(frames: 3, faces: 1), query: "?keep=true")
      let id = try #require(response.object["id"] as? Int)
      #expect(try await setup.worker.runOnce())
      #expect(setup.uploadedFiles().count == 1)
      _ = try await client.execute(uri: "/api/v1/videos/\(id)", method: .delete)
      #expect(setup.uploadedFiles().isEmpty)
    }
  }

  @Test("a video the analyser cannot read: the job fails with its message, the upload is removed")
  func failedJob() async throws {
    let setup = try Setup()
    try await setup.test { client in
      let response = try await Self.upload(
        client, TestVideoAnalyzer.video(frames: 3, faces: 1, fail: true))
      let id = try #require(response.object["id"] as? Int)
      #expect(try await setup.worker.runOnce())
      let job = try await client.execute(uri: "/api/v1/jobs/\(id)", method: .get).object
      #expect(job["state"] as? String == "failed")
      #expect((job["error"] as? String)?.contains("no video stream") == true)
      #expect(setup.uploadedFiles().isEmpty)
      let timeline = try await client.execute(uri: "/api/v1/videos/\(id)/timeline", method: .get)
      try RouteTests.expectProblem(timeline, .conflict, kind: "video-not-ready")
    }
  }

  @Test(
    "refused uploads leave no file behind",
    arguments: [
      (
        "not a video", Array("GIF89a, not a video at all".utf8), "", "video/mp4", 415, "not-a-video"
      ),
      (
        "an image type", TestVideoAnalyzer.video(frames: 1, faces: 1), "", "image/png", 415,
        "not-a-video"
      ),
      ("too short to tell", [0, 0, 0], "", "video/mp4", 415, "not-a-video"),
      // Containers the reader does not open are refused at the door, not failed as jobs.
      (
        "FLV", Array("FLV\u{01}\u{05}".utf8) + [UInt8](repeating: 0, count: 300), "", "video/x-flv",
        415, "not-a-video"
      ),
      (
        "MPEG-PS", [0, 0, 1, 0xBA] + [UInt8](repeating: 0, count: 300), "", "video/mpeg", 415,
        "not-a-video"
      ),
      ("empty", [], "", "video/mp4", 400, "missing-video"),
      (
        "bad fps", TestVideoAnalyzer.video(frames: 1, faces: 1), "?fps=0", "video/mp4", 400,
        "bad-parameter"
      ),
      (
        "fps not a number", TestVideoAnalyzer.video(frames: 1, faces: 1), "?fps=fast",
        "video/mp4", 400, "bad-parameter"
      ),
      (
        "too large",
        TestVideoAnalyzer.video(frames: 1, faces: 1) + [UInt8](repeating: 0, count: 2000),
        "", "video/mp4", 413, "video-too-large"
      ),
    ] as [(String, [UInt8], String, String, Int, String)])
  func refused(
    what: String, body: [UInt8], query: String, type: String, status: Int, kind: String
  ) async throws {
    let setup = try Setup { $0.maxVideoBytes = 1000 }
    try await setup.test { client in
      let response = try await Self.upload(client, body, query: query, contentType: type)
      try RouteTests.expectProblem(response, .init(code: status), kind: kind)
      #expect(setup.uploadedFiles().isEmpty, "\(what)")
      let page = try await client.execute(uri: "/api/v1/videos", method: .get).object
      #expect((page["videos"] as? [Any])?.isEmpty == true, "\(what)")
    }
  }

  @Test("more videos waiting than the limit: 503 with Retry-After")
  func overloaded() async throws {
    let setup = try Setup { $0.maxPendingVideos = 2 }
    try await setup.test { client in
      for _ in 0..<2 {
        let ok = try await Self.upload(client, TestVideoAnalyzer.video(frames: 1, faces: 1))
        #expect(ok.status == .accepted)
      }
      let refused = try await Self.upload(client, TestVideoAnalyzer.video(frames: 1, faces: 1))
      try RouteTests.expectProblem(refused, .serviceUnavailable, kind: "overloaded")
      #expect(refused.headers[.retryAfter] != nil)
      #expect(setup.uploadedFiles().count == 2)
    }
  }

  @Test("bad ids and unknown videos")
  func badIDs() async throws {
    let setup = try Setup()
    try await setup.test { client in
      for path in ["/api/v1/jobs/0", "/api/v1/videos/x", "/api/v1/videos/-1/timeline"] {
        let response = try await client.execute(uri: path, method: .get)
        try RouteTests.expectProblem(response, .badRequest, kind: "bad-parameter")
      }
      for path in ["/api/v1/jobs/99", "/api/v1/videos/99", "/api/v1/videos/99/frames"] {
        let response = try await client.execute(uri: path, method: .get)
        try RouteTests.expectProblem(response, .notFound, kind: "not-found")
      }
      let delete = try await client.execute(uri: "/api/v1/videos/99", method: .delete)
      try RouteTests.expectProblem(delete, .notFound, kind: "not-found")
    }
  }

  @Test("an upload name read back from the database cannot leave the upload folder")
  func uploadNames() {
    let folder = UploadFolder("/srv/uploads")
    #expect(folder.file("0f3c-9a.video") == "/srv/uploads/0f3c-9a.video")
    for name in ["../etc/passwd", "/etc/passwd", "a/b.video", ".hidden", "", "x\u{0}y", "é.video"] {
      #expect(folder.file(name) == nil, "\(name)")
    }
  }

  @Test("a store without videos answers 501")
  func noVideoStore() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let response = try await Self.upload(client, TestVideoAnalyzer.video(frames: 1, faces: 1))
      try RouteTests.expectProblem(response, .notImplemented, kind: "videos-unavailable")
    }
  }
}
