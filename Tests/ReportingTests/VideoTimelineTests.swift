import Datasets
import Pipeline
import Reporting
import Testing
import Vision

/// `VideoTimeline` over a small hand-made analysis: two tracks, a gap without faces.
@Suite struct VideoTimelineTests {
  static func probabilities(_ emotion: Emotion) -> EmotionProbabilities {
    var row = [Float](repeating: 0.05, count: 7)
    row[emotion.index] = 0.7
    return EmotionProbabilities(validating: row)!
  }

  static let analysis: VideoAnalysis = {
    let box = PixelBox(x: 0, y: 0, width: 10, height: 10)
    var frames: [VideoFrameFaces] = []
    for index in 0..<40 {
      let time = Double(index) / 10
      var faces: [TrackedFace] = []
      if time < 1 { faces.append(TrackedFace(track: 1, box: box, emotions: probabilities(.happy))) }
      if time >= 3 { faces.append(TrackedFace(track: 2, box: box, emotions: probabilities(.sad))) }
      frames.append(VideoFrameFaces(time: time, faces: faces))
    }
    return VideoAnalysis(
      video: "clip.mp4", width: 10, height: 10, fps: 10, duration: 4, model: "m", frames: frames,
      tracks: [])
  }()

  @Test func pointsPerTrackAndForAllFaces() {
    let all = VideoTimeline(Self.analysis)
    #expect(all.points.count == 20)
    #expect(all.title == "clip.mp4: all faces")
    let second = VideoTimeline(Self.analysis, track: 2)
    #expect(second.points.count == 10)
    #expect(second.points.allSatisfy { abs($0.emotions[Emotion.sad.index] - 0.7) < 1e-6 })
  }

  @Test func svgHasOneLinePerEmotion() throws {
    let svg = try VideoTimeline(Self.analysis, track: 1).svg()
    #expect(svg.contains("<svg"))
    for emotion in Emotion.allCases { #expect(svg.contains(">\(emotion.rawValue)<")) }
  }

  @Test func pngStripShowsTheDominantColourAndTheGap() throws {
    let bytes = try VideoTimeline(Self.analysis).png(width: 400, height: 100)
    let image = try Image(decoding: bytes, options: .init(colour: .rgb))
    #expect(image.width == 400 && image.height == 100)
    func pixel(_ x: Int, _ y: Int) -> [UInt8] {
      Array(image.pixels[(y * 400 + x) * 3..<(y * 400 + x) * 3 + 3])
    }
    let happy = ImageAnalysis.colour(for: .happy)
    let sad = ImageAnalysis.colour(for: .sad)
    // Happy occupies the band from 15% to 85% of the height (angry, disgust, fear above it).
    #expect(pixel(40, 50) == [happy.red, happy.green, happy.blue])
    #expect(pixel(200, 50) == [235, 235, 235])  // 2 s: no face for more than half a second
    // Sad's band starts after angry, disgust, fear, happy and neutral (5 × 5%).
    #expect(pixel(380, 60) == [sad.red, sad.green, sad.blue])
  }
}
