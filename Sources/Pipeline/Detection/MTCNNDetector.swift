import Datasets
import Foundation
import Tensor
import Vision

/// MTCNN face detection (Zhang et al. 2016) on Emocl's network engine, following
/// facenet-pytorch 2.6.0's `detect_face` step by step so that its boxes, scores and landmarks
/// are reproduced (Tests/PipelineTests/MTCNNOracleTests.swift):
///
/// 1. An image pyramid: scales `12/minFaceSize · factor^k` while the shorter side stays at least
///    12 pixels; level size `⌊side·scale + 1⌋`, area resampling (``AreaResampler``).
/// 2. P-Net on each level; windows with face probability ≥ `thresholds[0]` become boxes
///    `⌊(2·x + 1)/scale⌋ … ⌊(2·x + 12)/scale⌋`; NMS (IoU 0.5) per level, then over all levels
///    (IoU 0.7); box offsets applied (scaled by width without +1), boxes made square.
/// 3. R-Net on each box's crop (clipped to the image, resampled to 24×24); probability
///    > `thresholds[1]`; NMS (IoU 0.7); offsets applied (width + 1); squared.
/// 4. O-Net on 48×48 crops; probability > `thresholds[2]`; landmarks from the box before its
///    offsets; offsets; NMS by intersection over the smaller box (0.7).
///
/// Faces come out largest box first. Up to ``concurrentCalls`` calls run at once, each with a
/// set of network buffers of its own (reused by later calls); further calls wait for one.
public final class MTCNNDetector: FaceLocating, @unchecked Sendable {
  /// The smallest face side searched for, in pixels (facenet-pytorch's default 20).
  public let minFaceSize: Double
  /// Probability thresholds of P-, R- and O-Net.
  public let thresholds: [Float]
  /// Ratio between pyramid levels.
  public let factor: Double
  /// Threads one detection is shared among (P-Net's bands, R- and O-Net's crops) while it is
  /// the only one running; concurrent detections run on one thread each.
  public let threads: Int
  /// Larger images are searched at this many pixels (downscaled, faces mapped back), which
  /// bounds one detection's time and memory whatever the photo's size; nil searches every
  /// image at full size (as facenet-pytorch does).
  public let maxWorkingPixels: Int?
  /// The most detections that run at once (each holds its own buffers, tens of MB).
  public let concurrentCalls: Int
  /// Whether the search sees the photo inside a grey border, so that a face cut off by the
  /// photo's edge (a group photo's outer faces, a face that fills the frame) is found: P-Net
  /// windows may hang half outside the photo, and R- and O-Net see such a face's crop with grey
  /// where the photo ends instead of the visible part stretched to a square (facenet-pytorch's
  /// way, kept when false). Faces inside the photo are found exactly as without it.
  public let padsBorders: Bool
  /// Whether a box that R- or O-Net rejects, but not by far, is tried again turned by ±20°
  /// (``TurnedCrops``), so that faces tilted beyond what the networks learnt are found.
  /// False follows facenet-pytorch exactly.
  public let retriesTurned: Bool
  /// Whether P-Net's second half runs in 8 bits (``PNetInt8``) where it can: the model card holds
  /// its activations' ranges and the CPU has AVX-512 VNNI. False (the default) runs the float
  /// network everywhere (facenet-pytorch's numbers). ``runsQuantizedPNet`` says what happens on
  /// this machine. Not the default: on the machine measured it saved about a tenth of a
  /// detection on the generic layers and a few percent at most on the planar kernels, while on
  /// generated scenes it finds 0.4–0.5 points fewer faces and it loses one of the two people of
  /// `03_two_people.jpg` turned by −40° (README, "The detector in 8 bits").
  public let quantizedPNet: Bool
  /// Whether R- and O-Net run in 8 bits (``CropNetInt8``) where they can: the model card holds
  /// their activations' ranges (`architecture.rnetInt8`, `onetInt8`) and the CPU has AVX-512
  /// VNNI. False (the default) runs the float networks everywhere. ``runsQuantizedRefinement``
  /// says what happens on this machine. Not the default: on the machine measured it saved about
  /// a fifth of a detection against the generic layers and a few percent at most against the
  /// pixel-major kernels, but borderline R-Net decisions move (one face of the shared group
  /// selfie is lost; README, "The detector in 8 bits").
  public let quantizedRefinement: Bool
  /// The kernels float P-Net runs on: CKernels' planar convolutions for this instruction set,
  /// or nil for the networks' generic layers (im2col, Winograd; also where the CPU has neither
  /// AVX2 nor AVX-512, or the card's P-Net is not facenet-pytorch's). Both give the same faces
  /// up to the order of the sums.
  public var pnetKernels: PlanarInstructions? { pool.pnetKernels }
  /// P-Net pixels of grey border on each side of a pyramid level when ``padsBorders``: half the
  /// 12-pixel window, so a window may hang half outside the photo at every scale.
  static let levelMargin = 6
  private let pool: MTCNNNetworkPool

