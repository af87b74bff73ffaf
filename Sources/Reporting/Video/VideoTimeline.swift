import Datasets
import Pipeline
import Vision

/// Emotions over time from a `VideoAnalysis`, for one track or for all faces: as an SVG line
/// chart (one line per emotion, probability against seconds) and as a PNG strip (one column of
/// pixels per time step, split top to bottom into the seven probabilities in each emotion's
/// annotation colour; grey where no face was seen).
public struct VideoTimeline: Sendable {
  /// One point of the timeline: a time and the mean probabilities of the faces seen then.
  public struct Point: Sendable, Equatable {
    /// Seconds from the start of the video.
    public var time: Double
    /// The mean probability of each emotion, in `Emotion` order.
    public var emotions: [Double]
  }

  /// The chart's title.
  public var title: String
  /// The points in time order (analysed frames with at least one selected face).
  public var points: [Point]
  /// The video's duration (the x axis of the PNG spans 0…duration).
  public var duration: Double

  /// The timeline of track `track`, or of all faces (their mean per frame) when nil.
  public init(_ analysis: VideoAnalysis, track: Int? = nil) {
    title =
      track.map { "\(analysis.video): track \($0)" } ?? "\(analysis.video): all faces"
    duration = max(analysis.duration, analysis.frames.last?.time ?? 0)
    points = analysis.frames.compactMap { frame in
      let faces = frame.faces.filter { track == nil || $0.track == track }
      guard !faces.isEmpty else { return nil }
      var sums = [Double](repeating: 0, count: Emotion.allCases.count)
      for face in faces {
        for (k, value) in face.emotions.values.enumerated() { sums[k] += Double(value) }
      }
      return Point(time: frame.time, emotions: sums.map { $0 / Double(faces.count) })
    }
  }

  /// The SVG line chart; throws `ChartError.empty` when no face was seen.
  public func svg() throws(ChartError) -> String {
    let series = Emotion.allCases.map { emotion in
      LineChart.Series(
        name: emotion.rawValue, x: points.map(\.time),
        y: points.map { $0.emotions[emotion.index] })
    }
    return try LineChart(
      title: title, xLabel: "time (s)", yLabel: "probability", series: series, yRange: 0...1
    ).svg()
  }

  /// The PNG strip, `width` × `height` pixels: column x covers the times from
  /// `x / width · duration`; each column shows the latest point at or before its time (when it
  /// is at most half a second old), stacked in emotion order from the top.
  public func png(width: Int = 800, height: Int = 140) throws(ImageError) -> [UInt8] {
    var image = Image(
      width: width, height: height, channels: 3,
      pixels: [UInt8](repeating: 235, count: width * height * 3))
    var next = 0
    var latest: Point?
    for x in 0..<width {
      let time = duration * Double(x) / Double(width)
      while next < points.count, points[next].time <= time + 1e-9 {
        latest = points[next]
        next += 1
      }
      guard let point = latest, time - point.time <= 0.5 else { continue }
      var top = 0.0
      for emotion in Emotion.allCases {
        let share = point.emotions[emotion.index] * Double(height)
        let y0 = Int(top.rounded())
        let y1 = Int((top + share).rounded())
        if y1 > y0 {
          image.fillRectangle(
            x: x, y: y0, width: 1, height: min(y1, height) - y0,
            colour: ImageAnalysis.colour(for: emotion))
        }
        top += share
      }
    }
    return try image.pngData()
  }
}
