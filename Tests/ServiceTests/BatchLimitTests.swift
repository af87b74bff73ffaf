import Foundation
import Hummingbird
import HummingbirdTesting
import Service
import Synchronization
import Testing

/// A batch is stored all or nothing, its decoded pixels are bounded, and a full analysis queue
/// sheds work at once.
// Serialized: the queue tests block a thread of the cooperative pool (which has one per core)
// until their first job starts; two at once could wait for each other.
@Suite("Batch and queue limits", .serialized)
struct BatchLimitTests {
  static func form(count: Int, width: Int = 640, height: Int = 480) -> MultipartBody {
    var form = MultipartBody()
    for i in 0..<count {
      form.add(
        name: "images", filename: "\(i).jpg", contentType: "image/jpeg",
        body: TestImages.jpeg(width: width, height: height, seed: UInt8(i)))
    }
    return form
  }

  @Test("a batch whose storage fails stores nothing and answers 503; a retry stores each once")
  func allOrNothing() async throws {
    let harness = try Harness()
    try await harness.test { client in
      let form = Self.form(count: 3)
      harness.store.failInserts(above: 1)
      let failed = try await RouteTests.post(
        client, "/api/v1/analyze/batch?tag=b", bytes: form.finished(),
        contentType: form.contentType)
      try RouteTests.expectProblem(failed, .serviceUnavailable, kind: "database-unavailable")
      #expect(try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 9).isEmpty)
      harness.store.failInserts(above: nil)
      let retried = try await RouteTests.post(
        client, "/api/v1/analyze/batch?tag=b", bytes: form.finished(),
        contentType: form.contentType)
      #expect(retried.status == .ok, "\(retried.text)")
      let results = try #require(retried.object["results"] as? [[String: Any]])
      let ids = results.compactMap { $0["id"] as? Int }
      #expect(ids.count == 3)
      let stored = try await harness.sqlite.list(AnalysisFilter(), before: nil, limit: 9)
      #expect(Set(stored.map { Int($0.id) }) == Set(ids))
    }
  }

  @Test("an image that would take the batch past its pixel budget is refused, not decoded")
  func pixelBudget() async throws {
    // Each 640×480 image is 307,200 pixels, a 200×160 one 32,000: with a budget of 700,000 two
    // large ones fit (614,400), a third does not (921,600), a small one after it does.
    let harness = try Harness(configure: { $0.maxBatchPixels = 700_000 })
    try await harness.test { client in
      var form = Self.form(count: 3)
      form.add(
        name: "images", filename: "small.jpg", contentType: "image/jpeg",
        body: TestImages.jpeg(width: 200, height: 160, seed: 9))
      form.add(
        name: "images", filename: "last.jpg", contentType: "image/jpeg",
        body: TestImages.jpeg(width: 640, height: 480, seed: 10))
      let r = try await RouteTests.post(
        client, "/api/v1/analyze/batch?store=false", bytes: form.finished(),
        contentType: form.contentType)
      #expect(r.status == .ok, "\(r.text)")
      let results = try #require(r.object["results"] as? [[String: Any]])
      #expect(results.map { $0["width"] as? Int } == [640, 640, nil, 200, nil])
      for result in [results[2], results[4]] {
        let error = result["error"] as? [String: Any]
        #expect(error?["status"] as? Int == 413)
        #expect(error?["type"] as? String == "/problems/batch-too-large")
      }
    }
  }

  @Test("a batch image over the one-image limit is image-too-large while the budget has room")
  func oneImageLimitInABatch() async throws {
    let harness = try Harness()
    try await harness.test { client in
      var form = MultipartBody()
      form.add(
        name: "images", filename: "huge.png", contentType: "image/png",
        body: TestImages.png(width: 8000, height: 8000))
      let r = try await RouteTests.post(
        client, "/api/v1/analyze/batch?store=false", bytes: form.finished(),
        contentType: form.contentType)
      #expect(r.status == .ok, "\(r.text)")
      let results = try #require(r.object["results"] as? [[String: Any]])
      let error = results.first?["error"] as? [String: Any]
      #expect(error?["type"] as? String == "/problems/image-too-large")
    }
  }