  /// The model file name looked up by ``standard(locator:)``.
  public static let modelName = "mtcnn"

  /// A detector from an `mtcnn` model file; thresholds and factor come from the card
  /// (`architecture.thresholds`, `architecture.factor`), else facenet-pytorch's defaults.
  /// `concurrentCalls` (default: one per core, at least 2) bounds the detections that run at
  /// once; more would only share the cores and cost memory.
  /// - Throws: `ModelFileError` when the file is not a usable `mtcnn` model;
  ///   `AnalysisError.invalidOptions` for a `minFaceSize` below 12 or not finite.
  /// `planarKernels` chooses ``pnetKernels`` (default: the best this CPU runs; an instruction set
  /// it lacks is not used).
  public init(
    file: ModelFile, minFaceSize: Double = 20, threads: Int = 1, maxWorkingPixels: Int? = nil,
    concurrentCalls: Int? = nil, padsBorders: Bool = true, retriesTurned: Bool = true,
    quantizedPNet: Bool = false, quantizedRefinement: Bool = false,
    planarKernels: PlanarInstructions? = PlanarInstructions.best
  ) throws {
    self.padsBorders = padsBorders
    self.quantizedRefinement = quantizedRefinement
    self.retriesTurned = retriesTurned
    self.quantizedPNet = quantizedPNet
    guard minFaceSize.isFinite, minFaceSize >= 12, minFaceSize <= 1_000_000 else {
      throw AnalysisError.invalidOptions(
        "minimum face size must be between 12 and 1000000 pixels, got \(minFaceSize)")
    }
    let calls = max(
      1, min(concurrentCalls ?? max(2, ProcessInfo.processInfo.activeProcessorCount), 64))
    self.concurrentCalls = calls
    let kernels = planarKernels.flatMap { PlanarInstructions.supported.contains($0) ? $0 : nil }
    pool = MTCNNNetworkPool(first: try MTCNNNetworks(file: file, planar: kernels), limit: calls)
    let architecture = file.card.architecture
    let fromCard = architecture["thresholds"]?.arrayValue?.compactMap { $0.doubleValue }
    thresholds = (fromCard?.count == 3 ? fromCard! : [0.6, 0.7, 0.7]).map { Float($0) }
    let cardFactor = architecture["factor"]?.doubleValue ?? 0.709
    guard cardFactor > 0.1, cardFactor < 0.95 else {
      throw ModelFileError(
        path: file.path, problem: .invalidCard("architecture.factor must be in (0.1, 0.95)"))
    }
    factor = cardFactor
    self.minFaceSize = minFaceSize
    self.threads = max(1, min(threads, 8))
    self.maxWorkingPixels = maxWorkingPixels.map { max($0, 10_000) }
  }

  /// The working size of ``standard(locator:minFaceSize:threads:maxWorkingPixels:)``: 4
  /// megapixels (a 24-megapixel photo is then searched in about 0.2 s rather than 10 s, for
  /// faces from about 50 pixels up).
  public static let standardWorkingPixels = 4_000_000

