import Foundation
import TestSupport
import Testing
import Vision

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `emocl keys` and `emocl serve` as a user runs them: the built binary, a temporary SQLite file.
@Suite("emocl serve and keys", .serialized)
struct ServeCommandTests {
  /// `.build/<config>/emocl`, beside the test bundle.
  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("emocl")
  }

  static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outData, as: UTF8.self),
      String(decoding: errData, as: UTF8.self)
    )
  }

  @Test("keys create, list and revoke")
  func keys() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let database = "sqlite:" + directory.url.appendingPathComponent("sub/k.sqlite").path
    let created = try Self.run(["keys", "create", "--name", "ci", "--database", database])
    #expect(created.status == 0, "\(created.err)")
    let key = created.out.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(key.hasPrefix("emocl_") && key.count == 49)
    let listed = try Self.run(["keys", "list", "--database", database])
    #expect(listed.out.contains("\t\(key.prefix(12))…\t") && listed.out.contains("\tci"))
    #expect(!listed.out.contains(key))
    #expect(try Self.run(["keys", "revoke", "1", "--database", database]).status == 0)
    let again = try Self.run(["keys", "revoke", "1", "--database", database])
    #expect(again.status != 0 && again.err.contains("no unrevoked key with id 1"))
    #expect(
      try Self.run(["keys", "list", "--database", database]).out.contains("\t-\tci") == false)
  }

  @Test("keys create refuses a blank, over-long or multi-line name and stores nothing")
  func keyNames() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let database = "sqlite:" + directory.url.appendingPathComponent("k.sqlite").path
    for name in ["", "   ", "a\tb", "two\nlines", String(repeating: "n", count: 101)] {
      let r = try Self.run(["keys", "create", "--name", name, "--database", database])
      #expect(r.status != 0, "\(name.debugDescription)")
      #expect(r.err.contains("a key's name"), "\(name.debugDescription): \(r.err)")
      #expect(!r.out.contains("emocl_"), "\(name.debugDescription)")
    }
    // Listing or revoking in a database that does not exist makes none.
    let missing = directory.url.appendingPathComponent("typo/k.sqlite").path
    for command in [["keys", "list"], ["keys", "revoke", "1"]] {
      let r = try Self.run(command + ["--database", "sqlite:" + missing])
      #expect(r.status != 0 && r.err.contains("no database at"), "\(command): \(r.err)")
    }
    #expect(!FileManager.default.fileExists(atPath: missing))
    #expect(
      !FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("typo").path))
    let longest = String(repeating: "n", count: 100)
    #expect(
      try Self.run(["keys", "create", "--name", longest, "--database", database]).status == 0)
    let listed = try Self.run(["keys", "list", "--database", database]).out
    #expect(listed.split(separator: "\n").count == 2, "\(listed)")  // the header and one key
  }

  @Test("serve without a usable model exits with a clear error")
  func serveWithoutModels() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let database = "sqlite:" + directory.url.appendingPathComponent("s.sqlite").path
    let empty = try Self.run([
      "serve", "--port", "0", "--models", directory.url.path, "--database", database,
    ])
    #expect(empty.status != 0)
    #expect(
      empty.err.contains("no model could be loaded from \(directory.url.path)"), "\(empty.err)")
    let missing = directory.url.appendingPathComponent("nowhere").path
    let absent = try Self.run(["serve", "--port", "0", "--models", missing, "--database", database])
    #expect(absent.status != 0 && absent.err.contains("models folder \(missing) does not exist"))
  }

  @Test("serve refuses out-of-range numbers with a message instead of crashing")
  func serveBadNumbers() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let database = "sqlite:" + directory.url.appendingPathComponent("s.sqlite").path
    for days in ["200000000", "0", "-5"] {
      let r = try Self.run([
        "serve", "--port", "0", "--retention-days", days, "--database", database,
      ])
      // 1 is ArgumentParser's and our validation's exit; a trap would be a signal (> 128).
      #expect(r.status == 1 || r.status == 64, "\(days): \(r.status) \(r.err)")
      #expect(r.err.contains("retention"), "\(r.err)")
    }
    for flag in ["--max-connections", "--max-connections-per-client"] {
      for value in ["0", "2000000"] {
        let r = try Self.run(["serve", "--port", "0", flag, value, "--database", database])
        #expect(r.status == 1 || r.status == 64, "\(flag) \(value): \(r.status) \(r.err)")
        #expect(r.err.contains("connection limits"), "\(r.err)")
      }
    }
  }

  @Test("serve --detector sets the detector of requests that name none; detector= still wins")
  func serveDetector() async throws {
    guard let photos = try SharedData.path("datasets/photos") else { return }
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let models = try videoModels(in: directory.url)
    let database = "sqlite:" + directory.url.appendingPathComponent("s.sqlite").path
    let photo = [UInt8](
      try Data(contentsOf: photos.appendingPathComponent("20_multi_face.jpg")))
    let (server, port) = try await ServeProcess.start(
      models: models, database: database, arguments: ["--detector", "haar"])
    defer { if server.isRunning { server.terminate() } }
    /// Faces found, and how many carry the CNN detector's details.
    func analyze(_ query: String) throws -> (faces: Int, detailed: Int) {
      let answer = try LocalHTTP.request(
        "POST", port: port, path: "/api/v1/analyze?store=false" + query, body: photo,
        contentType: "image/jpeg", timeout: 60)
      #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
      let faces = try #require(json["faces"] as? [[String: Any]])
      return (faces.count, faces.filter { $0["detection"] != nil }.count)
    }
    // The Haar cascades find 4 of the 5 faces and give no detection details; MTCNN all 5.
    let byDefault = try analyze("")
    #expect(byDefault.faces == 4 && byDefault.detailed == 0, "\(byDefault)")
    let named = try analyze("&detector=cnn")
    #expect(named.faces == 5 && named.detailed == 5, "\(named)")
    server.terminate()

    // A detector named for the server must load: a broken MTCNN file stops it with a message
    // (without --detector the server starts with the Haar cascades and a warning).
    try Data("not a model".utf8).write(to: models.appendingPathComponent("mtcnn.safetensors"))
    let broken = try Self.run([
      "serve", "--port", "0", "--models", models.path, "--database", database, "--workers", "0",
      "--detector", "cnn",
    ])
    #expect(broken.status != 0)
    #expect(broken.err.contains("the face detector cnn asked for"), "\(broken.err)")
    for command in ["serve", "worker"] {
      let bad = try Self.run([command, "--detector", "dlib", "--database", database])
      #expect(bad.status != 0 && bad.err.contains("dlib"), "\(command): \(bad.err)")
    }
  }

  @Test("serve answers /healthz, analyzes with the model in --models, stops cleanly on SIGTERM")
  func serve() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    try writeBrightnessModel(to: directory.url.appendingPathComponent("logreg.safetensors"))
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = ["serve", "--port", "0", "--models", directory.url.path]
    process.environment = ProcessInfo.processInfo.environment.merging([
      "EMOCL_DATABASE": "sqlite:" + directory.url.appendingPathComponent("s.sqlite").path,
      "EMOCL_LOG_LEVEL": "info",
    ]) { $1 }
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    // The port appears in the "listening" log line.
    var log = ""
    var port: Int?
    let deadline = ContinuousClock.now + .seconds(30)
    while port == nil, ContinuousClock.now < deadline, process.isRunning {
      let data = err.fileHandleForReading.availableData
      if data.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
      log += String(decoding: data, as: UTF8.self)
      if let range = log.range(of: #"port=(\d+)"#, options: .regularExpression) {
        port = Int(log[range].dropFirst(5))
      }
    }
    let bound = try #require(port, "no port in the log: \(log)")
    let (body, response) = try await URLSession.shared.data(
      from: URL(string: "http://127.0.0.1:\(bound)/healthz")!)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    #expect(String(decoding: body, as: UTF8.self).contains("ok"))
    let ready = try await URLSession.shared.data(
      from: URL(string: "http://127.0.0.1:\(bound)/readyz")!)
    #expect((ready.1 as? HTTPURLResponse)?.statusCode == 200)
    let models = try await URLSession.shared.data(
      from: URL(string: "http://127.0.0.1:\(bound)/api/v1/models")!)
    let listing = try #require(
      try JSONSerialization.jsonObject(with: models.0) as? [String: Any])
    #expect(listing["default"] as? String == "logreg")
    // A bright 48×48 face crop is happy for the brightness model.
    var request = URLRequest(
      url: URL(string: "http://127.0.0.1:\(bound)/api/v1/analyze?store=false")!)
    request.httpMethod = "POST"
    request.setValue("image/png", forHTTPHeaderField: "Content-Type")
    let png = directory.url.appendingPathComponent("white.png")
    try Image(width: 48, height: 48, channels: 1, pixels: [UInt8](repeating: 255, count: 48 * 48))
      .writePNG(toFile: png.path)
    let (answer, analyzed) = try await URLSession.shared.upload(
      for: request, from: try Data(contentsOf: png))
    #expect((analyzed as? HTTPURLResponse)?.statusCode == 200)
    let analysis = try #require(try JSONSerialization.jsonObject(with: answer) as? [String: Any])
    let faces = try #require(analysis["faces"] as? [[String: Any]])
    #expect(faces.count == 1 && faces[0]["dominant"] as? String == "happy")
    process.terminate()  // SIGTERM
    let stop = ContinuousClock.now + .seconds(10)
    while process.isRunning, ContinuousClock.now < stop {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(!process.isRunning)
    #expect(process.terminationStatus == 0 && process.terminationReason == .exit, "\(log)")
  }
}
