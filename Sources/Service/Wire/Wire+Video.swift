import Datasets
import Foundation
import Pipeline

extension Wire {
  /// A job's progress (0…1) in percent, to one decimal.
  static func percent(_ fraction: Double) -> Double { (fraction * 1000).rounded() / 10 }

  /// A video's job, as `POST /api/v1/videos` and `GET /api/v1/jobs/{id}` give it. `progress`
  /// is in percent.
  struct Job: WireBody {
    var video: VideoRecord

    enum CodingKeys: String, CodingKey {
      case id, video, state, progress, error, attempts, links
      case createdAt = "created_at"
      case startedAt = "started_at"
      case finishedAt = "finished_at"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(video.id, forKey: .id)
      try c.encode(video.id, forKey: .video)
      try c.encode(video.state.rawValue, forKey: .state)
      try c.encode(Wire.percent(video.progress), forKey: .progress)
      try c.encode(video.error, forKey: .error)
      try c.encode(video.attempts, forKey: .attempts)
      try c.encode(RFC3339.format(micros: video.createdAt), forKey: .createdAt)
      try c.encode(video.startedAt.map(RFC3339.format(micros:)), forKey: .startedAt)
      try c.encode(video.finishedAt.map(RFC3339.format(micros:)), forKey: .finishedAt)
      try c.encode(Links(id: video.id), forKey: .links)
    }
  }

  /// Where to find a video's job and results.
  struct Links: Encodable {
    var job: String
    var video: String
    var timeline: String
    var frames: String

    init(id: Int64) {
      job = "/api/v1/jobs/\(id)"
      video = "/api/v1/videos/\(id)"
      timeline = "/api/v1/videos/\(id)/timeline"
      frames = "/api/v1/videos/\(id)/frames"
    }
  }

  /// A video with its job and, once done, its summary and tracks.
  struct Video: WireBody {
    var video: VideoRecord
    var tracks: [VideoTrackSummary]?

    enum CodingKeys: String, CodingKey {
      case id, tag, name, bytes, fps, state, progress, error, summary, tracks, links
      case createdAt = "created_at"
      case finishedAt = "finished_at"
      case keepUpload = "upload_kept"
    }

    struct Summary: Encodable {
      var model: String
      var width: Int
      var height: Int
      var fps: Double
      var duration: Double
      var frames: Int
      var faces: Int
      var tracks: Int
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(video.id, forKey: .id)
      try c.encode(RFC3339.format(micros: video.createdAt), forKey: .createdAt)
      try c.encode(video.tag, forKey: .tag)
      try c.encode(video.name, forKey: .name)
      try c.encode(video.bytes, forKey: .bytes)
      try c.encode(video.sampling, forKey: .fps)
      try c.encode(video.state.rawValue, forKey: .state)
      try c.encode(Wire.percent(video.progress), forKey: .progress)
      try c.encode(video.error, forKey: .error)
      try c.encode(video.finishedAt.map(RFC3339.format(micros:)), forKey: .finishedAt)
      try c.encode(video.keepUpload, forKey: .keepUpload)
      try c.encode(
        video.summary.map {
          Summary(
            model: $0.model, width: $0.width, height: $0.height, fps: $0.fps,
            duration: $0.duration, frames: $0.frames, faces: $0.faces, tracks: $0.tracks)
        }, forKey: .summary)
      if let tracks { try c.encode(tracks, forKey: .tracks) }
      try c.encode(Links(id: video.id), forKey: .links)
    }
  }

  struct VideoPage: WireBody {
    var videos: [Video]
    var nextBefore: Int64?

    enum CodingKeys: String, CodingKey {
      case videos
      case nextBefore = "next_before"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(videos, forKey: .videos)
      try c.encode(nextBefore, forKey: .nextBefore)
    }
  }

  /// `GET /api/v1/videos/{id}/timeline`: per second, all faces and each track.
  struct Timeline: WireBody {
    var video: Int64
    var duration: Double?
    var rows: [VideoTimelineSecond]

    struct TrackSecond: Encodable {
      var track: Int
      var faces: Int
      var emotions: [String: Double]?
    }

    struct Second: Encodable {
      var second: Int
      var frames: Int
      var faces: Int
      var emotions: [String: Double]?
      var tracks: [TrackSecond]
    }

    static func emotions(_ p: [Double]?) -> [String: Double]? {
      p.map { Dictionary(uniqueKeysWithValues: zip(Emotion.allCases.map(\.rawValue), $0)) }
    }

    enum CodingKeys: String, CodingKey { case video, duration, seconds }

    func encode(to encoder: any Encoder) throws {
      var seconds: [Second] = []
      for row in rows {
        if let track = row.track, !seconds.isEmpty {
          seconds[seconds.count - 1].tracks.append(
            TrackSecond(
              track: track, faces: row.faces, emotions: Self.emotions(row.meanProbabilities)))
        } else if row.track == nil {
          seconds.append(
            Second(
              second: row.second, frames: row.frames, faces: row.faces,
              emotions: Self.emotions(row.meanProbabilities), tracks: []))
        }
      }
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(video, forKey: .video)
      try c.encode(duration, forKey: .duration)
      try c.encode(seconds, forKey: .seconds)
    }
  }

  /// `GET /api/v1/videos/{id}/frames`: one page of analysed frames, each with its index
  /// (`first` for the first of the page), and the `after` of the next page (null: the last).
  struct VideoFrames: WireBody {
    var video: Int64
    var first: Int
    var frames: [VideoFrameFaces]
    var nextAfter: Int?

    /// A frame as sent: `{"frame": index, "time": s, "faces": [...]}`.
    struct Frame: Encodable {
      var frame: Int
      var time: Double
      var faces: [TrackedFace]
    }

    enum CodingKeys: String, CodingKey {
      case video, frames
      case nextAfter = "next_after"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(video, forKey: .video)
      try c.encode(
        frames.enumerated().map { Frame(frame: first + $0, time: $1.time, faces: $1.faces) },
        forKey: .frames)
      try c.encode(nextAfter, forKey: .nextAfter)
    }
  }
}