  /// The detector from `Models/mtcnn.safetensors` (found like the emotion models).
  public static func standard(
    locator: ModelLocator = ModelLocator(), minFaceSize: Double = 20, threads: Int = 1,
    maxWorkingPixels: Int? = standardWorkingPixels, concurrentCalls: Int? = nil,
    padsBorders: Bool = true, retriesTurned: Bool = true, quantizedPNet: Bool = false,
    quantizedRefinement: Bool = false, planarKernels: PlanarInstructions? = PlanarInstructions.best
  ) throws -> MTCNNDetector {
    let url = try locator.locate(modelName)
    return try MTCNNDetector(
      file: try ModelFile.read(from: url), minFaceSize: minFaceSize, threads: threads,
      maxWorkingPixels: maxWorkingPixels, concurrentCalls: concurrentCalls,
      padsBorders: padsBorders, retriesTurned: retriesTurned, quantizedPNet: quantizedPNet,
      quantizedRefinement: quantizedRefinement, planarKernels: planarKernels)
  }

  /// Whether detections run P-Net's second half in 8 bits here: ``quantizedPNet``, a card with
  /// its activations' ranges, and a CPU with AVX-512 VNNI.
  public var runsQuantizedPNet: Bool { quantizedPNet && pool.hasInt8PNet }

  /// Whether detections run R- and O-Net in 8 bits here: ``quantizedRefinement``, a card with
  /// their activations' ranges, and a CPU with AVX-512 VNNI.
  public var runsQuantizedRefinement: Bool { quantizedRefinement && pool.hasInt8CropNets }

  /// The detector wants colour: MTCNN was trained on RGB photos.
  public var prefersColour: Bool { true }

  /// The faces of ``detect(in:)`` with their score, landmarks and quality.
  public func detailedFaces(in image: Image) throws -> [(box: PixelBox, details: FaceDetails)]? {
    try detect(in: image).map { ($0.pixelBox, FaceDetails(face: $0, in: image)) }
  }

  /// Face boxes of ``detect(in:)``, rounded to pixels (the pipeline clips them to the image).
  public func faceBoxes(in image: Image) throws -> [PixelBox] {
    try detect(in: image).map(\.pixelBox)
  }

  /// The faces in `image` (RGB; a grey image is read as three equal channels), largest box
  /// first.
  public func detect(in image: Image) throws -> [DetectedFace] {
    guard image.width > 0, image.height > 0 else { return [] }
    if let limit = maxWorkingPixels, image.width * image.height > limit {
      // Search a downscaled copy; map boxes and landmarks back by the same factor per axis.
      let scale = (Double(limit) / Double(image.width * image.height)).squareRoot()
      let width = max(1, Int(Double(image.width) * scale))
      let height = max(1, Int(Double(image.height) * scale))
      let small = try image.resized(width: width, height: height)
      let (sx, sy) = (Double(image.width) / Double(width), Double(image.height) / Double(height))
      return try detectAtFullSize(small).map { face in
        DetectedFace(
          left: face.left * sx, top: face.top * sy, right: face.right * sx,
          bottom: face.bottom * sy, score: face.score,
          landmarks: face.landmarks.map { ImagePoint(x: $0.x * sx, y: $0.y * sy) })
      }
    }
    return try detectAtFullSize(image)
  }

  private func detectAtFullSize(_ image: Image) throws -> [DetectedFace] {
    // Parallelism comes from concurrent calls (a server's requests) and from P-Net's bands on
    // `threads` workers; the executable runs OpenBLAS single-threaded (ThreadPolicy.workers),
    // as more threads inside their small GEMMs would oversubscribe the cores.
    let faces = try pool.withNetworks { networks, alone -> [DetectedFace] in
      // A call shares itself among `threads` only while no other runs: concurrent calls
      // already keep the cores busy, and more threads would only take turns on them
      // (measured in the service: 1 MP photos at 8 connections 18.6 requests/s with every
      // call on 2 threads, 20.3–21.7 with this rule; at 1 connection p50 65 ms, was 87).
      let workers = alone ? threads : 1
      return try networks.withSource(of: image, workers: workers) { source -> [DetectedFace] in
        let boxes = try proposals(source, networks, workers: workers)
        let refined = try refine(boxes, in: source, networks, workers: workers)
        return try output(refined, in: source, networks, workers: workers)
      }
    }
    return faces.sorted {
      ($0.right - $0.left) * ($0.bottom - $0.top) > ($1.right - $1.left) * ($1.bottom - $1.top)
    }
  }

