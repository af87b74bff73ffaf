import Vision

/// How `VideoAnalyzer` works through a video, beyond which frames it samples.
public struct VideoAnalysisOptions: Sendable, Equatable {
  /// Run the face detector on every k-th analysed frame and track faces in between; nil picks
  /// k so that detection runs about every `detectionPeriod` seconds of video.
  public var detectEvery: Int?
  /// Seconds of video between detections when `detectEvery` is nil.
  public var detectionPeriod: Double
  /// Frames whose longer side exceeds this are scaled down for detection (boxes are scaled
  /// back; faces are still cropped from the full frame).
  public var detectionMaxSide: Int
  /// The time constant of the probability smoothing, in seconds (0: none). See
  /// `EmotionSmoother`: a real change takes over after `0.69 ×` this.
  public var smoothing: Double
  /// Context added around each face before cropping, as a fraction of its side.
  public var margin: Double
  /// At most this many faces per frame (the largest).
  public var maxFaces: Int
  /// Frame-size limits of the reader.
  public var limits: VideoLimits
  /// Decoder threads (0: FFmpeg chooses).
  public var decoderThreads: Int
  /// Faces classified together (those of consecutive analysed frames): the CNN runs batches
  /// far faster per face than single faces.
  public var classificationBatch: Int

  /// Options; by default detection about every 0.2 s, 0.3 s smoothing, the photo pipeline's
  /// margin, 32 faces, 8192 px / 40 MP frames.
  public init(
    detectEvery: Int? = nil, detectionPeriod: Double = 0.2, detectionMaxSide: Int = 960,
    smoothing: Double = 0.3, margin: Double = AnalysisOptions().margin, maxFaces: Int = 32,
    limits: VideoLimits = .init(), decoderThreads: Int = 0, classificationBatch: Int = 32
  ) {
    self.detectEvery = detectEvery
    self.detectionPeriod = detectionPeriod
    self.detectionMaxSide = detectionMaxSide
    self.smoothing = smoothing
    self.margin = margin
    self.maxFaces = maxFaces
    self.limits = limits
    self.decoderThreads = decoderThreads
    self.classificationBatch = classificationBatch
  }

  /// k for a video analysed at `rate` frames per second.
  func detectionInterval(analysedRate rate: Double) -> Int {
    if let detectEvery { return max(detectEvery, 1) }
    guard rate.isFinite, rate > 0, detectionPeriod > 0 else { return 1 }
    return max(1, Int((rate * detectionPeriod).rounded()))
  }
}
