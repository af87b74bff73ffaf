import Datasets
import Foundation
import Pipeline
import Synchronization
import TestSupport
import Testing
import Vision

/// `VideoAnalyzer` end to end on generated videos (faces from the shared photos moving,
/// leaving and arriving; a box whose grey level changes) and on the shared clips.
@Suite(.serialized) struct VideoAnalyzerTests {
  static func analyzer(
    _ locator: any FaceLocating, options: VideoAnalysisOptions = .init()
  ) -> VideoAnalyzer {
    VideoAnalyzer(
      pipeline: EmotionPipeline(classifier: MeanGreyClassifier(), faceLocator: locator),
      options: options)
  }

  /// The share of the frames with a face in which the most frequent track appears.
  static func mainTrackShare(_ analysis: VideoAnalysis) -> (id: Int?, share: Double, faces: Int) {
    let withFace = analysis.frames.filter { !$0.faces.isEmpty }
    var counts: [Int: Int] = [:]
    for frame in withFace { for face in frame.faces { counts[face.track, default: 0] += 1 } }
    guard let main = counts.max(by: { $0.value < $1.value }) else { return (nil, 0, 0) }
    return (main.key, Double(main.value) / Double(withFace.count), withFace.count)
  }

  /// A face crossing a 640x360 frame in 4 s (115 px/s), every frame analysed with the Haar
  /// detector every few frames: one track for at least 90% of the frames it is found in, and it
  /// is found in most frames.
  @Test func movingFaceIsOneTrack() throws {
    guard let face = try GeneratedVideo.face("21_single_face.jpg", side: 150) else { return }
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = dir.url.appendingPathComponent("moving.mp4").path
    try GeneratedVideo.write(to: path, width: 640, height: 360, fps: 30, seconds: 4) {
      time, canvas in
      GeneratedVideo.paste(face, onto: &canvas, x: 20 + Int(115 * time), y: 100)
    }
    let analysis = try Self.analyzer(try HaarFaceLocator.standard()).analyzeVideo(
      atPath: path, name: "moving.mp4", sampling: .everyFrame, progress: { _ in true })
    #expect(analysis.frames.count == 120)
    #expect(analysis.width == 640 && analysis.height == 360)
    let (id, share, faces) = Self.mainTrackShare(analysis)
    print("moving face: track \(id ?? 0) in \(share) of \(faces) frames with a face of 120")
    #expect(share >= 0.9)
    #expect(faces >= 108)
    // The track's box follows the face.
    for frame in analysis.frames {
      guard let box = frame.faces.first(where: { $0.track == id })?.box else { continue }
      let truth = PixelBox(x: 20 + Int(115 * frame.time), y: 100, width: 150, height: 150)
      #expect(box.intersectionOverUnion(truth) > 0.2, "at \(frame.time)")
    }
    let summary = try #require(analysis.tracks.first { $0.id == id })
    #expect(summary.frames >= 108 * 9 / 10)
  }

  /// One face walks out to the right (gone by 2 s); another appears at the left at 2.5 s: each
  /// track belongs to one face.
  @Test func faceLeavesAndAnotherArrives() throws {
    guard let first = try GeneratedVideo.face("21_single_face.jpg", side: 150),
      let second = try GeneratedVideo.face("30_astronaut.png", side: 150)
    else { return }
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = dir.url.appendingPathComponent("swap.mp4").path
    try GeneratedVideo.write(to: path, width: 640, height: 360, fps: 25, seconds: 4.5) {
      time, canvas in
      if time < 2 { GeneratedVideo.paste(first, onto: &canvas, x: 300 + Int(180 * time), y: 100) }
      if time >= 2.5 { GeneratedVideo.paste(second, onto: &canvas, x: 40, y: 120) }
    }
    let analysis = try Self.analyzer(try HaarFaceLocator.standard()).analyzeVideo(
      atPath: path, name: "swap.mp4", sampling: .perSecond(10), progress: { _ in true })
    #expect(analysis.frames.count == 45)
    print(
      "leave and arrive: tracks \(analysis.tracks.map { ($0.id, $0.first, $0.last, $0.frames) })")
    let early = analysis.tracks.filter { $0.last < 2.3 }
    let late = analysis.tracks.filter { $0.first >= 2.5 }
    #expect(early.count + late.count == analysis.tracks.count, "a track spans both faces")
    #expect(early.contains { $0.frames >= 12 })
    #expect(late.contains { $0.frames >= 18 })
    // Ids are in order of appearance.
    #expect(analysis.tracks.map(\.id) == analysis.tracks.sorted { $0.first < $1.first }.map(\.id))
  }