  /// The pyramid of `source`: scales `12/minFaceSize · factor^k` while the shorter side stays
  /// at least 12 pixels, and a level at each, inside the grey border when ``padsBorders``.
  private func pyramid(_ source: ResamplingSource) -> [(scale: Double, level: PyramidLevel)] {
    let (h, w) = (source.image.height, source.image.width)
    let margin = padsBorders ? Self.levelMargin : 0
    var pyramid: [(scale: Double, level: PyramidLevel)] = []
    var scale = 12.0 / minFaceSize
    var shorter = Double(min(h, w)) * scale
    while shorter >= 12 {
      let level = PyramidLevel(
        source: source, height: Int(Double(h) * scale + 1), width: Int(Double(w) * scale + 1),
        margin: margin)
      pyramid.append((scale, level))
      scale *= factor
      shorter *= factor
    }
    return pyramid
  }

  /// Per channel, the smallest and largest value of the two activations the int8 P-Net stores as
  /// bytes (its float head's output and conv3's) on `image`'s pyramid, as detection builds it:
  /// what `emocl-bench pnet-calibrate` gathers over photos. Nil where the CPU lacks the int8
  /// kernels.
  package func pnetActivationRanges(in image: Image) throws -> [ActivationRange]? {
    try pool.withNetworks { networks, _ in
      try networks.withSource(of: image) { source in
        try networks.pnetActivationRanges(pyramid(source).map(\.level))
      }
    }
  }

  /// P-Net's face probabilities over `image`'s pyramid (one row-major map per level, as
  /// detection computes them), in 8 bits or not: for comparing the two.
  package func pnetProbabilities(in image: Image, quantized: Bool) throws -> [[Float]] {
    try pool.withNetworks { networks, _ in
      try networks.withSource(of: image) { source in
        try networks.pnet(pyramid(source).map(\.level), workers: 1, int8: quantized)
          .map(\.probabilities)
      }
    }
  }

  /// Per activation the 8-bit R- and O-Net store as bytes, each channel's range over the crops
  /// they judge in `image` (R-Net: every P-Net proposal; O-Net: the boxes the float R-Net
  /// passes, both seen upright), measured with the float networks: what `emocl-bench
  /// pnet-calibrate` gathers over photos. Nil for a network that saw no crop.
  package func cropNetRanges(in image: Image) throws -> (
    rnet: [ActivationRange]?, onet: [ActivationRange]?
  ) {
    try pool.withNetworks { networks, _ in
      try networks.withSource(of: image) { source in
        let boxes = try proposals(source, networks, workers: 1)
        let (rnetCrops, rnetIndices) = Self.crops(
          of: boxes, in: source, side: 24, padded: padsBorders)
        let rnet = try networks.cropNetRanges(rnetCrops, count: rnetIndices.count, side: 24)
        let refined = try refine(boxes, in: source, networks, workers: 1)
        let (onetCrops, onetIndices) = Self.crops(
          of: refined, in: source, side: 48, padded: padsBorders)
        let onet = try networks.cropNetRanges(onetCrops, count: onetIndices.count, side: 48)
        return (rnet, onet)
      }
    }
  }

  /// The face probabilities R-Net (`side` 24: of every P-Net proposal) or O-Net (48: of every
  /// box R-Net passes, in 8 bits when ``quantizedRefinement``) gives the upright crops of
  /// `image`, in 8 bits or not: for comparing the two. `generic` runs float crops on the
  /// networks' generic layers rather than the pixel-major kernels (see ``pnetKernels``).
  package func cropNetProbabilities(
    in image: Image, side: Int, quantized: Bool, generic: Bool = false
  ) throws -> [Float] {
    try pool.withNetworks { networks, _ in
      try networks.withSource(of: image) { source in
        var boxes = try proposals(source, networks, workers: 1)
        if side == 48 { boxes = try refine(boxes, in: source, networks, workers: 1) }
        let (crops, indices) = Self.crops(of: boxes, in: source, side: side, padded: padsBorders)
        let n = indices.count
        let out = try networks.refine(
          crops, count: n, side: side, int8: quantized, generic: generic)
        return (0..<n).map { MTCNNNetworks.faceProbability(out[$0], out[n + $0]) }
      }
    }
  }

