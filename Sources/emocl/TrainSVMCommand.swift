import ArgumentParser
import Classical
import Tensor

/// `emocl train svm`: standardise → PCA → kernel SVM.
struct TrainSVM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "svm",
    abstract: "Kernel SVM (SMO) on PCA components of standardised 48×48 pixels.",
    discussion: """
      Standardise, project onto --pca principal components, then a C-SVM per class pair \
      (ovo, as scikit-learn's SVC) or per class (ovr). Probabilities come from Platt sigmoids \
      fitted on cross-validated decision values (--probability-folds, 0 for none).
      """
  )

  @OptionGroup var common: ClassicalTrainingOptions
  @OptionGroup var svm: SVMOptions

  @Option(help: "Folds for the Platt-scaling cross-validation (0: no probabilities).")
  var probabilityFolds: Int = 3

  func validate() throws {
    guard probabilityFolds == 0 || probabilityFolds >= 2 else {
      throw ValidationError("--probability-folds must be 0 or at least 2")
    }
  }

  func run() throws {
    var options = try svm.options(threads: common.threads)
    options.probability = probabilityFolds > 0
    options.probabilityFolds = max(2, probabilityFolds)
    let pcaOptions = svm.pcaOptions()
    // The machines train concurrently, each calling single-threaded BLAS (so does the PCA
    // before them: OpenBLAS's count is one per process).
    options.threads.configureProcess()
    try runClassicalTraining(common, command: commandLine) { images in
      try ClassicalPipeline.fit(
        features: images.pixelFeatures, labels: images.labels,
        classCount: images.classes.count, pca: pcaOptions, classifier: .svm(options))
    } describe: { model, report in
      guard let fit = report.svm, case .svm(let svc) = model.classifier else { return }
      print(
        String(
          format: "pca %.1f s, svm %.1f s: %d support vectors %@, %d unconverged machines",
          report.pcaSeconds, report.classifierSeconds, fit.supportIndices.count,
          "\(fit.supportCounts)", fit.unconverged))
      if case .rbf(let gamma) = svc.kernel { print("gamma: \(gamma)") }
    }
  }
}

/// SVM and PCA options shared by `train svm` and `tune svm`.
struct SVMOptions: ParsableArguments {
  @Option(help: "Principal components kept before the SVM (0: none).")
  var pca: Int = 250

  @Flag(help: "Randomised PCA (Halko et al.) instead of the exact covariance eigensolver.")
  var randomizedPca = false

  @Option(help: "linear, polynomial or rbf.")
  var kernel: SVC.KernelType = .rbf

  @Option(name: .customLong("C"), help: "Penalty on margin violations.")
  var c: Double = 10

  @Option(help: "Kernel width: scale (1/(features·Var X)), auto (1/features) or a number.")
  var gamma: String = "scale"

  @Option(help: "Polynomial degree.")
  var degree: Int = 3

  @Option(help: "Polynomial constant term.")
  var coef0: Double = 0

  @Option(help: "ovo (one machine per class pair) or ovr (one per class).")
  var multiclass: SVC.Multiclass = .oneVsOne

  @Option(help: "SMO stopping tolerance on the KKT violation.")
  var tol: Double = 1e-3

  @Option(help: "Kernel-row cache in MB, shared by the concurrently trained machines.")
  var cacheMb: Int = 1024

  @Option(help: "none or balanced class weights (scales C per class).")
  var classWeight: LogisticRegression.ClassWeight = .none

  func validate() throws {
    guard pca >= 0 else { throw ValidationError("--pca must be non-negative") }
    guard c > 0, c.isFinite else { throw ValidationError("--C must be positive") }
    guard tol > 0 else { throw ValidationError("--tol must be positive") }
    guard cacheMb >= 1, cacheMb <= 65536 else {
      throw ValidationError("--cache-mb must be 1...65536")
    }
    _ = try parsedGamma()
  }

  func parsedGamma() throws -> GammaChoice {
    switch gamma {
    case "scale": return .scale
    case "auto": return .auto
    default:
      guard let value = Double(gamma), value > 0, value.isFinite else {
        throw ValidationError("--gamma must be scale, auto or a positive number, got '\(gamma)'")
      }
      return .value(value)
    }
  }

  func options(threads: Int) throws -> SVC.Options {
    var options = SVC.Options()
    options.C = c
    options.kernel = kernel
    options.gamma = try parsedGamma()
    options.degree = degree
    options.coef0 = coef0
    options.multiclass = multiclass
    options.tolerance = tol
    options.cacheBytes = cacheMb << 20
    options.classWeight = classWeight
    options.threads = .workers(threads)
    return options
  }

  func pcaOptions() -> PCA.Options? {
    guard pca > 0 else { return nil }
    var options = PCA.Options()
    options.components = pca
    options.solver = randomizedPca ? .randomized : .full
    return options
  }
}

extension SVC.KernelType: ExpressibleByArgument {}
extension SVC.Multiclass: ExpressibleByArgument {}