  @Test("a full analysis queue refuses at once with Overloaded")
  func queueBound() async throws {
    let threads = AnalysisThreads(count: 1, maxQueued: 1, name: "test-queue")
    let release = DispatchSemaphore(value: 0)
    let started = DispatchSemaphore(value: 0)
    async let first: Int = threads.run {
      started.signal()
      release.wait()
      return 1
    }
    started.wait()
    // The thread is busy; one job may wait.
    async let second: Int = threads.run { 2 }
    try await Task.sleep(for: .milliseconds(100))
    await #expect(throws: AnalysisThreads.Overloaded.self) { try await threads.run { 3 } }
    release.signal()
    #expect(try await first == 1)
    #expect(try await second == 2)
    // Drained: new work is taken again.
    #expect(try await threads.run { 4 } == 4)
  }

  @Test("a job that waited past maxWait is refused when its turn comes, not run")
  func queueWait() async throws {
    let threads = AnalysisThreads(
      count: 1, maxQueued: 4, maxWait: .milliseconds(200), name: "test-wait")
    let release = DispatchSemaphore(value: 0)
    let started = DispatchSemaphore(value: 0)
    let ran = Mutex(false)
    async let first: Int = threads.run {
      started.signal()
      release.wait()
      return 1
    }
    started.wait()
    async let late: Int = threads.run {
      ran.withLock { $0 = true }
      return 2
    }
    // The waiting job's 200 ms pass while the thread is busy.
    try await Task.sleep(for: .milliseconds(400))
    release.signal()
    #expect(try await first == 1)
    do {
      _ = try await late
      Issue.record("the late job ran")
    } catch let overloaded as AnalysisThreads.Overloaded {
      #expect(overloaded.waited.map { $0 >= .milliseconds(200) } == true)
      #expect(overloaded.description.contains("waited"))
    }
    #expect(ran.withLock { $0 } == false)
    // A job that waits less than that runs.
    #expect(try await threads.run { 3 } == 3)
  }

  /// How many jobs ran at once, and how many pixels they held together, at most.
  final class Gauge: Sendable {
    let state = Mutex((now: 0, most: 0, pixels: 0, mostPixels: 0))

    /// A job of `pixels` that takes 50 ms and counts itself while it runs.
    func job(_ pixels: Int) -> @Sendable () -> Int {
      {
        self.state.withLock {
          $0.now += 1
          $0.pixels += pixels
          $0.most = max($0.most, $0.now)
          $0.mostPixels = max($0.mostPixels, $0.pixels)
        }
        Thread.sleep(forTimeInterval: 0.05)
        self.state.withLock {
          $0.now -= 1
          $0.pixels -= pixels
        }
        return pixels
      }
    }
  }

  @Test("running jobs hold at most maxPixelsInFlight pixels together; one alone may hold more")
  func pixelsInFlight() async throws {
    let threads = AnalysisThreads(
      count: 8, maxQueued: 32, maxPixelsInFlight: 100, name: "test-pixels")
    // Six jobs of 40: two at a time (80), never three (120).
    let gauge = Gauge()
    let weighed = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<6 { group.addTask { try await threads.run(pixels: 40, gauge.job(40)) } }
      return try await group.reduce(0, +)
    }
    #expect(weighed == 240)
    #expect(gauge.state.withLock { $0.most } == 2)
    #expect(gauge.state.withLock { $0.mostPixels } == 80)
    // A job heavier than the budget runs alone; weightless jobs are not held back by it.
    let heavy = Gauge()
    let all = try await withThrowingTaskGroup(of: Int.self) { group in
      group.addTask { try await threads.run(pixels: 150, heavy.job(150)) }
      try await Task.sleep(for: .milliseconds(10))
      for _ in 0..<4 { group.addTask { try await threads.run(pixels: 0, heavy.job(0)) } }
      return try await group.reduce(0, +)
    }
    #expect(all == 150)
    #expect(heavy.state.withLock { $0.mostPixels } == 150)
    #expect(heavy.state.withLock { $0.most } >= 2)
  }
}