  /// R- (`side` 24) or O-Net's (48) float output column for each square `boxes[i]` (x1, y1,
  /// x2, y2) of `image` seen turned by `degrees[i]` (nil: no part inside the photo), on up to
  /// `workers` threads, with the crops made chunk by chunk as they are judged (`asJudged`) or
  /// all made first: for comparing the two. Nil when the network does not run on the
  /// pixel-major kernels here (crops are then always made first).
  package func cropNetOutputs(
    in image: Image, boxes: [SIMD4<Float>], degrees: [Float], side: Int, workers: Int,
    asJudged: Bool
  ) throws -> [[Float]?]? {
    let candidates = boxes.map {
      CandidateBox(x1: $0[0], y1: $0[1], x2: $0[2], y2: $0[3], score: 0)
    }
    return try pool.withNetworks { networks, _ in
      guard (side == 24 ? networks.cropNetsFloat.rnet : networks.cropNetsFloat.onet) != nil else {
        return nil
      }
      return try networks.withSource(of: image, workers: workers) { source in
        try outputs(
          candidates, degrees: degrees, side: side, in: source, networks, workers: workers,
          asJudged: asJudged)
      }
    }
  }

  /// Stage 1: P-Net over the pyramid; squared boxes after regression.
  private func proposals(_ source: ResamplingSource, _ networks: MTCNNNetworks, workers: Int)
    throws -> [CandidateBox]
  {
    let levels = pyramid(source)
    var found: [CandidateBox] = []
    let allMaps = try networks.pnet(levels.map(\.level), workers: workers, int8: quantizedPNet)
    for ((scale, level), maps) in zip(levels, allMaps) {
      let margin = level.margin
      let s = Float(scale)
      var atScale: [CandidateBox] = []
      for y in 0..<maps.height {
        for x in 0..<maps.width {
          let i = y * maps.width + x
          let p = maps.probability(i)
          guard p >= thresholds[0] else { continue }
          // Window corners in the level without its margin (negative: in the grey border).
          let (fx, fy) = (Float(x) - Float(margin) / 2, Float(y) - Float(margin) / 2)
          atScale.append(
            CandidateBox(
              x1: ((2 * fx + 1) / s).rounded(.down), y1: ((2 * fy + 1) / s).rounded(.down),
              x2: ((2 * fx + 12) / s).rounded(.down), y2: ((2 * fy + 12) / s).rounded(.down),
              score: p,
              regression: SIMD4(
                maps.regression(0, i), maps.regression(1, i), maps.regression(2, i),
                maps.regression(3, i))))
        }
      }
      let kept = NonMaximumSuppression.keep(atScale, threshold: 0.5, overlap: .union)
      found += kept.map { atScale[$0] }
    }
    let kept = NonMaximumSuppression.keep(found, threshold: 0.7, overlap: .union)
    return kept.map { index in
      let c = found[index]
      let (rw, rh) = (c.x2 - c.x1, c.y2 - c.y1)
      let r = c.regression
      return Self.square(
        CandidateBox(
          x1: c.x1 + r[0] * rw, y1: c.y1 + r[1] * rh, x2: c.x2 + r[2] * rw, y2: c.y2 + r[3] * rh,
          score: c.score))
    }
  }

  /// Stage 2: R-Net on 24×24 crops.
  private func refine(
    _ boxes: [CandidateBox], in source: ResamplingSource, _ networks: MTCNNNetworks,
    workers: Int
  ) throws
    -> [CandidateBox]
  {
    let passed = try judge(
      boxes, side: 24, threshold: thresholds[1], in: source, networks, workers: workers
    ).map { box, _ in box }
    let kept = NonMaximumSuppression.keep(passed, threshold: 0.7, overlap: .union)
    return kept.map { Self.square(Self.regressed(passed[$0])) }
  }

