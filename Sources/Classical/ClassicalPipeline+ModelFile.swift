import Datasets
import Foundation
import Tensor

extension ClassicalPipeline {
  /// The model kind written to the card: `logreg` or `svm`.
  public var kind: ModelKind {
    switch classifier {
    case .logisticRegression: return .logreg
    case .svm: return .svm
    }
  }

  /// Hyper-parameters for the card's `architecture`, enough to rebuild the model from tensors.
  public var architecture: JSONValue {
    var fields: [String: JSONValue] = [
      "pipeline": .string(pca == nil ? "standardize" : "standardize+pca"),
      "features": .number(Double(featureCount)),
    ]
    if let pca { fields["pca_components"] = .number(Double(pca.componentCount)) }
    switch classifier {
    case .logisticRegression(let model):
      fields["classifier"] = "logreg"
      fields["multiclass"] = .string(model.multiclass.rawValue)
    case .svm(let model):
      fields["classifier"] = "svm"
      fields["multiclass"] = .string(model.multiclass.rawValue)
      fields["support_vectors"] = .number(Double(model.supportVectors.shape[0]))
      switch model.kernel {
      case .linear:
        fields["kernel"] = "linear"
      case .rbf(let gamma):
        fields["kernel"] = "rbf"
        fields["gamma"] = .number(gamma)
      case .polynomial(let degree, let gamma, let coef0):
        fields["kernel"] = "polynomial"
        fields["degree"] = .number(Double(degree))
        fields["gamma"] = .number(gamma)
        fields["coef0"] = .number(coef0)
      }
    }
    return .object(fields)
  }

  /// The named tensors of every stage (see `init(modelFile:)` for the names).
  public var tensors: [String: Tensor] {
    let d = featureCount
    var result: [String: Tensor] = [
      "scaler.mean": Tensor(shape: [d], storage: scaler.mean),
      "scaler.scale": Tensor(shape: [d], storage: scaler.scale),
    ]
    if let pca {
      let k = pca.componentCount
      result["pca.mean"] = Tensor(shape: [d], storage: pca.mean)
      result["pca.components"] = pca.components
      result["pca.explained_variance"] = Tensor(shape: [k], storage: pca.explainedVariance)
      result["pca.explained_variance_ratio"] = Tensor(
        shape: [k], storage: pca.explainedVarianceRatio)
    }
    switch classifier {
    case .logisticRegression(let model):
      result["weight"] = model.coefficients
      result["bias"] = Tensor(shape: [model.classCount], storage: model.intercepts)
    case .svm(let model):
      result["svm.support_vectors"] = model.supportVectors
      result["svm.dual_coef"] = model.dualCoefficients
      result["svm.intercept"] = Tensor(shape: [model.machineCount], storage: model.intercepts)
      if !model.platt.isEmpty {
        result["svm.platt"] = Tensor(
          shape: [model.machineCount, 2],
          storage: model.platt.flatMap { [Float($0.a), Float($0.b)] })
      }
    }
    return result
  }

  /// How `modelFile` is written: the SVM's support vectors `[s, k]` and the PCA components
  /// `[k, d]`, which are nearly all of an SVM file, as Float16 (half the size, relative rounding
  /// ≤ 2^-11); every other tensor as F32.
  public var storagePrecision: ModelFile.StoragePrecision {
    .float16Except(Set(tensors.keys).subtracting(["svm.support_vectors", "pca.components"]))
  }

  /// This pipeline as it reads back from a file written with `storagePrecision`, so that
  /// metrics measured on it are the metrics of the file.
  public func asStored() throws -> ClassicalPipeline {
    let file = modelFile(classes: (0..<classCount).map { "class\($0)" })
    return try ClassicalPipeline(
      modelFile: ModelFile(parsing: file.serialized(precision: storagePrecision), path: "<memory>"))
  }

  /// A model file holding this pipeline, with a card for 48×48 grey input scaled to 0…1 (the
  /// scale `fit` callers are expected to use) and the given class names and training facts.
  public func modelFile(
    classes: [String], input: InputSpec = .fer2013, training: TrainingInfo? = nil,
    metrics: ClassificationReport? = nil
  ) -> ModelFile {
    let card = ModelCard(
      kind: kind, classes: classes, input: input, architecture: architecture,
      training: training, metrics: metrics)
    return ModelFile(card: card, tensors: tensors)
  }

