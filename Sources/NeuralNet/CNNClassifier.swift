import Datasets
import Foundation
import Tensor

/// A trained CNN for inference, from or to a model file (kind `cnn`).
///
/// The card's `input` is the source size callers supply (e.g. 48×48 grey) with the pixel
/// normalisation; its `architecture` holds `{"network": NetworkSpec, "crop": side}`: the
/// network sees the centre `crop × crop` of each image. The tensors are the network's
/// parameters and batch-norm statistics under their PyTorch-style names (`"0.weight"`,
/// `"1.running_var"`, ...). With `architecture.test_time_flip` the logits are averaged over
/// the crop and its mirror image; they are divided by the card's calibration temperature (1 if
/// none) before the softmax.
public final class CNNClassifier: @unchecked Sendable {
  public let network: Network
  public let card: ModelCard
  /// Side of the centre crop fed to the network.
  public let crop: Int
  public let normalization: Normalization
  /// Logits are divided by this before the softmax.
  public let temperature: Double
  /// Whether logits are averaged over each crop and its mirror image (card key
  /// `architecture.test_time_flip`, unless the caller overrides it).
  public let flip: Bool
  /// The 8-bit network images run through, when asked for (`int8`), the card has its ranges
  /// and the CPU its kernels; nil when the float network runs.
  public let int8Network: Int8Network?
  /// One scratch per worker for ``int8Network``.
  let int8Scratch: [Int8Network.Scratch]
  private let replicas: Replicas
  private let lock = NSLock()

  /// Rebuilds the network of a `cnn` model file and loads its weights. `maxBatch` and
  /// `workers` size the inference buffers (batches larger than `maxBatch` are split). A batch
  /// is split between the workers, and a single image's convolutions between their threads,
  /// each keeping a core busy with single-threaded GEMMs: run with OpenBLAS single-threaded
  /// (``ThreadPolicy/workers(_:)``, applied by the executable), as more BLAS threads on top
  /// oversubscribe the cores and halve the speed. `flip`
  /// overrides the card's test-time flip (off halves the cost per image). With `int8`, images
  /// run through the 8-bit network (``Int8Network``) when the card has its ranges
  /// (`architecture.int8`) and the CPU has AVX-512 VNNI; ``int8Network`` says whether they do.
  public init(
    file: ModelFile, maxBatch: Int = 64, workers: Int = 1, flip: Bool? = nil, int8: Bool = false
  ) throws {
    try file.requireKind(.cnn)
    let card = file.card
    let path = file.path
    func invalid(_ why: String) -> ModelFileError {
      ModelFileError(path: path, problem: .invalidCard(why))
    }
    guard let architecture = card.architecture["network"],
      let crop = card.architecture["crop"]?.intValue
    else { throw invalid("a cnn card needs architecture.network and architecture.crop") }
    let spec: NetworkSpec
    do {
      spec = try JSONDecoder().decode(NetworkSpec.self, from: JSONEncoder().encode(architecture))
    } catch {
      throw invalid("architecture.network is not a network spec: \(error)")
    }
    guard card.input.channels == 1, card.input.mean.count == 1, card.input.std.count == 1,
      crop == spec.inputHeight, crop == spec.inputWidth, spec.inputChannels == 1,
      crop <= card.input.width, crop <= card.input.height
    else { throw invalid("input \(card.input) does not fit a \(crop)-pixel grey crop") }
    let network = try Network(spec: spec, seed: 0)
    guard network.classes == card.classes.count else {
      throw invalid("network has \(network.classes) outputs for \(card.classes.count) classes")
    }
    var expected: [String: [Int?]] = [:]
    for info in network.parameters.infos + network.state.infos { expected[info.name] = info.shape }
    try file.requireTensors(expected)
    for (store, infos) in [
      (network.parameters, network.parameters.infos), (network.state, network.state.infos),
    ] {
      for info in infos {
        let tensor = try file.tensor(info.name)
        // NaN weights would give NaN probabilities (and cannot be quantized): refuse them.
        guard tensor.storage.allSatisfy(\.isFinite) else {
          throw ModelFileError(path: path, problem: .nonFinite(tensor: info.name))
        }
        try store.set(info.name, to: tensor)
      }
    }
    self.network = network
    self.card = card
    self.crop = crop
    // InputSpec: x = (pixel·scale − mean) / std, with scale 1/255.
    normalization = Normalization(
      mean: Float(card.input.mean[0] / (card.input.scale * 255)),
      std: Float(card.input.std[0] / (card.input.scale * 255)))
    temperature = card.calibration?.temperature ?? 1
    self.flip = flip ?? card.architecture["test_time_flip"]?.boolValue ?? false
    let maxima = try Self.int8Maxima(file: file, spec: spec)
    if int8, let maxima, Int8Network.isSupported {
      let quantized = try Int8Network(
        network: network, normalization: normalization,
        activations: Int8Calibration.activations(maxima: maxima))
      int8Network = quantized
      int8Scratch = (0..<max(1, workers)).map { _ in Int8Network.Scratch(for: quantized) }
    } else {
      int8Network = nil
      int8Scratch = []
    }
    // A classifier never trains: forward-only workspaces (Winograd F(4×4, 3×3) where it is
    // faster), and its kernels' Winograd transforms are computed once.
    replicas = try Replicas(
      network: network, workers: workers, maxBatch: maxBatch, forwardOnly: true)
    for workspace in replicas.workspaces { workspace.frozenWeights = true }
  }

