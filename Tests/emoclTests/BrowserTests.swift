import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// The page in a real headless Chromium driven over WebDriver (Debian's chromium and
/// chromium-driver): upload a shared photo, see boxes and bars, find the record on the
/// dashboard; then the webcam path with Chromium's fake camera. Free ports for the server and
/// the driver, deadlines on every wait, both processes stopped at the end.
@Suite("Browser", .serialized)
struct BrowserTests {
  static let chromium = "/usr/bin/chromium"
  static let chromedriver = "/usr/bin/chromedriver"

  struct Missing: Error, CustomStringConvertible {
    var description: String
  }

  /// Starts chromedriver on a free port and waits until it reports ready. A driver that does
  /// not answer in time (seen once in CI on a loaded machine: running, but the port refused for
  /// 20 s) is killed and another started on a new port, three times at most.
  static func startDriver() async throws -> (Process, Int) {
    var failures: [String] = []
    for _ in 0..<3 {
      do {
        return try await startDriverOnce()
      } catch let missing as Missing {
        failures.append(missing.description)
      }
    }
    throw Missing(description: failures.joined(separator: "; "))
  }

  /// One attempt of ``startDriver()``: 30 s for chromedriver to report ready.
  static func startDriverOnce() async throws -> (Process, Int) {
    let port = try freePort()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromedriver)
    let log = FileManager.default.temporaryDirectory.appendingPathComponent(
      "emocl-chromedriver-\(port).log")
    process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-path=\(log.path)"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = ContinuousClock.now + .seconds(30)
    var lastError = ""
    while ContinuousClock.now < deadline, process.isRunning {
      do {
        let value = try WebDriver.call("GET", port: port, "/status", timeout: 2) as? [String: Any]
        if value?["ready"] as? Bool == true {
          try? FileManager.default.removeItem(at: log)
          return (process, port)
        }
        lastError = "not ready: \(String(describing: value))"
      } catch {
        lastError = "\(error)"
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    let running = process.isRunning
    if running { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    throw Missing(
      description: "chromedriver did not become ready on port \(port) (running: \(running)"
        + (running ? "" : ", exit status \(process.terminationStatus)")
        + ", last error: \(lastError); its log ends: "
        + String((try? String(contentsOf: log, encoding: .utf8))?.suffix(600) ?? "none") + ")")
  }

  /// Stops chromedriver: its /shutdown endpoint, then SIGKILL (it inherits a signal mask from
  /// the test runner that blocks SIGTERM).
  static func stopDriver(_ process: Process, port: Int) async {
    _ = try? WebDriver.call("GET", port: port, "/shutdown", timeout: 5)
    let deadline = ContinuousClock.now + .seconds(3)
    while process.isRunning, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(50))
    }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  static func stop(_ process: Process) async {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = ContinuousClock.now + .seconds(5)
    while process.isRunning, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(50))
    }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// The number of records the server holds.
  static func recordCount(port: Int) async throws -> Int {
    let value = try await URLSession.shared.data(
      from: URL(string: "http://127.0.0.1:\(port)/api/v1/analyses?limit=1000")!)
    let json = try JSONSerialization.jsonObject(with: value.0) as? [String: Any]
    return (json?["analyses"] as? [Any])?.count ?? -1
  }

