import Vision

/// Video → `VideoAnalysis`: reads the frames one at a time (`VideoReader`), keeps those
/// `VideoSampling` asks for, runs the face detector on every k-th of them
/// (`VideoAnalysisOptions.detectEvery`) and follows faces in between with `FaceTracker`,
/// classifies the tracked faces, and smooths each track's probabilities over time
/// (`EmotionSmoother`).
///
/// Tracking needs only boxes, so classification waits: the faces of consecutive analysed frames
/// are cut out (small grey crops) and classified together once `classificationBatch` faces are
/// waiting, which runs the CNN on batches instead of one or two faces at a time. Memory holds
/// one frame, at most that many crops, and the results. With `eachFrame` (annotation) every
/// frame is classified at once, so that no frame has to wait.
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

  /// The video at `path` analysed as `sampling` says (see `VideoAnalyzing`); `progress` gets
  /// the fraction done and cancels by returning false (the call then throws
  /// `CancellationError`).
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
    var results = TrackedEmotions(timeConstant: options.smoothing)
    var pending = PendingFrames()
    let batch = eachFrame == nil ? max(options.classificationBatch, 1) : 1
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
        // The largest faces; listed in track order.
        let kept = positions.sorted { $0.box.area > $1.box.area }.prefix(options.maxFaces)
          .sorted { $0.id < $1.id }
        pending.add(time: time, positions: Array(kept), crops: try crops(kept.map(\.box), grey))
        if pending.faces >= batch { try classify(&pending, into: &results) }
      }
      try eachFrame?(VideoFrame(time: time, image: image), results.current)
    }
    try classify(&pending, into: &results)
    _ = progress(1)
    return VideoAnalysis(
      video: name, width: info.width, height: info.height, fps: info.fps,
      duration: info.duration, model: pipeline.classifier.name, frames: results.frames,
      tracks: results.summaries.summaries)
  }

  /// Classifies the waiting frames' faces in one call and hands them, in order, to `results`.
  private func classify(_ pending: inout PendingFrames, into results: inout TrackedEmotions)
    throws
  {
    guard !pending.frames.isEmpty else { return }
    let crops = pending.frames.flatMap(\.crops)
    let rows: [[Float]]
    do {
      rows = crops.isEmpty ? [] : try pipeline.classifier.probabilities(forFaces: crops)
    } catch {
      throw AnalysisError.classifierFailed("\(error)")
    }
    guard rows.count == crops.count else {
      throw AnalysisError.invalidClassifierOutput("\(rows.count) rows for \(crops.count) faces")
    }
    var next = 0
    for frame in pending.frames {
      var emotions: [EmotionProbabilities] = []
      for row in rows[next..<(next + frame.crops.count)] {
        guard let valid = EmotionProbabilities(validating: row) else {
          throw AnalysisError.invalidClassifierOutput(
            "expected 7 probabilities >= 0 summing to 1, got \(row.prefix(8))")
        }
        emotions.append(valid)
      }
      next += frame.crops.count
      results.add(time: frame.time, positions: frame.positions, emotions: emotions)
    }
    pending = PendingFrames()
  }

  /// The classifier's input crops of `boxes` (with the options' margin) from `grey`.
  private func crops(_ boxes: [PixelBox], _ grey: Image) throws -> [Image] {
    let size = pipeline.classifier.inputSize
    guard size.width > 0, size.height > 0 else {
      throw AnalysisError.classifierFailed(
        "classifier '\(pipeline.classifier.name)' has input size \(size)")
    }
    var crops: [Image] = []
    for box in boxes {
      guard
        let region = FaceCrop.region(
          around: box, margin: options.margin, imageWidth: grey.width, imageHeight: grey.height)
      else { continue }
      do {
        crops.append(
          try grey.cropped(x: region.x, y: region.y, width: region.width, height: region.height)
            .resized(width: size.width, height: size.height))
      } catch {
        throw AnalysisError.undecodable(error)
      }
    }
    guard crops.count == boxes.count else {
      throw AnalysisError.invalidOptions("a tracked box lies outside the frame")
    }
    return crops
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
