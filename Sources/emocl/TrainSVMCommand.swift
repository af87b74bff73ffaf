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

extension SVC.KernelType: ExpressibleByArgument {}
extension SVC.Multiclass: ExpressibleByArgument {}
