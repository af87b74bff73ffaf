import Vision

/// Video → `VideoAnalysis`: reads the frames one at a time (`VideoReader`), keeps those
/// `VideoSampling` asks for, runs the face detector on every k-th of them
/// (`VideoAnalysisOptions.detectEvery`) and follows faces in between with `FaceTracker`,
/// classifies every tracked face of every analysed frame with the pipeline's classifier in one
/// batched call per frame, and smooths each track's probabilities over time
/// (`EmotionSmoother`). Memory holds one frame plus the results.
public struct VideoAnalyzer: VideoAnalyzing {
  /// The photo pipeline whose face locator and classifier are used.
  public var pipeline: EmotionPipeline
  /// Detection interval, smoothing, margin, limits.
  public var options: VideoAnalysisOptions

  /// An analyser using `pipeline`'s detector and classifier.
  public init(pipeline: EmotionPipeline, options: VideoAnalysisOptions = .init()) {
    self.pipeline = pipeline
    self.options = options
  }

  public func analyzeVideo(
    atPath path: String, name: String, sampling: VideoSampling,
    progress: @Sendable (Double) -> Bool
  ) throws -> VideoAnalysis {
    try analyzeVideo(
      atPath: path, name: name, sampling: sampling, progress: progress, eachFrame: nil)
  }

  /// As `analyzeVideo(atPath:name:sampling:progress:)`, and calls `eachFrame` with every
  /// decoded frame (RGB, in order) and the faces of the latest analysed frame at or before it
  /// (what `--annotate` draws).
  public func analyzeVideo(
    atPath path: String, name: String, sampling: VideoSampling,
    progress: (Double) -> Bool, eachFrame: ((VideoFrame, [TrackedFace]) throws -> Void)?
  ) throws -> VideoAnalysis {
    let reader = try VideoReader(
      path: path, colour: eachFrame == nil ? .grey : .rgb, limits: options.limits,
      threads: options.decoderThreads)
    let info = reader.info
    var sampler = VideoSampler(sampling)
    let interval = options.detectionInterval(analysedRate: sampler.analysedRate(fps: info.fps))
    var tracker = FaceTracker(width: info.width, height: info.height)
    var smoothers: [Int: EmotionSmoother] = [:]
    var summaries = TrackSummaries()
    var frames: [VideoFrameFaces] = []
    var current: [TrackedFace] = []
    var analysed = 0
    while let time = try reader.advance() {
      let fraction = info.duration > 0 ? min(max(time / info.duration, 0), 1) : 0
      guard progress(fraction) else { throw CancellationError() }
      let takes = sampler.takes(time)
      guard takes || eachFrame != nil else { continue }
      let image = try reader.image()
      if takes {
        let grey = image.channels == 1 ? image : image.grey()
        let positions =
          analysed % interval == 0
          ? tracker.update(detections: try detect(in: grey), at: time)
          : tracker.predict(at: time)
        analysed += 1
        // The largest faces, classified together; listed in track order.
        let kept = positions.sorted { $0.box.area > $1.box.area }.prefix(options.maxFaces)
          .sorted { $0.id < $1.id }
        let faces = try pipeline.classify(kept.map(\.box), in: grey, margin: options.margin)
        current = zip(kept, faces).map { position, face in
          var smoother =
            smoothers[position.id] ?? EmotionSmoother(timeConstant: options.smoothing)
          let emotions = smoother.add(face.emotions, at: time)
          smoothers[position.id] = smoother
          return TrackedFace(track: position.id, box: position.box, emotions: emotions)
        }
        let live = Set(current.map(\.track))
        smoothers = smoothers.filter { live.contains($0.key) }  // ended tracks start afresh
        frames.append(VideoFrameFaces(time: time, faces: current))
        summaries.add(current, at: time)
      }
      try eachFrame?(VideoFrame(time: time, image: image), current)
    }
    _ = progress(1)
    return VideoAnalysis(
      video: name, width: info.width, height: info.height, fps: info.fps,
      duration: info.duration, model: pipeline.classifier.name, frames: frames,
      tracks: summaries.summaries)
  }

  /// Face boxes in `grey`, found on a copy scaled down to `detectionMaxSide` when larger.
  func detect(in grey: Image) throws -> [PixelBox] {
    guard let locator = pipeline.faceLocator else { throw AnalysisError.noFaceDetector }
    let side = max(grey.width, grey.height)
    let scale =
      side > options.detectionMaxSide ? Double(options.detectionMaxSide) / Double(side) : 1
    var boxes: [PixelBox]
    do {
      if scale < 1 {
        let small = try grey.resized(
          width: max(1, Int((Double(grey.width) * scale).rounded())),
          height: max(1, Int((Double(grey.height) * scale).rounded())))
        boxes = try locator.faceBoxes(in: small).map { box in
          PixelBox(
            x: Int((Double(box.x) / scale).rounded()), y: Int((Double(box.y) / scale).rounded()),
            width: Int((Double(box.width) / scale).rounded()),
            height: Int((Double(box.height) / scale).rounded()))
        }
      } else {
        boxes = try locator.faceBoxes(in: grey)
      }
    } catch {
      throw AnalysisError.detectionFailed("\(error)")
    }
    boxes = boxes.compactMap { EmotionPipeline.clip($0, width: grey.width, height: grey.height) }
    return boxes
  }
}
