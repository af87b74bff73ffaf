import Datasets
import Dispatch
import Foundation
import NeuralNet
import Tensor
import Vision

/// MTCNN's three networks from a model file of kind `mtcnn` (made by
/// Scripts/weights/convert_mtcnn.py): the card's `architecture` holds their ``NetworkSpec``s
/// (`pnet`, `rnet`, `onet`) and the tensors their parameters as `"<net>.<name>"`.
///
/// P-Net is fully convolutional and runs on every pyramid level; Emocl's networks have a fixed
/// input size, so it is instantiated per input size (cached) and run on bands of rows, which
/// bounds its memory on large photos. R- and O-Net run on batches of 24×24 and 48×48 crops.
/// Not thread-safe: ``MTCNNDetector`` lends each concurrent call a set of its own
/// (``MTCNNNetworkPool``).
final class MTCNNNetworks {
  /// Rows of the last layer: 2 face logits, 4 box offsets (and 10 landmarks for O-Net).
  static let outputs = (pnet: 6, rnet: 6, onet: 16)
  /// Crops per R-Net and per O-Net pass (an O-Net workspace holds about 1.8 MB of activations
  /// and gradients per crop, so its batches are smaller).
  static let maxBatch = (rnet: 64, onet: 16)
  /// P-Net bands are sized so its first layer's output holds about this many floats.
  static let bandElements = 1 << 19
  /// The same for the float planar P-Net, which streams each band in chunks
  /// (``PNetPlanar/run(rows:width:scratch:into:plane:fill:)``), so that a band's height costs no
  /// cache; its bands only share a level among threads, each recomputing 10 rows of the band
  /// before it.
  static let streamedBandElements = 1 << 21
  /// Fewest R-Net (`side` 24) or O-Net (48) crops worth a thread of their own (an O-Net crop is
  /// about nine times an R-Net crop's work, a quarter of a millisecond on the machine measured,
  /// against tens of microseconds to hand a slice to a thread: one is worth it).
  static func cropsPerWorker(side: Int) -> Int { side == 24 ? 8 : 1 }

  /// P-Net instances, shared with every set made from this one.
  private let pnetInstances: PNetInstances
  /// P-Net on CKernels' planar kernels, which bands run on when set (all of a float band, the
  /// float head of an 8-bit one): the card's P-Net is facenet-pytorch's and the detector asked
  /// for kernels this CPU runs.
  let pnetPlanar: PNetPlanar?
  /// Instances of P-Net's float head (its first ``PNetInt8/headLayers`` layers), for the bands
  /// whose rest runs in 8 bits.
  private let pnetHeads: PNetInstances
  /// P-Net's second half in 8 bits, when the card holds its activations' ranges
  /// (`architecture.pnetInt8`: `minimum` and `maximum`, for the head's output and conv3's, one
  /// number per channel) and this CPU runs the int8 kernels.
  let pnetInt8: PNetInt8?
  /// The parameters of P-Net's int8 layers by name, for building them with provisional
  /// quantizations when measuring the activations' ranges (``pnetActivationRanges(_:)``); nil
  /// where the CPU lacks the int8 kernels or the P-Net is not facenet-pytorch's.
  private let pnetInt8Parameters: [String: [Float]]?
  /// R- and O-Net laid out for 8 bits with provisional ranges: what their calibration cuts the
  /// float networks at (nil for networks of another shape than MTCNN's).
  private let cropNetLayouts: (rnet: CropNetInt8?, onet: CropNetInt8?)
  /// R- and O-Net in 8 bits, when the card holds their stored activations' ranges
  /// (`architecture.rnetInt8`, `onetInt8`: `minimum` and `maximum`, per stored activation one
  /// number per channel) and this CPU runs the int8 kernels.
  let cropNetsInt8: (rnet: CropNetInt8?, onet: CropNetInt8?)
  /// The int8 R- and O-Net's buffers by crop side, one per worker, made when first needed.
  private var cropNetScratch: [Int: [CropNetInt8.Scratch]] = [:]
  /// R- and O-Net on CKernels' pixel-major kernels, which float crops run on when set (the same
  /// planar instruction set as ``pnetPlanar``).
  let cropNetsFloat: (rnet: CropNetFloat?, onet: CropNetFloat?)
  /// Their buffers by crop side, one per worker, made when first needed.
  private var cropNetFloatScratch: [Int: [CropNetFloat.Scratch]] = [:]
  /// The buffers of workers that make R- and O-Net crops as they judge them, by crop side.
  let cropMakers = CropMakerPool()
  /// P-Net's workers' buffers, one set per worker, made when first needed.
  private var pnetWorkers: [PNetWorkerBuffers] = []
  /// The planes of ``pnet(_:workers:int8:)``'s maps.
  private let pnetResults = ZeroedFloats()
  private let rnet: Workspace
  private let onet: Workspace
  /// The memory of the last detection's summed-area table, reused by the next one.
  private var summedAreaStorage: [UInt32] = []
  /// R- and O-Net workspaces of workers 1, 2, … (worker 0 uses ``rnet`` and ``onet``), made
  /// when a detection first shares its crops among that many threads.
  private var extraWorkers: [(rnet: Workspace, onet: Workspace)] = []

