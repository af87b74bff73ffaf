import Foundation
import TestSupport
import Testing
import Vision

/// `emocl predict VIDEO` on the shared clip: JSON, CSV, --annotate, --fps, bad files, --help.
@Suite(.serialized) struct PredictVideoCommandTests {
  @Test func jsonCSVAndAnnotatedVideo() throws {
    guard let videos = try SharedData.path("datasets/videos") else { return }
    let clip = videos.appendingPathComponent("single_face.mp4").path
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let model = dir.url.appendingPathComponent("bright.safetensors")
    try writeBrightnessModel(to: model)
    let annotated = dir.url.appendingPathComponent("out.mp4").path

    let json = try runCLI([
      "predict", clip, "--model", model.path, "--fps", "5", "--annotate", annotated,
    ])
    #expect(json.status == 0, "\(json.error)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "video", "width", "height", "fps", "duration", "model", "frames", "tracks",
      ])
    #expect(object["video"] as? String == "single_face.mp4")
    #expect(object["model"] as? String == "bright")
    let frames = try #require(object["frames"] as? [[String: Any]])
    // 2.4 s at 5 frames/s.
    #expect((11...13).contains(frames.count), "\(frames.count) frames")
    let times = frames.compactMap { $0["time"] as? Double }
    #expect(times == times.sorted() && times.count == frames.count)
    let faces = frames.flatMap { ($0["faces"] as? [[String: Any]]) ?? [] }
    #expect(!faces.isEmpty)
    #expect(faces.allSatisfy { Set($0.keys) == ["track", "box", "dominant", "emotions"] })
    let tracks = try #require(object["tracks"] as? [[String: Any]])
    #expect(tracks.allSatisfy { Set($0.keys) == ["id", "first", "last", "frames", "emotions"] })

    // The annotated video has the clip's size and every one of its frames.
    let source = try VideoReader(path: clip)
    var sourceFrames = 0
    while try source.advance() != nil { sourceFrames += 1 }
    let out = try VideoReader(path: annotated)
    #expect(out.info.width == source.info.width && out.info.height == source.info.height)
    var outFrames = 0
    while try out.advance() != nil { outFrames += 1 }
    #expect(outFrames == sourceFrames)

    let timelines = dir.url.appendingPathComponent("timelines")
    let csv = try runCLI([
      "predict", clip, "--model", model.path, "--fps", "5", "--format", "csv", "--timeline",
      timelines.path,
    ])
    #expect(csv.status == 0, "\(csv.error)")
    for id in tracks.compactMap({ $0["id"] as? Int }).map({ "track-\($0)" }) + ["all"] {
      let svg = try String(
        contentsOf: timelines.appendingPathComponent("timeline-\(id).svg"), encoding: .utf8)
      #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
      let png = try Image(
        contentsOfFile: timelines.appendingPathComponent("timeline-\(id).png").path)
      #expect(png.width == 800 && png.height == 140)
    }
    // A timeline folder that cannot be made: the system's reason, and the result still printed.
    let blocked = try runCLI([
      "predict", clip, "--model", model.path, "--fps", "5", "--format", "csv", "--timeline",
      annotated,
    ])
    #expect(blocked.status == 1)
    #expect(blocked.error.contains("--timeline \(annotated): File exists"), "\(blocked.error)")
    #expect(!blocked.error.contains("NSCocoaErrorDomain"), "\(blocked.error)")
    #expect(blocked.output == csv.output)
    let lines = csv.output.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(lines.first?.hasPrefix("video,time,track,x,y,box_width,box_height,angry") == true)
    #expect(
      lines.count == 1 + faces.count
        + frames.filter { ($0["faces"] as? [Any])?.isEmpty == true }.count)
  }

  @Test func badVideoAndBadOptions() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let model = dir.url.appendingPathComponent("bright.safetensors")
    try writeBrightnessModel(to: model)
    let bad = dir.url.appendingPathComponent("bad.mp4")
    try Data("not a video".utf8).write(to: bad)
    let result = try runCLI(["predict", bad.path, "--model", model.path])
    #expect(result.status == 1)
    #expect(result.error.contains("not a video"), "\(result.error)")
    for value in ["0", "-1"] {
      let fps = try runCLI(["predict", bad.path, "--model", model.path, "--fps", value])
      #expect(
        fps.status != 0 && fps.error.contains("--fps must be `all` or a number"), "\(fps.error)")
    }
    let help = try runCLI(["predict", "--help"])
    #expect(help.output.contains("default: 10"), "\(help.output)")
  }
}