  /// Rebuilds a pipeline from a model file of kind `logreg` or `svm` written by `modelFile`.
  /// Tensors: `scaler.mean`/`scaler.scale` `[d]`; optionally `pca.mean` `[d]`,
  /// `pca.components` `[k, d]`, `pca.explained_variance(_ratio)` `[k]`; then either `weight`
  /// `[classes, f]` + `bias` `[classes]`, or `svm.support_vectors` `[s, f]`, `svm.dual_coef`
  /// `[machines, s]`, `svm.intercept` `[machines]` and optionally `svm.platt` `[machines, 2]`.
  public init(modelFile file: ModelFile) throws {
    let architecture = file.card.architecture
    let classCount = file.card.classes.count
    let scaler = try StandardScaler(
      mean: try file.tensor("scaler.mean").storage, scale: try file.tensor("scaler.scale").storage)
    var pca: PCA? = nil
    if file.tensors["pca.components"] != nil {
      pca = try PCA(
        mean: try file.tensor("pca.mean").storage, components: try file.tensor("pca.components"),
        explainedVariance: try file.tensor("pca.explained_variance").storage,
        explainedVarianceRatio: try file.tensor("pca.explained_variance_ratio").storage)
    }
    let classifier: Classifier
    switch file.card.kind {
    case .logreg:
      guard let name = architecture["multiclass"]?.stringValue,
        let multiclass = LogisticRegression.Multiclass(rawValue: name)
      else { throw ClassicalError.invalidParameters("card lacks a valid 'multiclass'") }
      let weight = try file.tensor("weight")
      guard weight.rank == 2, weight.shape[0] == classCount else {
        throw ClassicalError.invalidParameters(
          "weight \(weight.shape) does not match \(classCount) classes")
      }
      classifier = .logisticRegression(
        try LogisticRegression(
          multiclass: multiclass, coefficients: weight, intercepts: try file.tensor("bias").storage
        ))
    case .svm:
      guard let name = architecture["multiclass"]?.stringValue,
        let multiclass = SVC.Multiclass(rawValue: name)
      else { throw ClassicalError.invalidParameters("card lacks a valid 'multiclass'") }
      let kernel: Kernel
      switch architecture["kernel"]?.stringValue {
      case "linear":
        kernel = .linear
      case "rbf":
        guard let gamma = architecture["gamma"]?.doubleValue else {
          throw ClassicalError.invalidParameters("RBF card lacks 'gamma'")
        }
        kernel = .rbf(gamma: gamma)
      case "polynomial":
        guard let gamma = architecture["gamma"]?.doubleValue,
          let degree = architecture["degree"]?.intValue,
          let coef0 = architecture["coef0"]?.doubleValue
        else { throw ClassicalError.invalidParameters("polynomial card lacks its parameters") }
        kernel = .polynomial(degree: degree, gamma: gamma, coef0: coef0)
      default:
        throw ClassicalError.invalidParameters("card lacks a known 'kernel'")
      }
      var platt: [PlattScaling] = []
      if let stored = file.tensors["svm.platt"] {
        guard stored.rank == 2, stored.shape[1] == 2 else {
          throw ClassicalError.invalidParameters("svm.platt must be [machines, 2]")
        }
        platt = (0..<stored.shape[0]).map {
          PlattScaling(a: Double(stored.storage[2 * $0]), b: Double(stored.storage[2 * $0 + 1]))
        }
      }
      classifier = .svm(
        try SVC(
          kernel: kernel, multiclass: multiclass, classCount: classCount,
          supportVectors: try file.tensor("svm.support_vectors"),
          dualCoefficients: try file.tensor("svm.dual_coef"),
          intercepts: try file.tensor("svm.intercept").storage, platt: platt))
    default:
      throw ClassicalError.invalidParameters(
        "model kind '\(file.card.kind)' is not a classical pipeline (logreg or svm)")
    }
    try self.init(scaler: scaler, pca: pca, classifier: classifier)
  }
}
