import Classical
import Datasets
import Tensor
import Vision

/// A `ClassicalPipeline` (logistic regression or SVM, model kinds `logreg` and `svm`) read from
/// a model file, classifying face crops as an `EmotionClassifier`.
///
/// Each crop becomes one feature row `[width × height]` normalised as the card's `InputSpec`
/// says (`x = (pixel · scale − mean) / std`; `train logreg`/`train svm` write scale 1/255), then
/// the pipeline standardises, projects and classifies it. `predictedClasses(forFaces:)` is the
/// pipeline's own `predict` (an SVM's one-vs-one vote), so it matches the card's metrics;
/// `probabilities(forFaces:)` needs a logistic regression or a Platt-calibrated SVM.
public struct ClassicalClassifier: EmotionClassifier {
  /// The name shown in reports (usually the model file's name without extension).
  public let name: String
  /// The fitted stages.
  public let pipeline: ClassicalPipeline
  /// The input geometry and normalisation from the card (always 1 channel).
  public let input: InputSpec

  public var inputSize: (width: Int, height: Int) { (input.width, input.height) }

  /// Whether `probabilities(forFaces:)` works: always for a logistic regression, for an SVM
  /// only when it was fitted with Platt scaling.
  public var hasProbabilities: Bool {
    if case .svm(let svc) = pipeline.classifier { return !svc.platt.isEmpty }
    return true
  }

  /// Loads the pipeline from a `logreg` or `svm` model file.
  ///
  /// - Throws: `ModelFileError` naming the file for a missing, unexpected or misshapen tensor
  ///   (every shape is checked against the card's input size and class count first);
  ///   `ClassifierLoadError.invalidModel` for a card or parameters the pipeline rejects (a
  ///   colour input, an unknown kernel, non-finite values, …).
  public init(modelFile file: ModelFile, name: String) throws {
    try Self.checkTensors(file)
    do {
      pipeline = try ClassicalPipeline(modelFile: file)
    } catch {
      throw ClassifierLoadError.invalidModel(path: file.path, reason: "\(error)")
    }
    guard pipeline.classCount == Emotion.allCases.count else {
      throw ClassifierLoadError.wrongClasses(file.card.classes, path: file.path)
    }
    self.name = name
    self.input = file.card.input
  }

  /// Feature rows `[faces, width × height]` of grey crops of exactly `inputSize`.
  public func features(_ faces: [Image]) throws -> Tensor {
    let size = input.width * input.height
    let scale = Float(input.scale)
    let mean = Float(input.mean[0])
    let std = Float(input.std[0])
    var storage = [Float](repeating: 0, count: faces.count * size)
    for (i, face) in faces.enumerated() {
      guard face.width == input.width, face.height == input.height, face.channels == 1 else {
        throw ClassicalError.invalidOption(
          "face \(i) is \(face.width)x\(face.height) with \(face.channels) channels; "
            + "model '\(name)' takes \(input.width)x\(input.height) grey crops")
      }
      storage.withUnsafeMutableBufferPointer { out in
        for (j, p) in face.pixels.enumerated() {
          out[i * size + j] = (Float(p) * scale - mean) / std
        }
      }
    }
    return Tensor(shape: [faces.count, size], storage: storage)
  }

  public func probabilities(forFaces faces: [Image]) throws -> [[Float]] {
    guard !faces.isEmpty else { return [] }
    guard hasProbabilities else {
      throw ClassicalError.invalidOption(
        "the SVM '\(name)' was trained without probability calibration "
          + "(--probability-folds 0): it predicts classes but gives no probabilities")
    }
    let p = try pipeline.probabilities(features(faces))
    let k = p.shape[1]
    return (0..<p.shape[0]).map { Array(p.storage[($0 * k)..<(($0 + 1) * k)]) }
  }

  /// The class the pipeline's own decision rule picks for each face (a one-vs-one SVM's vote,
  /// not the argmax of its probabilities).
  public func predictedClasses(forFaces faces: [Image]) throws -> [Int] {
    guard !faces.isEmpty else { return [] }
    return try pipeline.predict(features(faces))
  }

  /// Checks every tensor's shape against the card: `d = width × height` input features, `k`
  /// PCA components (from `pca.components` when present), `f` = k or d classifier features.
  private static func checkTensors(_ file: ModelFile) throws {
    let card = file.card
    guard card.input.channels == 1 else {
      throw ClassifierLoadError.invalidModel(
        path: file.path,
        reason: "classical models take grey input, but the card's input has "
          + "\(card.input.channels) channels")
    }
    let d = card.input.width * card.input.height
    let classes = card.classes.count
    var expected: [String: [Int?]] = ["scaler.mean": [d], "scaler.scale": [d]]
    var f = d
    if file.tensors["pca.components"] != nil {
      try file.requireTensors(["pca.components": [nil, d]], allowingExtra: true)
      let k = file.tensors["pca.components"]!.shape[0]
      expected["pca.components"] = [k, d]
      expected["pca.mean"] = [d]
      expected["pca.explained_variance"] = [k]
      expected["pca.explained_variance_ratio"] = [k]
      f = k
    }
    switch card.kind {
    case .logreg:
      expected["weight"] = [classes, f]
      expected["bias"] = [classes]
    case .svm:
      guard let name = card.architecture["multiclass"]?.stringValue,
        let multiclass = SVC.Multiclass(rawValue: name)
      else {
        throw ClassifierLoadError.invalidModel(
          path: file.path, reason: "the card's architecture lacks a valid 'multiclass'")
      }
      let machines = SVC.machineCount(multiclass, classCount: classes)
      try file.requireTensors(["svm.support_vectors": [nil, f]], allowingExtra: true)
      let s = file.tensors["svm.support_vectors"]!.shape[0]
      expected["svm.support_vectors"] = [s, f]
      expected["svm.dual_coef"] = [machines, s]
      expected["svm.intercept"] = [machines]
      if file.tensors["svm.platt"] != nil { expected["svm.platt"] = [machines, 2] }
    default:
      throw ClassifierLoadError.invalidModel(
        path: file.path, reason: "a '\(card.kind)' model is not a classical pipeline")
    }
    try file.requireTensors(expected)
  }
}