  /// Stage 3: O-Net on 48×48 crops, landmarks, final boxes.
  private func output(
    _ boxes: [CandidateBox], in source: ResamplingSource, _ networks: MTCNNNetworks,
    workers: Int
  ) throws
    -> [DetectedFace]
  {
    let judged = try judge(
      boxes, side: 48, threshold: thresholds[2], in: source, networks, workers: workers)
    let passed = judged.map { box, out in
      var box = box
      // Landmarks are fractions of the box before this stage's offsets, from its corner − 1.
      if box.degrees == 0 {
        let (bw, bh) = (box.x2 - box.x1 + 1, box.y2 - box.y1 + 1)
        box.landmarks = (0..<5).map { bw * out[6 + $0] + box.x1 - 1 }
        box.landmarks += (0..<5).map { bh * out[11 + $0] + box.y1 - 1 }
      } else {
        let points = (0..<5).map {
          TurnedCrops.point(fx: out[6 + $0], fy: out[11 + $0], of: box, degrees: box.degrees)
        }
        box.landmarks = points.map(\.x) + points.map(\.y)
      }
      return Self.regressed(box)
    }
    let kept = NonMaximumSuppression.keep(passed, threshold: 0.7, overlap: .minimum)
    return kept.map { index in
      let b = passed[index]
      return DetectedFace(
        left: Double(b.x1), top: Double(b.y1), right: Double(b.x2), bottom: Double(b.y2),
        score: Double(b.score),
        landmarks: (0..<5).map {
          ImagePoint(x: Double(b.landmarks[$0]), y: Double(b.landmarks[5 + $0]))
        })
    }
  }

  /// Turns tried for a box R- or O-Net rejects with a probability above ``turnFloor``, when
  /// ``retriesTurned``: the networks learnt roughly upright faces, so a tilted face can score
  /// low as it is and high turned level. Chosen on generated scenes (100, seed 1): ±20° found
  /// 83.0% of faces with 1 false positive, ±15° 80.5% with 2, ±25° 83.3% with 2.
  static let turns: [Float] = [-20, 20]
  /// The least R- or O-Net probability of a rejected box worth a turned try (0.01 found no
  /// more faces on the same scenes and cost 7% more time).
  static let turnFloor: Float = 0.05
  /// The least O-Net probability of a face accepted on any look but the plain upright one
  /// (the card's threshold is 0.7): more looks at a texture are more chances for it to pass.
  /// At 0.7, two small textures passed on the 8 shared photos; at 0.9 none did, and on other
  /// generated scenes (100, seed 2) faces found went from 74.5% to 71.7% and false positives
  /// from 4 to 3 (64.4% and 3 without turned looks).
  static let turnAccept: Float = 0.9

  /// The probability a box must beat: O-Net's bar is ``turnAccept`` for any look but the plain
  /// upright one.
  private func bar(_ threshold: Float, side: Int, plainLook: Bool) -> Float {
    side == 48 && !plainLook ? max(threshold, Self.turnAccept) : threshold
  }