  /// The networks of `file`; float P-Net bands run on the planar kernels `planar` (nil: the
  /// generic layers).
  init(file: ModelFile, planar: PlanarInstructions? = PlanarInstructions.best) throws {
    try file.requireKind("mtcnn")
    let path = file.path
    func invalid(_ why: String) -> ModelFileError {
      ModelFileError(path: path, problem: .invalidCard(why))
    }
    func spec(_ key: String) throws -> NetworkSpec {
      guard let json = file.card.architecture[key] else {
        throw invalid("an mtcnn card needs architecture.\(key)")
      }
      do {
        return try JSONDecoder().decode(NetworkSpec.self, from: JSONEncoder().encode(json))
      } catch {
        throw invalid("architecture.\(key) is not a network spec: \(error)")
      }
    }
    let specs = (pnet: try spec("pnet"), rnet: try spec("rnet"), onet: try spec("onet"))
    let checks: [(NetworkSpec, Int, Int, String)] = [
      (specs.pnet, 12, Self.outputs.pnet, "pnet"), (specs.rnet, 24, Self.outputs.rnet, "rnet"),
      (specs.onet, 48, Self.outputs.onet, "onet"),
    ]
    var networks: [Network] = []
    for (spec, side, outputs, name) in checks {
      guard spec.inputChannels == 3, spec.inputHeight == side, spec.inputWidth == side else {
        throw invalid("\(name) must take 3×\(side)×\(side) inputs")
      }
      let network = try Network(spec: spec, seed: 0)
      guard network.outputShape == ActivationShape(channels: outputs, height: 1, width: 1),
        network.state.count == 0
      else {
        throw invalid("\(name) must give \(outputs) outputs from a \(side)-pixel window")
      }
      var expected: [String: [Int?]] = [:]
      for info in network.parameters.infos { expected["\(name).\(info.name)"] = info.shape }
      try file.requireTensors(expected, allowingExtra: true)
      for info in network.parameters.infos {
        try network.parameters.set(info.name, to: try file.tensor("\(name).\(info.name)"))
      }
      networks.append(network)
    }
    pnetInstances = PNetInstances(spec: specs.pnet, parameters: networks[0].parameters.allValues)
    pnetPlanar =
      specs.pnet.layers == PNetPlanar.layers
      ? try planar.map { kernels in
        try PNetPlanar(parameter: { try file.tensor("pnet.\($0)").storage }, instructions: kernels)
      } : nil
    var headSpec = specs.pnet
    headSpec.layers = Array(headSpec.layers.prefix(PNetInt8.headLayers))
    let head = try Network(spec: headSpec, seed: 0)
    for info in head.parameters.infos {
      try head.parameters.set(info.name, to: try file.tensor("pnet.\(info.name)"))
    }
    pnetHeads = PNetInstances(spec: headSpec, parameters: head.parameters.allValues)
    // The int8 half assumes facenet-pytorch's P-Net: a head giving 16 channels, then
    // conv 3×3 16→32, PReLU, conv 1×1 32→6.
    let standard =
      specs.pnet.layers.count == PNetInt8.headLayers + 3 && head.outputShape.channels == 16
    pnetInt8 = try Self.int8PNet(file: file, invalid: invalid, standard: standard)
    pnetInt8Parameters =
      Int8Convolution.isSupported && standard
      ? try Dictionary(
        uniqueKeysWithValues: PNetInt8.parameterNames.map {
          ($0, try file.tensor("pnet.\($0)").storage)
        })
      : nil
    func layout(_ name: String, _ spec: NetworkSpec) -> CropNetInt8? {
      try? CropNetInt8(
        spec: spec, parameter: { try file.tensor("\(name).\($0)").storage }, activations: nil)
    }
    cropNetLayouts = (layout("rnet", specs.rnet), layout("onet", specs.onet))
    func float(_ name: String, _ spec: NetworkSpec) -> CropNetFloat? {
      planar.flatMap { kernels in
        try? CropNetFloat(
          spec: spec, parameter: { try file.tensor("\(name).\($0)").storage },
          instructions: kernels)
      }
    }
    cropNetsFloat = (float("rnet", specs.rnet), float("onet", specs.onet))
    cropNetsInt8 = (
      try Self.int8CropNet(
        file: file, key: "rnetInt8", layout: cropNetLayouts.rnet, invalid: invalid),
      try Self.int8CropNet(
        file: file, key: "onetInt8", layout: cropNetLayouts.onet, invalid: invalid)
    )
    rnet = try Workspace(network: networks[1], maxBatch: Self.maxBatch.rnet, forwardOnly: true)
    onet = try Workspace(network: networks[2], maxBatch: Self.maxBatch.onet, forwardOnly: true)
    for workspace in [rnet, onet] { workspace.frozenWeights = true }
  }

