import Vision

/// Analysed frames whose faces are tracked and cut out but not yet classified (see
/// `VideoAnalyzer`): per frame its time, the tracks' positions and one classifier-sized grey
/// crop per position.
struct PendingFrames {
  struct Frame {
    var time: Double
    var positions: [FaceTracker.Position]
    var crops: [Image]
  }

  private(set) var frames: [Frame] = []
  /// The number of crops waiting.
  private(set) var faces = 0

  mutating func add(time: Double, positions: [FaceTracker.Position], crops: [Image]) {
    frames.append(Frame(time: time, positions: positions, crops: crops))
    faces += crops.count
  }
}
