import ArgumentParser
import Classical
import Tensor

/// `emocl train logreg`: L2 logistic regression on standardised pixels.
struct TrainLogReg: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logreg",
    abstract: "Logistic regression (L-BFGS, L2) on standardised 48×48 pixels.",
    discussion: """
      Minimises C·Σ log-loss + ½‖w‖² (intercepts unpenalised), like scikit-learn's \
      LogisticRegression(solver="lbfgs"). One-vs-rest fits the 7 binary problems in lockstep \
      so each evaluation reads the data once.
      """
  )

  @OptionGroup var common: ClassicalTrainingOptions

  @Option(help: "ovr (one binary problem per class) or multinomial (softmax).")
  var multiclass: LogisticRegression.Multiclass = .oneVsRest

  @Option(
    name: .customLong("C"),
    help: ArgumentHelp(
      "Inverse regularisation strength (smaller: stronger L2).",
      discussion: "The default was chosen on FER2013 val among 0.001, 0.01, 0.1 and 1."))
  var c: Double = 0.001

  @Option(help: "Maximum L-BFGS iterations per problem.")
  var maxIter: Int = 100

  @Option(help: "Stop when the scaled gradient's largest component is below this.")
  var tol: Double = 1e-4

  @Option(help: "none, or balanced (weight class c by n / (classes · n_c)).")
  var classWeight: LogisticRegression.ClassWeight = .none

  func validate() throws {
    guard c > 0, c.isFinite else { throw ValidationError("--C must be positive") }
    guard maxIter >= 1 else { throw ValidationError("--max-iter must be at least 1") }
    guard tol >= 0 else { throw ValidationError("--tol must be non-negative") }
  }

  func run() throws {
    var options = LogisticRegression.Options()
    options.C = c
    options.maxIterations = maxIter
    options.tolerance = tol
    options.multiclass = multiclass
    options.classWeight = classWeight
    options.threads = options.threadPolicy(cores: common.threads)
    options.threads.configureProcess()
    try runClassicalTraining(common, command: commandLine) { images in
      try ClassicalPipeline.fit(
        features: images.pixelFeatures, labels: images.labels,
        classCount: images.classes.count, pca: nil, classifier: .logisticRegression(options))
    } describe: { _, report in
      guard let lr = report.logisticRegression else { return }
      let converged = lr.converged.filter { $0 }.count
      print(
        "logreg \(multiclass.rawValue): iterations \(lr.iterations), "
          + "\(converged)/\(lr.converged.count) converged")
    }
  }
}

extension LogisticRegression.Multiclass: ExpressibleByArgument {}
extension LogisticRegression.ClassWeight: ExpressibleByArgument {}