  /// R-Net (`side` 24) or O-Net (48) on each box seen under its own turn; the boxes with
  /// probability above `threshold`, with their score, regression and output column (`rows`
  /// values). With ``retriesTurned``, a rejected box above ``turnFloor`` is tried under the
  /// other turns, and kept under its best one if that passes.
  private func judge(
    _ boxes: [CandidateBox], side: Int, threshold: Float, in source: ResamplingSource,
    _ networks: MTCNNNetworks, workers: Int
  ) throws -> [(CandidateBox, [Float])] {
    let first = try outputs(
      boxes, degrees: boxes.map(\.degrees), side: side, in: source, networks, workers: workers)
    var passed: [(CandidateBox, [Float])] = []
    var retry: [Int] = []
    for (index, out) in first.enumerated() {
      guard let out else { continue }
      let score = MTCNNNetworks.faceProbability(out[0], out[1])
      if score > bar(threshold, side: side, plainLook: boxes[index].degrees == 0) {
        var box = boxes[index]
        box.score = score
        box.regression = SIMD4(out[2], out[3], out[4], out[5])
        passed.append((box, out))
      } else if retriesTurned, score > Self.turnFloor {
        retry.append(index)
      }
    }
    guard !retry.isEmpty else { return passed }
    var tries: [CandidateBox] = []
    var degrees: [Float] = []
    var owners: [Int] = []
    for index in retry {
      let box = boxes[index]
      for turn in [0] + Self.turns where turn != box.degrees {
        tries.append(box)
        degrees.append(turn)
        owners.append(index)
      }
    }
    let second = try outputs(
      tries, degrees: degrees, side: side, in: source, networks, workers: workers)
    var best: [Int: (score: Float, at: Int)] = [:]
    for (k, out) in second.enumerated() {
      guard let out else { continue }
      let score = MTCNNNetworks.faceProbability(out[0], out[1])
      let key = owners[k]
      if score > bar(threshold, side: side, plainLook: false), score > best[key]?.score ?? 0 {
        best[key] = (score, k)
      }
    }
    for (_, chosen) in best.sorted(by: { $0.key < $1.key }) {
      let out = second[chosen.at]!
      var box = tries[chosen.at]
      box.degrees = degrees[chosen.at]
      box.score = chosen.score
      box.regression = SIMD4(out[2], out[3], out[4], out[5])
      passed.append((box, out))
    }
    return passed
  }

  /// R- or O-Net's output column for each box seen turned by `degrees[i]` (nil when the box
  /// has no part inside the photo). In floats on the pixel-major kernels, the crops are made
  /// chunk by chunk as the network's threads judge them
  /// (``MTCNNNetworks/refine(_:side:from:workers:)``); otherwise the boxes of each turn are
  /// cropped together and all the crops run through the network in one call, so that its
  /// threads share them all (one call per turn left a thread idle whenever a turn had too few
  /// crops to split).
  private func outputs(
    _ boxes: [CandidateBox], degrees: [Float], side: Int, in source: ResamplingSource,
    _ networks: MTCNNNetworks, workers: Int, asJudged: Bool = true
  ) throws -> [[Float]?] {
    var result = [[Float]?](repeating: nil, count: boxes.count)
    let recipes = recipes(boxes, degrees: degrees, side: side, in: source)
    let out: [Float]
    if asJudged, !runsQuantized(side: side, networks),
      let made = networks.refine(
        recipes.map(\.recipe), side: side, from: source, workers: workers)
    {
      out = made
    } else {
      out = try outputsOfReadyCrops(
        recipes.map(\.recipe), side: side, in: source, networks, workers: workers)
    }
    let n = recipes.count
    guard n > 0 else { return result }
    let rows = out.count / n
    for (k, (box, _)) in recipes.enumerated() {
      result[box] = (0..<rows).map { out[$0 * n + k] }
    }
    return result
  }

  /// Whether R- (`side` 24) or O-Net (48) runs in 8 bits here.
  private func runsQuantized(side: Int, _ networks: MTCNNNetworks) -> Bool {
    quantizedRefinement
      && (side == 24 ? networks.cropNetsInt8.rnet : networks.cropNetsInt8.onet) != nil
  }

  /// How each box is cropped when seen turned by `degrees[i]`, with the box's index: those of
  /// each turn together, turns in increasing order, boxes with no part inside the photo left
  /// out.
  private func recipes(
    _ boxes: [CandidateBox], degrees: [Float], side: Int, in source: ResamplingSource
  ) -> [(box: Int, recipe: CropRecipe)] {
    var recipes: [(box: Int, recipe: CropRecipe)] = []
    let image = source.image
    for turn in Set(degrees).sorted() {
      let members = degrees.indices.filter { degrees[$0] == turn }
      if turn == 0 {
        for member in members {
          guard
            let plan = CropPlan(
              box: boxes[member], width: image.width, height: image.height, side: side,
              padded: padsBorders)
          else { continue }
          recipes.append((member, .upright(plan)))
        }
      } else {
        let plans = TurnedCrops.plans(
          of: members.map { boxes[$0] }, in: source, side: side, degrees: turn,
          padded: padsBorders)
        recipes += plans.map { (members[$0.index], .turned($0.plan)) }
      }
    }
    return recipes
  }