  /// A set of buffers of its own over `other`'s parameters, for a concurrent caller: the
  /// networks and the P-Net instances are shared (forward passes only read the networks, and
  /// an instance is checked out by one job at a time), the R- and O-Net workspaces not.
  init(sharingParametersOf other: MTCNNNetworks) throws {
    pnetInstances = other.pnetInstances
    pnetPlanar = other.pnetPlanar
    pnetHeads = other.pnetHeads
    pnetInt8 = other.pnetInt8
    pnetInt8Parameters = other.pnetInt8Parameters
    cropNetLayouts = other.cropNetLayouts
    cropNetsInt8 = other.cropNetsInt8
    cropNetsFloat = other.cropNetsFloat
    rnet = try Workspace(
      network: other.rnet.network, maxBatch: Self.maxBatch.rnet, forwardOnly: true)
    onet = try Workspace(
      network: other.onet.network, maxBatch: Self.maxBatch.onet, forwardOnly: true)
    for workspace in [rnet, onet] { workspace.frozenWeights = true }
  }

  /// The 8-bit P-Net of `file`, or nil when its card has no activation ranges or the CPU lacks
  /// the int8 kernels.
  private static func int8PNet(
    file: ModelFile, invalid: (String) -> ModelFileError, standard: Bool
  ) throws -> PNetInt8? {
    guard let entry = file.card.architecture["pnetInt8"] else { return nil }
    guard let (minimum, maximum) = cardRanges(entry, channels: PNetInt8.channels) else {
      throw invalid(
        "architecture.pnetInt8 needs minimum and maximum: per layer, one number per channel "
          + "(\(PNetInt8.channels))")
    }
    guard standard else { throw invalid("architecture.pnetInt8 needs facenet-pytorch's P-Net") }
    guard Int8Convolution.isSupported else { return nil }
    return try PNetInt8(
      parameter: { try file.tensor("pnet.\($0)").storage },
      activations: zip(minimum, maximum).map {
        ActivationRange(minimum: $0, maximum: $1).quantization
      })
  }