  /// Class probabilities of `count` grey images of the card's input size, `count × classes`.
  public func probabilities(pixels: [UInt8], count: Int) throws -> [Float] {
    let (w, h) = (card.input.width, card.input.height)
    guard count >= 0, pixels.count == count * w * h else {
      throw NetworkError.shapeMismatch(expected: [count, h, w], got: [pixels.count])
    }
    lock.lock()
    defer { lock.unlock() }
    if let int8Network, count > 0 {
      let logits = int8Logits(int8Network, pixels: pixels, count: count)
      return Self.softmax(logits, classes: card.classes.count, temperature: temperature)
    }
    let logits = try replicas.centerCropLogits(
      pixels: pixels, count: count, width: w, height: h, crop: crop,
      normalization: normalization, flip: flip)
    return Self.softmax(logits, classes: card.classes.count, temperature: temperature)
  }

  /// Row-wise softmax of `logits / temperature`.
  public static func softmax(_ logits: [Float], classes: Int, temperature: Double) -> [Float] {
    var out = logits
    var terms = [Double](repeating: 0, count: classes)
    for row in 0..<(logits.count / max(1, classes)) {
      let base = row * classes
      let (_, sum) = logSumExpParts(count: classes) {
        Double(logits[base + $0]) / temperature
      } exponential: {
        terms[$0] = $1
      }
      for c in 0..<classes { out[base + c] = Float(terms[c] / sum) }
    }
    return out
  }

  /// A `cnn` model file for `network` with its card.
  public static func modelFile(
    network: Network, classes: [String], sourceWidth: Int, sourceHeight: Int,
    normalization: Normalization, training: TrainingInfo?, metrics: ClassificationReport?,
    calibration: Calibration?, flip: Bool = false,
    extraArchitecture: [String: JSONValue] = [:]
  ) throws -> ModelFile {
    let spec = try JSONDecoder().decode(
      JSONValue.self, from: JSONEncoder().encode(network.spec))
    var architecture: [String: JSONValue] = [
      "network": spec, "crop": .number(Double(network.inputShape.height)),
      "parameters": .number(Double(network.parameters.count)),
      "evaluation": "centre crop", "test_time_flip": .bool(flip),
    ]
    architecture.merge(extraArchitecture) { $1 }
    let input = InputSpec(
      width: sourceWidth, height: sourceHeight, channels: 1, scale: 1.0 / 255,
      mean: [Double(normalization.mean)], std: [Double(normalization.std)])
    let card = ModelCard(
      kind: .cnn, classes: classes, input: input, architecture: .object(architecture),
      training: training, metrics: metrics, calibration: calibration)
    var tensors: [String: Tensor] = [:]
    for store in [network.parameters, network.state] {
      for info in store.infos { tensors[info.name] = store.tensor(named: info.name) }
    }
    return ModelFile(card: card, tensors: tensors)
  }
}