  /// ``outputs(_:degrees:side:in:_:workers:)``'s `[rows, crops]` with every crop of `recipes`
  /// made first, on up to `workers` threads, and run through the network in one call (the
  /// 8-bit and generic networks take ready crops).
  private func outputsOfReadyCrops(
    _ recipes: [CropRecipe], side: Int, in source: ResamplingSource,
    _ networks: MTCNNNetworks, workers: Int
  ) throws -> [Float] {
    guard !recipes.isEmpty else { return [] }
    let size = 3 * side * side
    var crops = [Float](repeating: 0, count: recipes.count * size)
    crops.withUnsafeMutableBufferPointer { buffer in
      let out = SendablePointer(buffer.baseAddress!)
      // A crop is a few thousand look-ups: slices of fewer than 8 are not worth a thread.
      ParallelSlices(count: recipes.count, workers: workers, minimum: 8).run { _, range in
        var (wide, part) = ([Float](), [Float]())
        for k in range {
          recipes[k].render(from: source, into: out.pointer + k * size, wide: &wide, part: &part)
        }
      }
    }
    return try networks.refine(
      crops, count: recipes.count, side: side, workers: workers, int8: quantizedRefinement)
  }

  /// The box moved by its regression, read in the frame it was judged in.
  static func regressed(_ box: CandidateBox) -> CandidateBox {
    box.degrees == 0
      ? applyRegression(box) : TurnedCrops.applyRegression(box, degrees: box.degrees)
  }

  /// The square of side `max(width, height)` with the box's centre (facenet-pytorch's
  /// `rerec`, widths without +1).
  static func square(_ b: CandidateBox) -> CandidateBox {
    let (w, h) = (b.x2 - b.x1, b.y2 - b.y1)
    let side = max(w, h)
    var r = b
    r.x1 = b.x1 + w * 0.5 - side * 0.5
    r.y1 = b.y1 + h * 0.5 - side * 0.5
    r.x2 = r.x1 + side
    r.y2 = r.y1 + side
    return r
  }

  /// Moves each edge by its offset times the box's side counted inclusively (`bbreg`).
  static func applyRegression(_ b: CandidateBox) -> CandidateBox {
    let (w, h) = (b.x2 - b.x1 + 1, b.y2 - b.y1 + 1)
    var r = b
    r.x1 = b.x1 + b.regression[0] * w
    r.y1 = b.y1 + b.regression[1] * h
    r.x2 = b.x2 + b.regression[2] * w
    r.y2 = b.y2 + b.regression[3] * h
    return r
  }

  /// Each box's crop resampled to `side × side`, NCHW, and the indices of the boxes that had a
  /// non-empty part inside the image (see ``CropPlan`` for how a box becomes its crop). The crops
  /// are shared among up to `workers` threads.
  static func crops(
    of boxes: [CandidateBox], in source: ResamplingSource, side: Int, padded: Bool = false,
    workers: Int = 1
  ) -> ([Float], [Int]) {
    let image = source.image
    let size = 3 * side * side
    var plans: [CropPlan] = []
    var indices: [Int] = []
    for (index, box) in boxes.enumerated() {
      guard
        let plan = CropPlan(
          box: box, width: image.width, height: image.height, side: side, padded: padded)
      else { continue }
      plans.append(plan)
      indices.append(index)
    }
    var crops = [Float](repeating: 0, count: plans.count * size)
    let boxPlans = plans
    crops.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let out = SendablePointer(base)
      // A crop is a few thousand look-ups: slices of fewer than 16 are not worth a thread.
      ParallelSlices(count: boxPlans.count, workers: workers, minimum: 16).run { _, range in
        var part: [Float] = []
        for k in range {
          boxPlans[k].render(from: source, into: out.pointer + k * size, clear: false, part: &part)
        }
      }
    }
    return (crops, indices)
  }
}