  /// Whether Chromium and chromedriver are installed; without them the test is skipped
  /// locally and fails in CI (make test installs them).
  static func browserAvailable() throws -> Bool {
    let tools = [chromium, chromedriver]
    guard tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) else {
      let message =
        "skipped: browser test needs \(tools.joined(separator: " and ")) (make test installs them)"
      if SharedData.isCI { throw Missing(description: message) }
      print(message)
      return false
    }
    return true
  }

  /// Runs `body` with a headless Chromium session on a chromedriver of its own, then stops the
  /// browser, the driver and `server`, also when `body` throws.
  static func withBrowser(server: Process, _ body: (WebDriver) async throws -> Void)
    async throws
  {
    var driverProcess: (Process, Int)?
    var browser: WebDriver?
    do {
      let (driver, driverPort) = try await startDriver()
      driverProcess = (driver, driverPort)
      let page = try await WebDriver.start(driverPort: driverPort, chromium: chromium)
      browser = page
      try await body(page)
    } catch {
      await browser?.quit()
      if let driver = driverProcess { await stopDriver(driver.0, port: driver.1) }
      await stop(server)
      throw error
    }
    await browser?.quit()
    if let driver = driverProcess { await stopDriver(driver.0, port: driver.1) }
    await stop(server)
  }

  @Test("upload a photo, see boxes and bars, find it on the dashboard; the webcam path")
  func uploadDashboardAndWebcam() async throws {
    guard let photos = try SharedData.path("datasets/photos"), try Self.browserAvailable() else {
      return
    }
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let models = directory.url.appendingPathComponent("models")
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    try writeBrightnessModel(to: models.appendingPathComponent("logreg.safetensors"))
    let (server, port) = try await ServeProcess.start(
      models: models, database: "sqlite:" + directory.url.appendingPathComponent("e2e.sqlite").path)
    try await Self.withBrowser(server: server) { page in
      try await Self.exercise(
        page, port: port, photo: photos.appendingPathComponent("21_single_face.jpg"))
    }
  }

  @Test("the videos page: upload a clip, play it with boxes drawn over it, seek from the timeline")
  func videoPage() async throws {
    guard let videos = try SharedData.path("datasets/videos"), try Self.browserAvailable() else {
      return
    }
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let models = try videoModels(in: directory.url)
    // This server's SQLite file is its own, so it may run a worker (the last --workers wins).
    let (server, port) = try await ServeProcess.start(
      models: models, database: "sqlite:" + directory.url.appendingPathComponent("v.sqlite").path,
      arguments: [
        "--workers", "1", "--upload-dir", directory.url.appendingPathComponent("uploads").path,
      ])
    try await Self.withBrowser(server: server) { page in
      try await Self.exerciseVideos(
        page, port: port, clip: videos.appendingPathComponent("single_face.mp4"))
    }
  }

  static func exerciseVideos(_ page: WebDriver, port: Int, clip: URL) async throws {
    try await page.go("http://127.0.0.1:\(port)/videos")
    try await page.waitUntil("the page", "return !!document.getElementById('file');")
    try await page.type("#tag", "e2e-video")
    try await page.type("#file", clip.path)
    try await page.waitUntil(
      "the job", seconds: 60,
      "return /done\\./.test(document.getElementById('status').textContent);")
    // The local file plays under its title; the timeline is drawn under it.
    try await page.waitUntil(
      "the player",
      "const v = document.getElementById('player'); return !v.hidden && v.readyState >= 2;")
    let title = try await page.script("return document.getElementById('player-title').textContent;")
    #expect((title as? String)?.contains("1 track(s)") == true, "\(String(describing: title))")
    try await page.waitUntil(
      "the timeline", "return !!document.querySelector('#timeline svg path');")
    // A click on the chart at 80% of its plotted width seeks the video to 80% of the chart's
    // time axis (whole seconds, so possibly past the clip's end: then to its end).
    let before = try await page.script("return document.getElementById('player').currentTime;")
    #expect(before as? Double == 0)
    try await page.script(
      """
      const svg = document.querySelector('#timeline svg'), r = svg.getBoundingClientRect();
      const x = r.left + (44 + 0.8 * (900 - 44 - 10)) * r.width / 900;
      svg.dispatchEvent(new MouseEvent('click', { clientX: x, clientY: r.top + r.height / 2, bubbles: true }));
      """)
    try await page.waitUntil(
      "the seek",
      """
      const v = document.getElementById('player');
      const axis = Number(document.getElementById('timeline').dataset.duration);
      return Math.abs(v.currentTime - Math.min(0.8 * axis, v.duration)) < 0.2 && !v.seeking;
      """)
    // After the seek the face's box is drawn on the overlay: some opaque pixels.
    try await page.waitUntil(
      "a box over the video",
      """
      const c = document.getElementById('overlay');
      if (!c.width) return false;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
      return false;
      """)
    // The list shows the video as done.
    try await page.waitUntil(
      "the list",
      "return [...document.querySelectorAll('#videos tr')].some(r => /single_face\\.mp4/.test(r.textContent) && /done/.test(r.textContent));"
    )
  }

  static func exercise(_ page: WebDriver, port: Int, photo: URL) async throws {
    let origin = "http://127.0.0.1:\(port)"
    try await page.go(origin + "/")
    try await page.waitUntil(
      "the model list", "return document.querySelectorAll('#model option').length > 0;")
    // Typed like a user; then the photo goes into the file input.
    try await page.type("#tag", "e2e-campaign")
    try await page.type("#file", photo.path)
    try await page.waitUntil(
      "the analysis",
      "return /recorded as #\\d+/.test(document.getElementById('status').textContent);")
    let faces = try #require(
      try await page.script(
        """
        const cards = [...document.querySelectorAll('#faces .face')];
        return cards.map(c => ({ box: c.dataset.box, dominant: c.dataset.dominant,
          bars: c.querySelectorAll('.bar').length }));
        """) as? [[String: Any]])
    #expect(faces.count == 1)
    #expect(faces.allSatisfy { $0["bars"] as? Int == 7 })
    // The box is drawn on the canvas in its dominant emotion's colour: sample its left edge.
    let drawn = try await page.script(
      """
      const card = document.querySelector('#faces .face');
      const [x, y, w, h] = card.dataset.box.split(',').map(Number);
      const canvas = document.getElementById('view');
      const [r, g, b] = canvas.getContext('2d').getImageData(x, Math.round(y + h / 2), 1, 1).data;
      const hex = COLORS[card.dataset.dominant].replace('#', '');
      const want = [0, 2, 4].map(i => parseInt(hex.slice(i, i + 2), 16));
      return Math.abs(r - want[0]) + Math.abs(g - want[1]) + Math.abs(b - want[2]) <= 6 &&
        canvas.width > x + w && canvas.height > y + h;
      """)
    #expect(drawn as? Bool == true, "no box in the face's colour on the canvas")
    let status = try await page.script("return document.getElementById('status').textContent;")
    let id = try #require(
      (status as? String)?.firstMatch(of: /recorded as #(\d+)/).map { String($0.1) })

    // The dashboard link leads to the record.
    try await page.click("#dashboard-link")
    try await page.waitUntil(
      "the record on the dashboard",
      "return !!document.getElementById('analysis-\(id)') && /1 faces/.test(document.getElementById('status').textContent);"
    )
    let row =
      try await page.script(
        "return document.getElementById('analysis-\(id)').textContent;") as? String
    #expect(row?.contains("e2e-campaign") == true && row?.contains("logreg") == true)
    #expect(
      try await page.script("return document.querySelectorAll('#chart svg path').length;") as? Int
        == 7)

    // Webcam: Chromium's fake camera, a frame every 200 ms, nothing recorded until asked.
    try await page.go(origin + "/")
    try await page.waitUntil(
      "the model list", "return document.querySelectorAll('#model option').length > 0;")
    _ = try await page.script("document.getElementById('interval').value = '200';")
    // Consent first: the dialog opens and the camera stays off until the viewer agrees.
    try await page.click("#camera")
    try await page.waitUntil(
      "the consent dialog", "return document.getElementById('consent').open === true;")
    #expect(
      try await page.script("return document.getElementById('video').srcObject === null;")
        as? Bool == true, "the webcam started before consent")
    try await page.click("#consent-no")
    try await page.waitUntil(
      "the refusal", "return /not started/.test(document.getElementById('status').textContent);")
    #expect(
      try await page.script("return document.getElementById('video').srcObject === null;")
        as? Bool == true, "the webcam started after the viewer declined")
    try await page.click("#camera")
    try await page.waitUntil(
      "the consent dialog again", "return document.getElementById('consent').open === true;")
    try await page.click("#consent-yes")
    try await page.waitUntil(
      "webcam frames analysed",
      """
      const v = document.getElementById('video'), c = document.getElementById('view');
      return /\\d+ face\\(s\\), model logreg/.test(document.getElementById('status').textContent) &&
        v.videoWidth > 0 && c.width === v.videoWidth && c.height === v.videoHeight;
      """)
    try await Task.sleep(for: .milliseconds(600))
    #expect(try await recordCount(port: port) == 1, "webcam frames were recorded without asking")
    // Recording on: at most one record a second.
    let started = ContinuousClock.now
    try await page.click("#record")
    try await page.waitUntil(
      "a recorded webcam frame",
      "return /recorded as #/.test(document.getElementById('status').textContent);")
    try await Task.sleep(for: .milliseconds(1500))
    try await page.click("#record")
    let seconds = Double((ContinuousClock.now - started).components.seconds) + 1
    let recorded = try await recordCount(port: port) - 1
    #expect(recorded >= 1 && Double(recorded) <= seconds + 1, "\(recorded) records in \(seconds) s")
    try await page.click("#camera")
    #expect(
      try await page.script("return document.getElementById('camera').textContent;") as? String
        == "Start webcam")

    // An audience session: a stimulus, recording on; the frames carry the session; the
    // dashboard draws the reaction curve.
    // The fake camera shows no face: the whole frame is taken as one face.
    _ = try await page.script(
      "document.getElementById('stimulus').value = 'ad-e2e';"
        + " document.getElementById('detect').value = 'false';")
    try await page.click("#record")
    try await page.click("#camera")
    try await page.waitUntil(
      "the consent dialog for the session",
      "return document.getElementById('consent').open === true;")
    #expect(
      (try await page.script(
        "return document.getElementById('consent-record').textContent;") as? String)?
        .contains("ad-e2e") == true)
    try await page.click("#consent-yes")
    try await page.waitUntil(
      "a recorded session frame",
      "return /recorded as #/.test(document.getElementById('status').textContent);")
    try await Task.sleep(for: .milliseconds(1200))
    try await page.click("#camera")
    try await page.go(origin + "/dashboard")
    try await page.waitUntil(
      "the reaction curve",
      "return document.querySelectorAll('#reaction svg path').length >= 1 &&"
        + " /ad-e2e/.test(document.getElementById('reaction').textContent);")
  }
}
