/// Tracking by detection in the style of SORT: every track has a constant-velocity motion
/// model (`BoxMotion`); each set of detections is matched to the tracks' predicted boxes by
/// intersection over union (greedily, best pair first: with the handful of faces of a video
/// frame this gives the same pairs as the Hungarian method in all but contrived cases);
/// unmatched detections start new tracks, and a track not matched for `maxAge` seconds ends.
/// Between detections `predict(at:)` gives every live track's box from its motion model.
///
/// Ids are 1, 2, … in order of creation and are never reused; one face that stays in view keeps
/// its id as long as each detection overlaps its predicted box by `minimumOverlap`.
public struct FaceTracker: Sendable {
  /// One track's box at a time.
  public struct Position: Sendable, Equatable {
    /// The track id.
    public var id: Int
    /// The box, clipped to the frame.
    public var box: PixelBox
  }

  /// A detection must overlap a track's predicted box by at least this IoU to continue it.
  public var minimumOverlap: Double
  /// Seconds a track lives on without a matching detection (it may be matched again).
  public var maxAge: Double
  /// Seconds a track is still reported (at its predicted box) without a matching detection:
  /// a detector that misses a face for one or two detections does not blank it.
  public var maxCoast: Double

  private struct Track: Sendable {
    var id: Int
    var motion: BoxMotion
    var updated: Double  // time of the model's state
    var lastMatched: Double
  }

  private var tracks: [Track] = []
  private var nextID = 1
  private let frameWidth: Int
  private let frameHeight: Int

  /// A tracker for frames of `width` × `height` pixels.
  public init(
    width: Int, height: Int, minimumOverlap: Double = 0.2, maxAge: Double = 1.0,
    maxCoast: Double = 0.5
  ) {
    frameWidth = width
    frameHeight = height
    self.minimumOverlap = minimumOverlap
    self.maxAge = maxAge
    self.maxCoast = maxCoast
  }

  /// Matches the boxes detected at `time` (seconds) to the tracks, starts tracks for the
  /// others and ends stale ones. Returns the reported tracks (matched or coasting), in id order.
  public mutating func update(detections: [PixelBox], at time: Double) -> [Position] {
    for index in tracks.indices {
      tracks[index].motion.predict(after: time - tracks[index].updated)
      tracks[index].updated = time
    }
    var pairs: [(overlap: Double, track: Int, detection: Int)] = []
    for (t, track) in tracks.enumerated() {
      let predicted = track.motion.box
      for (d, detection) in detections.enumerated() {
        let overlap = predicted.intersectionOverUnion(detection)
        if overlap >= minimumOverlap { pairs.append((overlap, t, d)) }
      }
    }
    pairs.sort { $0.overlap > $1.overlap }
    var trackTaken = [Bool](repeating: false, count: tracks.count)
    var detectionTaken = [Bool](repeating: false, count: detections.count)
    for pair in pairs where !trackTaken[pair.track] && !detectionTaken[pair.detection] {
      trackTaken[pair.track] = true
      detectionTaken[pair.detection] = true
      tracks[pair.track].motion.update(with: detections[pair.detection])
      tracks[pair.track].lastMatched = time
    }
    tracks.removeAll { time - $0.lastMatched > maxAge }
    for (d, detection) in detections.enumerated() where !detectionTaken[d] {
      tracks.append(
        Track(id: nextID, motion: BoxMotion(detection), updated: time, lastMatched: time))
      nextID += 1
    }
    return positions(at: time)
  }

  /// The reported tracks' boxes at `time` (between detections), from their motion models.
  public func predict(at time: Double) -> [Position] { positions(at: time) }

  private func positions(at time: Double) -> [Position] {
    var result: [Position] = []
    for track in tracks where time - track.lastMatched <= maxCoast {
      let box = track.motion.predicted(after: time - track.updated)
      // A box that has mostly left the frame is not reported.
      guard let clipped = EmotionPipeline.clip(box, width: frameWidth, height: frameHeight),
        clipped.area * 2 >= box.area
      else { continue }
      result.append(Position(id: track.id, box: clipped))
    }
    return result.sorted { $0.id < $1.id }
  }
}