  /// A box whose grey level changes at 1 s from the "angry" band to the "happy" band of the
  /// mean-grey classifier: the smoothed dominant emotion follows within 0.5 s, at 30 frames/s
  /// and at the default 10.
  @Test(arguments: [VideoSampling.everyFrame, .standard])
  func smoothingLagsARealChangeByLessThanHalfASecond(sampling: VideoSampling) throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = dir.url.appendingPathComponent("step.mp4").path
    let box = PixelBox(x: 50, y: 30, width: 60, height: 60)  // square: the crop is the box
    try GeneratedVideo.write(to: path, width: 160, height: 120, fps: 30, seconds: 2) {
      time, canvas in
      let emotion: Emotion = time < 1 - 1e-9 ? .angry : .happy
      let level = MeanGreyClassifier.grey(for: emotion)
      canvas.fillRectangle(
        x: box.x, y: box.y, width: box.width, height: box.height,
        colour: Colour(red: level, green: level, blue: level))
    }
    let analysis = try Self.analyzer(FixedLocator([box]), options: .init(margin: 0))
      .analyzeVideo(atPath: path, name: "step.mp4", sampling: sampling, progress: { _ in true })
    let before = analysis.frames.filter { $0.time < 1 - 1e-9 }
    #expect(
      before.allSatisfy { $0.faces.first?.dominant == .angry },
      "\(before.map { "\($0.time): \($0.faces.map { "\($0.track) \($0.box) \($0.dominant)" })" })")
    let switched = try #require(
      analysis.frames.first { $0.time >= 1 - 1e-9 && $0.faces.first?.dominant == .happy })
    let lag = switched.time - 1
    print("smoothing lag (\(sampling) frames/s): \(lag) s")
    #expect(lag < 0.5)
    #expect(
      analysis.frames.filter { $0.time >= switched.time }.allSatisfy {
        $0.faces.first?.dominant == .happy
      })
  }

  /// The shared clip with one face in view throughout.
  @Test func sharedSingleFaceClip() throws {
    guard let videos = try SharedData.path("datasets/videos") else { return }
    let path = videos.appendingPathComponent("single_face.mp4").path
    let fractions = Mutex<[Double]>([])
    let analysis = try Self.analyzer(try HaarFaceLocator.standard()).analyzeVideo(
      atPath: path, name: "single_face.mp4", sampling: .everyFrame,
      progress: { fraction in
        fractions.withLock { $0.append(fraction) }
        return true
      })
    #expect(analysis.width == 640 && analysis.height == 360)
    #expect(abs(analysis.fps - 30) < 0.5)
    #expect(analysis.frames.count >= 70)
    let (id, share, faces) = Self.mainTrackShare(analysis)
    print(
      "single_face.mp4: track \(id ?? 0) in \(share) of \(faces)/\(analysis.frames.count) frames")
    #expect(share >= 0.9)
    #expect(Double(faces) >= 0.9 * Double(analysis.frames.count))
    let seen = fractions.withLock { $0 }
    #expect(seen == seen.sorted() && seen.last == 1)
  }

  @Test func sharedNoFaceClip() throws {
    guard let videos = try SharedData.path("datasets/videos") else { return }
    let analysis = try Self.analyzer(try HaarFaceLocator.standard()).analyzeVideo(
      atPath: videos.appendingPathComponent("no_face.mp4").path, name: "no_face.mp4",
      sampling: .standard, progress: { _ in true })
    // 3.9 s at 10 frames/s, every frame listed even without faces.
    #expect((38...40).contains(analysis.frames.count))
    #expect(analysis.tracks.count <= 1)
  }

  @Test func cancelling() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = dir.url.appendingPathComponent("plain.mp4").path
    try GeneratedVideo.write(to: path, width: 64, height: 64, fps: 10, seconds: 2) { _, _ in }
    #expect(throws: CancellationError.self) {
      _ = try Self.analyzer(FixedLocator([])).analyzeVideo(
        atPath: path, name: "plain.mp4", sampling: .everyFrame, progress: { $0 < 0.5 })
    }
  }

  @Test func badFilesGiveVideoErrors() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = dir.url.appendingPathComponent("bad.mp4").path
    try Data("not a video at all".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: VideoError.self) {
      _ = try Self.analyzer(FixedLocator([])).analyzeVideo(
        atPath: path, name: "bad.mp4", sampling: .standard, progress: { _ in true })
    }
  }

  @Test func csvRowsAndNeutralisedName() throws {
    let emotions = EmotionProbabilities(validating: [0.1, 0.1, 0.1, 0.4, 0.1, 0.1, 0.1])!
    let analysis = VideoAnalysis(
      video: "=HYPERLINK(\"x\")", width: 10, height: 10, fps: 10, duration: 0.2, model: "m",
      frames: [
        VideoFrameFaces(
          time: 0,
          faces: [
            TrackedFace(
              track: 1, box: PixelBox(x: 1, y: 2, width: 3, height: 4), emotions: emotions)
          ]),
        VideoFrameFaces(time: 0.1, faces: []),
      ],
      tracks: [])
    let lines = analysis.csv().components(separatedBy: "\r\n")
    #expect(lines[0] == VideoAnalysis.csvHeader)
    #expect(lines[1].hasPrefix("\"'=HYPERLINK(\"\"x\"\")\",0.0,1,1,2,3,4,"))
    #expect(lines[1].hasSuffix(",happy"))
    #expect(lines[2] == "\"'=HYPERLINK(\"\"x\"\")\",0.1" + String(repeating: ",", count: 13))
  }
}
