import ArgumentParser
import Classical
import Tensor

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
