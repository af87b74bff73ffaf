import ArgumentParser
import Classical
import Datasets
import Foundation
import Tensor

/// `emocl-bench classical DIR`: fit times of the classical models on a training folder, as
/// `task wall_s cpu_s` lines for Scripts/bench/30-classical.sh to set beside scikit-learn's.
struct BenchClassical: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classical",
    abstract: "Fit times of logistic regression, PCA and the RBF SVM on a dataset folder."
  )

  @Argument(help: "Training folder, e.g. ../shared/datasets/fer2013/train.")
  var directory: String

  @Option(help: "Comma-separated tasks: logreg, pca, pca-randomized, svm.")
  var tasks: String = "logreg,pca,pca-randomized,svm"

  @Option(help: "Threads (BLAS and concurrent sub-problems).")
  var threads: Int = 2

  func run() throws {
    let images = try LabeledImages.load(directory: URL(fileURLWithPath: directory))
    let standardized = try StandardScaler.fit(images.pixelFeatures).transform(
      images.pixelFeatures)
    let clock = ContinuousClock()
    func timed(_ task: String, _ body: () throws -> Void) rethrows {
      let (startCPU, start) = (processCPUSeconds(), clock.now)
      try body()
      let wall = seconds(clock.now - start)
      print(String(format: "%@\t%.2f\t%.2f", task, wall, processCPUSeconds() - startCPU))
    }
    print("task\twall_s\tcpu_s")
    var components: Tensor? = nil
    for task in tasks.split(separator: ",").map(String.init) {
      switch task {
      case "logreg":
        var options = LogisticRegression.Options()
        options.threads = options.threadPolicy(cores: threads)
        options.threads.configureProcess()
        try timed(task) {
          _ = try LogisticRegression.fit(
            features: standardized, labels: images.labels, classCount: images.classes.count,
            options: options)
        }
      case "pca", "pca-randomized":
        var options = PCA.Options()
        ThreadPolicy.blas(threads).configureProcess()
        options.solver = task == "pca" ? .full : .randomized
        try timed(task) {
          components = try PCA.fit(standardized, options: options).transform(standardized)
        }
      case "svm":
        ThreadPolicy.blas(threads).configureProcess()
        let x =
          try components ?? PCA.fit(standardized, options: PCA.Options()).transform(standardized)
        var options = SVC.Options()
        options.C = 10
        options.threads = .workers(threads)
        options.threads.configureProcess()
        try timed(task) {
          _ = try SVC.fit(
            features: x, labels: images.labels, classCount: images.classes.count, options: options)
        }
      default:
        throw ValidationError("unknown task '\(task)' (logreg, pca, pca-randomized, svm)")
      }
    }
  }
}
