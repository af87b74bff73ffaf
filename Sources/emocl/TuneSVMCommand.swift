import ArgumentParser
import Classical
import Datasets
import Foundation
import Tensor

/// `emocl tune svm`: a grid over C and γ for the PCA + kernel SVM pipeline.
struct TuneSVM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "svm",
    abstract: "Grid search over C and gamma on a stratified split of the training folder.",
    discussion: """
      Standardisation and PCA are fitted once on the fitting part; each grid point trains an \
      SVM on it and is scored by accuracy on the held-out part. Gamma values are factors of \
      the "scale" gamma of the fitting part.
      """
  )

  @Option(help: "Training folder holding one subfolder per class.")
  var data: String

  @OptionGroup var svm: SVMOptions

  @Option(name: .customLong("C-grid"), help: "Comma-separated C values.")
  var cGrid: String = "1,3,10,30"

  @Option(help: "Comma-separated factors multiplying the 'scale' gamma.")
  var gammaFactors: String = "0.5,1,2"

  @Option(help: "Share of the (subsampled) training data used for fitting; the rest scores.")
  var fraction: Double = 0.8

  @Option(help: "Use a stratified subsample of this many training images (0: all).")
  var limit: Int = 0

  @Option(help: "Seed of the stratified split and subsample.")
  var seed: UInt64 = 1

  @Option(help: "Threads (BLAS and concurrent machines).")
  var threads: Int = 2

  @Flag(help: "Skip unreadable or undecodable images instead of failing.")
  var skipBadFiles = false

  func values(_ text: String, _ name: String) throws -> [Double] {
    let parsed = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil && $0! > 0 && $0!.isFinite }) else {
      throw ValidationError("\(name) must list positive numbers, got '\(text)'")
    }
    return parsed.map { $0! }
  }

  func validate() throws {
    _ = try values(cGrid, "--C-grid")
    _ = try values(gammaFactors, "--gamma-factors")
    guard fraction > 0, fraction < 1 else { throw ValidationError("--fraction must be in (0, 1)") }
    guard limit >= 0 else { throw ValidationError("--limit must be non-negative") }
    guard threads >= 1, threads <= 256 else { throw ValidationError("--threads must be 1...256") }
  }

  func run() throws {
    let clock = ContinuousClock()
    var images = try LabeledImages.load(
      directory: URL(fileURLWithPath: data), options: DatasetOptions(skipBadFiles: skipBadFiles))
    if limit > 0, limit < images.count {
      images = try images.split(fraction: Double(limit) / Double(images.count), seed: seed).0
    }
    let (fitting, held) = try images.split(fraction: fraction, seed: seed &+ 1)
    print("tune: fitting on \(fitting.count), scoring on \(held.count) images")
    let scaler = try StandardScaler.fit(fitting.pixelFeatures)
    var x = try scaler.transform(fitting.pixelFeatures)
    var heldX = try scaler.transform(held.pixelFeatures)
    if let pcaOptions = svm.pcaOptions() {
      // The PCA is one sequence of large GEMMs: all threads inside BLAS.
      ThreadPolicy.blas(threads).configureProcess()
      let start = clock.now
      let pca = try PCA.fit(x, options: pcaOptions)
      x = try pca.transform(x)
      heldX = try pca.transform(heldX)
      print(
        String(
          format: "pca: %d components, %.3f of the variance, %.1f s", pca.componentCount,
          pca.explainedVarianceRatio.reduce(0, +), seconds(clock.now - start)))
    }
    let scale = GammaChoice.scale.resolve(for: x)
    // The machines train concurrently, each with single-threaded BLAS.
    ThreadPolicy.workers(threads).configureProcess()
    var best: (accuracy: Double, c: Double, gamma: Double)? = nil
    print("C\tgamma\tfactor\taccuracy\tsupport_vectors\tseconds")
    for c in try values(cGrid, "--C-grid") {
      for factor in try values(gammaFactors, "--gamma-factors") {
        var options = try svm.options(threads: threads)
        options.C = c
        options.gamma = .value(scale * factor)
        let start = clock.now
        let (model, report) = try SVC.fit(
          features: x, labels: fitting.labels, classCount: fitting.classes.count, options: options)
        let predicted = try model.predict(heldX)
        let accuracy =
          Double(zip(predicted, held.labels).filter { $0 == $1 }.count) / Double(held.count)
        print(
          String(
            format: "%g\t%.6g\t%g\t%.4f\t%d\t%.1f", c, scale * factor, factor, accuracy,
            report.supportIndices.count, seconds(clock.now - start)))
        if best == nil || accuracy > best!.accuracy { best = (accuracy, c, scale * factor) }
      }
    }
    if let best {
      print(
        String(
          format: "best: C %g, gamma %.6g (held-out accuracy %.4f)", best.c, best.gamma,
          best.accuracy))
      print("train with: emocl train svm --data \(data) --C \(best.c) --gamma \(best.gamma) ...")
    }
  }
}
