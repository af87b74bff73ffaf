import Foundation
import Pipeline
import Service
import TestSupport
import Testing

/// Video jobs in the store, on SQLite and PostgreSQL: leases, expiry, hand-back, exactly-once
/// results, and the per-second timeline.
@Suite("Video job store", .serialized)
struct VideoJobStoreTests {
  static let t0: Int64 = 1_800_000_000_000_000
  static let second: Int64 = 1_000_000

  static func newVideo(_ name: String, file: String = "nonexistent.video") -> NewVideo {
    NewVideo(
      createdAt: t0, tag: "ad", name: name, bytes: 100, uploadFile: file, keepUpload: false,
      sampling: "10")
  }

  static func analysis(frames: Int, faces: Int) throws -> VideoAnalysis {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let path = directory.url.appendingPathComponent("v").path
    try Data(TestVideoAnalyzer.video(frames: frames, faces: faces)).write(
      to: URL(fileURLWithPath: path))
    return try TestVideoAnalyzer().analyzeVideo(
      atPath: path, name: "v.mp4", sampling: .standard, progress: { _ in true })
  }

  @Test("leases go to one worker each; an expired lease is taken again; only the holder stores")
  func leases() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let a = try await store.enqueue(Self.newVideo("a.mp4"))
        let b = try await store.enqueue(Self.newVideo("b.mp4"))
        #expect(a.state == .queued && a.attempts == 0 && a.progress == 0)
        #expect(try await store.pendingVideoCount() == 2)