  /// An 8-bit R- or O-Net from the card's `key` entry and the network's `layout`, or nil when
  /// the card has no such entry or the CPU lacks the int8 kernels.
  private static func int8CropNet(
    file: ModelFile, key: String, layout: CropNetInt8?, invalid: (String) -> ModelFileError
  ) throws -> CropNetInt8? {
    guard let entry = file.card.architecture[key] else { return nil }
    guard let layout else { throw invalid("architecture.\(key) needs MTCNN's network shape") }
    guard let (minimum, maximum) = cardRanges(entry, channels: layout.storedChannels) else {
      throw invalid(
        "architecture.\(key) needs minimum and maximum: per stored activation, one number per "
          + "channel (\(layout.storedChannels))")
    }
    guard Int8Convolution.isSupported else { return nil }
    return layout.withActivations(
      zip(minimum, maximum).map { ActivationRange(minimum: $0, maximum: $1).quantization })
  }

  /// An int8 card entry's `minimum` and `maximum`: per activation, `channels[k]` finite
  /// numbers; nil when malformed.
  private static func cardRanges(_ entry: JSONValue, channels: [Int]) -> ([[Float]], [[Float]])? {
    func ranges(_ key: String) -> [[Float]]? {
      let layers = entry[key]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) }
      guard let layers, layers.map({ $0?.count }) == channels.map({ $0 }) else { return nil }
      let values = layers.map { $0!.map { Float($0) } }
      return values.joined().allSatisfy({ $0.isFinite && abs($0) < 1e6 }) ? values : nil
    }
    guard let minimum = ranges("minimum"), let maximum = ranges("maximum") else { return nil }
    return (minimum, maximum)
  }

  /// Per activation the 8-bit R-Net (`side` 24) or O-Net (48) stores as bytes, each channel's
  /// range over `count` crops (`[count, 3, side, side]` normalised floats), measured with the
  /// float network cut after that activation's PReLU; nil for networks of another shape.
  func cropNetRanges(_ crops: [Float], count: Int, side: Int) throws -> [ActivationRange]? {
    guard let layout = side == 24 ? cropNetLayouts.rnet : cropNetLayouts.onet, count > 0 else {
      return nil
    }
    return try Int8Calibration.ranges(
      network: (side == 24 ? rnet : onet).network,
      cuts: layout.stages.prefix(layout.storedStages).map(\.preluIndex), images: crops,
      count: count)
  }

  /// P-Net's maps over a whole pyramid level: the face probability and the four box offsets
  /// of each 12×12 window at stride 2, `height × width` windows, row-major. The planes live in
  /// memory the buffer set keeps from detection to detection (``pnet(_:workers:int8:)``'s
  /// results are read before its next call): fresh arrays of a megapixel photo's maps cost a
  /// copy and their page faults every time.
  struct PNetMaps {
    var height = 0
    var width = 0
    /// Five planes of `height × width`: face probability, then the x1, y1, x2, y2 offsets.
    fileprivate(set) var planes: UnsafeMutablePointer<Float>?

    var count: Int { height * width }
    /// The face probability of window `i`.
    func probability(_ i: Int) -> Float { planes![i] }
    /// Offset `k` (x1, y1, x2, y2) of window `i`.
    func regression(_ k: Int, _ i: Int) -> Float { planes![(1 + k) * count + i] }
    /// Every window's face probability.
    var probabilities: [Float] { Array(UnsafeBufferPointer(start: planes, count: count)) }
  }

  /// `body` run on `image` as a ``ResamplingSource`` whose summed-area table is built in the
  /// memory of this set's last one, and left there for the next call: a fresh table (12 bytes a
  /// pixel, a detection's largest temporary) per photo is memory the allocator keeps.
  /// The table is built on `workers` threads.
  func withSource<T>(
    of image: Image, workers: Int = 1, _ body: (ResamplingSource) throws -> T
  ) rethrows -> T {
    var storage: [UInt32] = []
    swap(&storage, &summedAreaStorage)
    let source = ResamplingSource(
      image, reusing: consume storage, instructions: pnetPlanar?.instructions, workers: workers)
    defer { summedAreaStorage = source.takeStorage() }
    return try body(source)
  }

  /// P-Net on each pyramid level (`[3, paddedHeight, paddedWidth]`), in the levels' order:
  /// the bands of all levels are one queue shared among `workers` threads (each with its own
  /// P-Net instances, single-threaded convolutions), largest level first, so that no thread
  /// waits at the end of a level while the small levels' single bands run one by one; each
  /// band resamples its own rows from the photo.
  ///
  /// Bands of rows starting at even rows give exactly the whole level's windows: a band of
  /// `b` (even) rows yields `b/2 − 5` rows of windows, each inside the band; the next band
  /// starts `b − 10` rows further down, and the last takes what is left (at least 11 rows),
  /// with the ceil-mode pooling at the bottom edge as on the whole level. Band `k` starting at
  /// row `t` gives window rows from `t/2` on.
  ///
  /// With `int8` (and ``pnetInt8`` loaded) the bands run through ``PNetInt8``.
  func pnet(_ levels: [PyramidLevel], workers: Int, int8: Bool = false) throws -> [PNetMaps] {
    let quantized = int8 ? pnetInt8 : nil
    // Bands run on the planar kernels where there are some (the 8-bit half after their head).
    let planar = pnetPlanar
    guard !levels.isEmpty else { return [] }
    // The instances each band runs (the int8 half takes 2 off the head's output).
    let (bandNetworks, trim) = quantized == nil ? (pnetInstances, 0) : (pnetHeads, 2)
    var jobList: [(level: Int, top: Int, rows: Int)] = []
    var maps: [PNetMaps] = []
    var bandFloats = 0
    for (index, level) in levels.enumerated() {
      let (height, width) = (level.paddedHeight, level.paddedWidth)
      let elements =
        planar != nil && quantized == nil ? Self.streamedBandElements : Self.bandElements
      let bandRows = max(24, elements / (10 * width)) & ~1
      var bands: [(top: Int, rows: Int)] = []
      var top = 0
      while true {
        let rows = min(bandRows, height - top)
        bands.append((top, rows))
        if top + rows >= height { break }
        top += rows - 10
      }
      var map = PNetMaps()
      if planar != nil {
        map.width = PNetPlanar.outputSize(rows: bands[0].rows, width: width).width
        map.height =
          bands.last!.top / 2 + PNetPlanar.outputSize(rows: bands.last!.rows, width: width).height
        bandFloats = max(
          bandFloats,
          3 * bands.map(\.rows).max()! * PlanarLayout.rowStride(width: width) + PlanarLayout.slack)
      } else {
        // The output shapes of the first and last band (the others are the first's).
        let first = try bandNetworks.checkout(height: bands[0].rows, width: width)
        let firstShape = first.network.outputShape
        bandNetworks.giveBack(first, height: bands[0].rows, width: width)
        let last = try bandNetworks.checkout(height: bands.last!.rows, width: width)
        let lastShape = last.network.outputShape
        bandNetworks.giveBack(last, height: bands.last!.rows, width: width)
        map.width = firstShape.width - trim
        map.height = bands.last!.top / 2 + lastShape.height - trim
        bandFloats = max(bandFloats, 3 * bands.map(\.rows).max()! * width)
      }
      maps.append(map)
      jobList += bands.map { (index, $0.top, $0.rows) }
    }
    // Five planes a level: face probability, then the four offsets.
    var planeStart = pnetResults.reserve(maps.map { 5 * $0.count }.reduce(0, +))
    for index in maps.indices {
      maps[index].planes = planeStart
      planeStart += 5 * maps[index].count
    }
    let jobs = JobCounter(count: jobList.count)
    let (queue, largestBand) = (jobList, bandFloats)
    let sinks = maps.map { SendablePointer($0.planes!) }
    let counts = maps.map(\.count)
    let threads = max(1, min(workers, jobList.count))
    while pnetWorkers.count < threads { pnetWorkers.append(PNetWorkerBuffers()) }
    let buffers = UnsafeSendableScratch(Array(pnetWorkers.prefix(threads)))
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
      let mine = buffers.items[worker]
      // The float planar P-Net fills its own chunks of a band; the others take it whole.
      let band = planar != nil && quantized == nil ? nil : mine.band.reserve(largestBand)
      let outputs = mine.outputs.reserve(largestBand / 2)
      let (scratch, planarScratch) = (mine.int8, mine.planar)
      while let job = jobs.next() {
        let (index, top, rows) = queue[job]
        let level = levels[index]
        let width = level.paddedWidth
        if let planar {
          let (height, outWidth) = PNetPlanar.outputSize(rows: rows, width: width)
          if let quantized, let band {
            level.fill(
              rows: top..<(top + rows), into: band,
              rowStride: PlanarLayout.rowStride(width: width))
            planar.withHead(band: band, rows: rows, width: width, scratch: planarScratch) {
              head, headHeight, headWidth, rowStride in
              quantized.run(
                head: head, height: headHeight, width: headWidth, rowStride: rowStride,
                scratch: scratch, into: outputs, plane: height * outWidth)
            }
          } else {
            planar.run(
              rows: rows, width: width, scratch: planarScratch, into: outputs,
              plane: height * outWidth
            ) { range, buffer, rowStride, planeStride in
              level.fill(
                rows: (top + range.lowerBound)..<(top + range.upperBound), into: buffer,
                rowStride: rowStride, planeStride: planeStride)
            }
          }
          Self.store(
            outputs, count: height * outWidth, at: top / 2 * outWidth, plane: counts[index],
            into: sinks[index].pointer)
          continue
        }
        guard let band else {
          preconditionFailure("only the float planar P-Net goes without a band")
        }
        level.fill(rows: top..<(top + rows), into: band)
        do {
          // The whole float P-Net, or its float head followed by the int8 half.
          let workspace = try bandNetworks.checkout(height: rows, width: width)
          defer { bandNetworks.giveBack(workspace, height: rows, width: width) }
          var out = UnsafePointer(try workspace.forward(images: band, batch: 1, training: false))
          let shape = workspace.network.outputShape
          let (height, outWidth) = (shape.height - trim, shape.width - trim)
          if let quantized {
            quantized.run(
              head: out, height: shape.height, width: shape.width, scratch: scratch,
              into: outputs, plane: height * outWidth)
            out = UnsafePointer(outputs)
          }
          Self.store(
            out, count: height * outWidth, at: top / 2 * outWidth, plane: counts[index],
            into: sinks[index].pointer)
        } catch {
          jobs.fail(error)
        }
      }
    }
    if let error = jobs.error { throw error }
    return maps
  }

  /// Per channel, the smallest and largest value of P-Net's float head and of its conv3 over
  /// `levels` (whole levels, one at a time; the head's instances for a whole level are not
  /// kept), for ``PNetInt8/activations``; nil without the int8 kernels.
  func pnetActivationRanges(_ levels: [PyramidLevel]) throws -> [ActivationRange]? {
    guard let parameters = pnetInt8Parameters else { return nil }
    let pnet = try PNetInt8(
      parameter: { parameters[$0]! },
      activations: PNetInt8.channels.map { .uniform(step: 1, channels: $0) })
    var ranges = PNetInt8.channels.map { n in
      ActivationRange(
        minimum: [Float](repeating: 0, count: n), maximum: [Float](repeating: 0, count: n))
    }
    for level in levels where level.paddedHeight >= 12 && level.paddedWidth >= 12 {
      let (rows, width) = (level.paddedHeight, level.paddedWidth)
      var band = [Float](repeating: 0, count: 3 * rows * width)
      let found = try band.withUnsafeMutableBufferPointer { band in
        level.fill(rows: 0..<rows, into: band.baseAddress!)
        let workspace = try pnetHeads.checkout(height: rows, width: width)
        let head = try workspace.forward(images: band.baseAddress!, batch: 1, training: false)
        let shape = workspace.network.outputShape
        return pnet.activationRanges(head: head, height: shape.height, width: shape.width)
      }
      ranges = ActivationRange.widen(ranges, to: found)
    }
    return ranges
  }

  /// A band's six output planes (`count` floats each: 2 logits, 4 offsets) into a level's five
  /// (`plane` floats each: probability, 4 offsets) from window `offset` on.
  private static func store(
    _ out: UnsafePointer<Float>, count: Int, at offset: Int, plane: Int,
    into destination: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<count {
      destination[offset + i] = Self.faceProbability(out[i], out[count + i])
    }
    for k in 0..<4 {
      (destination + (1 + k) * plane + offset).update(from: out + (2 + k) * count, count: count)
    }
  }

  /// R-Net (`side` 24) or O-Net (`side` 48) on `count` crops, NCHW in `crops`; returns the
  /// outputs `[rows, count]` (row-major by output row). The crops are shared among up to
  /// `workers` threads, each with its own workspace, at least ``cropsPerWorker(side:)`` each (fewer
  /// are not worth a thread).
  /// `generic` runs float crops on the networks' generic layers even where the pixel-major
  /// kernels are loaded (for comparing the two).
  func refine(
    _ crops: [Float], count: Int, side: Int, workers: Int = 1, int8: Bool = false,
    generic: Bool = false
  ) throws -> [Float] {
    guard count > 0 else { return [] }
    if int8, let net = side == 24 ? cropNetsInt8.rnet : cropNetsInt8.onet {
      return refineInt8(crops, count: count, net: net, workers: workers)
    }
    if !generic, let net = side == 24 ? cropNetsFloat.rnet : cropNetsFloat.onet {
      return refineFloat(crops, count: count, net: net, workers: workers)
    }
    let rows = side == 24 ? Self.outputs.rnet : Self.outputs.onet
    let size = 3 * side * side
    let slices = ParallelSlices(
      count: count, workers: workers, minimum: Self.cropsPerWorker(side: side))
    let threads = slices.slices
    while extraWorkers.count < threads - 1 {
      extraWorkers.append(
        (
          try Workspace(network: rnet.network, maxBatch: Self.maxBatch.rnet, forwardOnly: true),
          try Workspace(network: onet.network, maxBatch: Self.maxBatch.onet, forwardOnly: true)
        ))
      extraWorkers.last!.rnet.frozenWeights = true
      extraWorkers.last!.onet.frozenWeights = true
    }
    let spaces =
      [side == 24 ? rnet : onet]
      + extraWorkers.prefix(threads - 1).map {
        side == 24 ? $0.rnet : $0.onet
      }
    let result = UnsafeMutablePointer<Float>.allocate(capacity: rows * count)
    defer { result.deallocate() }
    let sink = SendablePointer(result)
    // Slice k of the crops runs on workspace k; a failed slice stops those not yet taken.
    let jobs = JobCounter(count: threads)
    try crops.withUnsafeBufferPointer { input in
      let source = SendablePointer(UnsafeMutablePointer(mutating: input.baseAddress!))
      let run: @Sendable (Int) -> Void = { _ in
        while let slice = jobs.next() {
          let workspace = spaces[slice]
          var start = slices.range(slice).lowerBound
          let end = slices.range(slice).upperBound
          do {
            while start < end {
              let n = min(workspace.maxBatch, end - start)
              let out = try workspace.forward(
                images: source.pointer + start * size, batch: n, training: false)
              for r in 0..<rows {
                for i in 0..<n { sink.pointer[r * count + start + i] = out[r * n + i] }
              }
              start += n
            }
          } catch {
            jobs.fail(error)
          }
        }
      }
      if threads == 1 {
        run(0)
      } else {
        DispatchQueue.concurrentPerform(iterations: threads, execute: run)
      }
      if let error = jobs.error { throw error }
    }
    return Array(UnsafeBufferPointer(start: result, count: rows * count))
  }

  /// ``refine(_:count:side:workers:int8:generic:)`` with the 8-bit `net`, crop by crop.
  private func refineInt8(_ crops: [Float], count: Int, net: CropNetInt8, workers: Int) -> [Float] {
    let size = 3 * net.side * net.side
    return runSlices(
      crops, count: count, side: net.side, outputs: net.outputs, workers: workers,
      scratch: \.cropNetScratch, make: { CropNetInt8.Scratch(for: net) }
    ) { crops, range, scratch, output in
      for i in range {
        net.run(crops + i * size, scratch: scratch, into: output + i, stride: count)
      }
    }
  }

  /// ``refine(_:count:side:workers:int8:generic:)`` with the pixel-major float `net`.
  private func refineFloat(_ crops: [Float], count: Int, net: CropNetFloat, workers: Int)
    -> [Float]
  {
    runSlices(
      crops, count: count, side: net.side, outputs: net.outputs, workers: workers,
      scratch: \.cropNetFloatScratch, make: { CropNetFloat.Scratch(for: net) }
    ) { crops, range, scratch, output in
      net.run(crops, range: range, scratch: scratch, into: output, stride: count)
    }
  }

  /// `count` crops of `side` shared among up to `workers` threads (at least
  /// ``cropsPerWorker(side:)`` each), each slice run by `body` with buffers of its own (kept by
  /// side in `scratch`, made by `make` when first needed), writing `outputs` rows of `count`.
  private func runSlices<Scratch>(
    _ crops: [Float], count: Int, side: Int, outputs: Int, workers: Int,
    scratch: ReferenceWritableKeyPath<MTCNNNetworks, [Int: [Scratch]]>, make: () -> Scratch,
    _ body:
      @escaping @Sendable (
        _ crops: UnsafePointer<Float>, _ range: Range<Int>, _ scratch: Scratch,
        _ output: UnsafeMutablePointer<Float>
      ) -> Void
  ) -> [Float] {
    let slices = ParallelSlices(
      count: count, workers: workers, minimum: Self.cropsPerWorker(side: side))
    var made = self[keyPath: scratch][side, default: []]
    while made.count < slices.slices { made.append(make()) }
    self[keyPath: scratch][side] = made
    let scratches = UnsafeSendableScratch(made)
    var result = [Float](repeating: 0, count: outputs * count)
    crops.withUnsafeBufferPointer { input in
      result.withUnsafeMutableBufferPointer { output in
        let (from, to) = (
          SendablePointer(UnsafeMutablePointer(mutating: input.baseAddress!)),
          SendablePointer(output.baseAddress!)
        )
        slices.run { slice, range in
          body(from.pointer, range, scratches.items[slice], to.pointer)
        }
      }
    }
    return result
  }

  /// `softmax(face, nonFace)[1]`, computed as PyTorch does (shifted by the maximum), with one
  /// exponential: the maximum's own is exp(0) = 1 exactly, so the floats are PyTorch's.
  static func faceProbability(_ nonFace: Float, _ face: Float) -> Float {
    if face >= nonFace { return 1 / (Foundation.exp(nonFace - face) + 1) }
    let b = Foundation.exp(face - nonFace)
    return b / (1 + b)
  }
}