        let lease = 60 * Self.second
        let first = try #require(
          try await store.leaseVideoJob(
            owner: "w1", now: Self.t0, leaseUntil: Self.t0 + lease, maxAttempts: 3))
        let second = try #require(
          try await store.leaseVideoJob(
            owner: "w2", now: Self.t0, leaseUntil: Self.t0 + lease, maxAttempts: 3))
        #expect(first.id == a.id && second.id == b.id && first.attempts == 1)
        #expect(
          try await store.leaseVideoJob(
            owner: "w3", now: Self.t0, leaseUntil: Self.t0 + lease, maxAttempts: 3) == nil)

        // w1 renews; w2 stops renewing and its lease runs out: w3 takes b.
        #expect(
          try await store.renewVideoLease(
            id: a.id, owner: "w1", progress: 0.5, leaseUntil: Self.t0 + 2 * lease))
        #expect(try await store.video(id: a.id)?.progress == 0.5)
        let later = Self.t0 + lease + 1
        let retaken = try #require(
          try await store.leaseVideoJob(
            owner: "w3", now: later, leaseUntil: later + lease, maxAttempts: 3))
        #expect(retaken.id == b.id && retaken.attempts == 2)
        #expect(
          !(try await store.renewVideoLease(
            id: b.id, owner: "w2", progress: 0.9, leaseUntil: later + lease)))

        // The old holder's result is refused; the new holder's is stored, once.
        let result = try Self.analysis(frames: 25, faces: 2)
        #expect(
          !(try await store.completeVideoJob(id: b.id, owner: "w2", analysis: result, now: later)))
        #expect(
          try await store.completeVideoJob(id: b.id, owner: "w3", analysis: result, now: later))
        #expect(
          !(try await store.completeVideoJob(id: b.id, owner: "w3", analysis: result, now: later)))
        let done = try #require(try await store.video(id: b.id))
        #expect(done.state == .done && done.progress == 1 && done.attempts == 2)
        #expect(
          done.summary
            == VideoSummary(
              model: "test-cnn", width: 640, height: 360, fps: 10, duration: 2.5, frames: 25,
              faces: 50, tracks: 2))
        let frames = try await store.videoFrames(videoID: b.id)
        #expect(frames == result.frames)
        // A page by frame index, and a range past the end.
        #expect(
          try await store.videoFrames(videoID: b.id, indices: 10..<20)
            == Array(result.frames[10..<20]))
        #expect(
          try await store.videoFrames(videoID: b.id, indices: 20..<1000)
            == Array(result.frames[20...]))
        #expect(try await store.videoFrames(videoID: b.id, indices: 25..<30).isEmpty)
        // Pages bounded by faces too (2 a frame here), never empty while frames remain.
        let page = try await store.videoFramePage(
          videoID: b.id, first: 3, maxFrames: 10, maxFaces: 5)
        #expect(page == Array(result.frames[3..<5]))
        let one = try await store.videoFramePage(
          videoID: b.id, first: 3, maxFrames: 10, maxFaces: 1)
        #expect(one == [result.frames[3]])
        #expect(
          try await store.videoFaceCounts(videoID: b.id, indices: 23..<40)
            == result.frames[23...].map(\.faces.count))
        #expect(try await store.videoTracks(videoID: b.id) == result.tracks)

        // Hand-back: queued again, the take not counted.
        #expect(try await store.releaseVideoJob(id: a.id, owner: "w1"))
        let back = try #require(try await store.video(id: a.id))
        #expect(back.state == .queued && back.attempts == 0)

        // Failing, and deleting.
        let again = try #require(
          try await store.leaseVideoJob(
            owner: "w1", now: later, leaseUntil: later + lease, maxAttempts: 3))
        #expect(try await store.failVideoJob(id: again.id, owner: "w1", error: "bad", now: later))
        #expect(try await store.video(id: a.id)?.state == .failed)
        #expect(try await store.video(id: a.id)?.error == "bad")
        #expect(try await store.pendingVideoCount() == 0)
        let removed = try await store.deleteVideo(id: b.id)
        #expect(removed.deleted && removed.uploadFile == "nonexistent.video")
        #expect(try await store.video(id: b.id) == nil)
        #expect(try await store.videoFrames(videoID: b.id).isEmpty)
        #expect(!(try await store.deleteVideo(id: b.id).deleted))
      }
    }
  }

  @Test("a job whose worker stopped three times is failed, not taken a fourth time")
  func attempts() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let video = try await store.enqueue(Self.newVideo("crashy.mp4"))
        var now = Self.t0
        for attempt in 1...3 {
          let job = try #require(
            try await store.leaseVideoJob(
              owner: "w\(attempt)", now: now, leaseUntil: now + 10, maxAttempts: 3))
          #expect(job.attempts == attempt)
          now += 11
        }
        #expect(
          try await store.leaseVideoJob(owner: "w4", now: now, leaseUntil: now + 10, maxAttempts: 3)
            == nil)
        let failed = try #require(try await store.video(id: video.id))
        #expect(failed.state == .failed && failed.error?.contains("3 times") == true)
      }
    }
  }

  @Test("the timeline per second: frames, faces and means, overall and per track")
  func timeline() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let video = try await store.enqueue(Self.newVideo("t.mp4"))
        _ = try await store.leaseVideoJob(
          owner: "w", now: Self.t0, leaseUntil: Self.t0 + 100, maxAttempts: 3)
        // Frames at 0.0 … 2.4 s; track 2 leaves after 1.45 s; second 3 holds a frame with none.
        var analysis = try Self.analysis(frames: 25, faces: 2)
        for i in analysis.frames.indices where analysis.frames[i].time > 1.45 {
          analysis.frames[i].faces.removeAll { $0.track == 2 }
        }
        analysis.frames.append(VideoFrameFaces(time: 3.2, faces: []))
        #expect(
          try await store.completeVideoJob(
            id: video.id, owner: "w", analysis: analysis, now: Self.t0))
        let rows = try await store.timeline(videoID: video.id)
        let overall = rows.filter { $0.track == nil }
        #expect(overall.map(\.second) == [0, 1, 2, 3])
        #expect(overall.map(\.frames) == [10, 10, 5, 1])
        #expect(overall.map(\.faces) == [20, 15, 5, 0])
        #expect(overall[3].meanProbabilities == nil)
        let one = TestVideoAnalyzer.probabilities(track: 1).values.map(Double.init)
        let two = TestVideoAnalyzer.probabilities(track: 2).values.map(Double.init)
        // Second 1: track 1 in 10 frames, track 2 in 5 (1.0 … 1.4).
        let mixed = zip(one, two).map { (10 * $0 + 5 * $1) / 15 }
        for (got, want) in zip(overall[1].meanProbabilities ?? [], mixed) {
          #expect(abs(got - want) < 1e-5)
        }
        let tracks1 = rows.filter { $0.second == 1 && $0.track != nil }
        #expect(tracks1.map(\.track) == [1, 2] && tracks1.map(\.faces) == [10, 5])
        for (got, want) in zip(tracks1[1].meanProbabilities ?? [], two) {
          #expect(abs(got - want) < 1e-5)
        }
        #expect(rows.filter { $0.second == 2 && $0.track != nil }.map(\.track) == [1])
      }
    }
  }

  @Test("a running job's progress is written while it moves, long before its lease is renewed")
  func progressWhileRunning() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.url.appendingPathComponent("p.video").path
        try Data(TestVideoAnalyzer.video(frames: 60, faces: 1)).write(
          to: URL(fileURLWithPath: path))
        let id = try await store.enqueue(Self.newVideo("p.mp4", file: "p.video")).id
        // A lease of a minute would be renewed after 20 s; the job takes about 1.2 s.
        let worker = VideoJobWorker(
          store: store, analyzer: TestVideoAnalyzer(delayPerFrameMs: 20),
          uploadDirectory: directory.url.path, owner: "w", lease: .seconds(60),
          progressInterval: .milliseconds(100), logger: Harness.logger)
        let run = Task { try await worker.runOnce() }
        var seen: [Double] = []
        for _ in 0..<300 {
          guard let video = try await store.video(id: id), video.state != .done else { break }
          if video.state == .running { seen.append(video.progress) }
          try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await run.value)
        let between = seen.filter { $0 > 0 && $0 < 1 }
        #expect(
          Set(between).count >= 2, "\(url): progress seen while running \(Set(seen).sorted())")
        #expect(try await store.video(id: id)?.state == .done)
      }
    }
  }

  @Test("four workers share twelve jobs: each done exactly once, results stored once")
  func concurrentWorkers() async throws {
    try await TestDatabases.each { url in
      try await SQLStore.withStore(url, logger: Harness.logger, timeout: TestDatabases.timeout) {
        store in
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        var ids: [Int64] = []
        for i in 0..<12 {
          let path = directory.url.appendingPathComponent("\(i).video").path
          try Data(TestVideoAnalyzer.video(frames: 5 + i, faces: 1 + i % 3)).write(
            to: URL(fileURLWithPath: path))
          ids.append(try await store.enqueue(Self.newVideo("\(i).mp4", file: "\(i).video")).id)
        }
        let taken = try await withThrowingTaskGroup(of: Int.self) { group in
          for w in 0..<4 {
            group.addTask {
              let worker = VideoJobWorker(
                store: store, analyzer: TestVideoAnalyzer(delayPerFrameMs: 1),
                uploadDirectory: directory.url.path, owner: "w\(w)",
                logger: Harness.logger)
              var count = 0
              while try await worker.runOnce() { count += 1 }
              return count
            }
          }
          return try await group.reduce(0, +)
        }
        #expect(taken == 12)
        for (i, id) in ids.enumerated() {
          let video = try #require(try await store.video(id: id))
          #expect(video.state == .done && video.attempts == 1, "\(url) video \(i)")
          #expect(video.summary?.frames == 5 + i)
          let frames = try await store.videoFrames(videoID: id)
          #expect(frames.count == 5 + i)
          #expect(frames.allSatisfy { $0.faces.count == 1 + i % 3 })
          // The worker removed the upload.
          #expect(
            !FileManager.default.fileExists(
              atPath: directory.url.appendingPathComponent("\(i).video").path))
        }
      }
    }
  }
}
