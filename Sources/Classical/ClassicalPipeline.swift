import Tensor

/// Standardise → optional PCA → classifier (logistic regression or kernel SVM), as one model
/// over flattened pixel rows `[samples, pixels]`.
public struct ClassicalPipeline: Sendable, Equatable {
  /// The fitted final stage.
  public enum Classifier: Sendable, Equatable {
    case logisticRegression(LogisticRegression)
    case svm(SVC)
  }

  /// Options of the final stage.
  public enum ClassifierOptions: Sendable, Equatable {
    case logisticRegression(LogisticRegression.Options)
    case svm(SVC.Options)
  }

  /// What fitting did and how long each stage took.
  public struct FitReport: Sendable {
    /// Seconds spent standardising, in PCA and in the classifier.
    public var scalerSeconds: Double
    public var pcaSeconds: Double
    public var classifierSeconds: Double
    /// The logistic regression's report, when that is the classifier.
    public var logisticRegression: LogisticRegression.FitReport?
    /// The SVM's report, when that is the classifier.
    public var svm: SVC.FitReport?
  }

  /// Per-pixel standardisation fitted on the training rows.
  public let scaler: StandardScaler
  /// Projection onto principal components of the standardised rows, if any.
  public let pca: PCA?
  /// The classifier over the (projected) standardised rows.
  public let classifier: Classifier

  /// Number of input features (pixels).
  public var featureCount: Int { scaler.mean.count }
  /// Number of classes.
  public var classCount: Int {
    switch classifier {
    case .logisticRegression(let model): return model.classCount
    case .svm(let model): return model.classCount
    }
  }

  /// A pipeline from fitted stages, whose widths must chain.
  public init(scaler: StandardScaler, pca: PCA?, classifier: Classifier) throws {
    let stageWidth = pca?.componentCount ?? scaler.mean.count
    if let pca, pca.featureCount != scaler.mean.count {
      throw ClassicalError.invalidParameters(
        "PCA expects \(pca.featureCount) features, the scaler gives \(scaler.mean.count)")
    }
    let classifierWidth: Int
    switch classifier {
    case .logisticRegression(let model): classifierWidth = model.featureCount
    case .svm(let model): classifierWidth = model.featureCount
    }
    guard classifierWidth == stageWidth else {
      throw ClassicalError.invalidParameters(
        "the classifier expects \(classifierWidth) features, the stages before give \(stageWidth)")
    }
    self.scaler = scaler
    self.pca = pca
    self.classifier = classifier
  }

  /// Fits every stage on `features` `[samples, pixels]` and `labels` in `0..<classCount`.
  public static func fit(
    features: Tensor, labels: [Int], classCount: Int, pca pcaOptions: PCA.Options?,
    classifier options: ClassifierOptions
  ) throws -> (model: ClassicalPipeline, report: FitReport) {
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double {
      Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    var start = clock.now
    let scaler = try StandardScaler.fit(features)
    var transformed = try scaler.transform(features)
    let scalerSeconds = seconds(clock.now - start)
    start = clock.now
    var pca: PCA? = nil
    if let pcaOptions {
      let fitted = try PCA.fit(transformed, options: pcaOptions)
      transformed = try fitted.transform(transformed)
      pca = fitted
    }
    let pcaSeconds = seconds(clock.now - start)
    start = clock.now
    var report = FitReport(
      scalerSeconds: scalerSeconds, pcaSeconds: pcaSeconds, classifierSeconds: 0,
      logisticRegression: nil, svm: nil)
    let classifier: Classifier
    switch options {
    case .logisticRegression(let options):
      let fitted = try LogisticRegression.fit(
        features: transformed, labels: labels, classCount: classCount, options: options)
      classifier = .logisticRegression(fitted.model)
      report.logisticRegression = fitted.report
    case .svm(let options):
      let fitted = try SVC.fit(
        features: transformed, labels: labels, classCount: classCount, options: options)
      classifier = .svm(fitted.model)
      report.svm = fitted.report
    }
    report.classifierSeconds = seconds(clock.now - start)
    return (try ClassicalPipeline(scaler: scaler, pca: pca, classifier: classifier), report)
  }

  /// The classifier's input for `features` `[samples, pixels]`: standardised, then projected.
  public func stageFeatures(_ features: Tensor) throws -> Tensor {
    let standardized = try scaler.transform(features)
    return try pca?.transform(standardized) ?? standardized
  }

  /// Predicted class per sample.
  public func predict(_ features: Tensor) throws -> [Int] {
    let x = try stageFeatures(features)
    switch classifier {
    case .logisticRegression(let model): return try model.predict(x)
    case .svm(let model): return try model.predict(x)
    }
  }

  /// Class probabilities `[samples, classes]` (the SVM needs Platt calibration).
  public func probabilities(_ features: Tensor) throws -> Tensor {
    let x = try stageFeatures(features)
    switch classifier {
    case .logisticRegression(let model): return try model.probabilities(x)
    case .svm(let model): return try model.probabilities(x)
    }
  }
}

/// Flattened pixel rows `[count, pixelsPerImage]` as Float32 from 8-bit grey images stored
/// back to back.
public func pixelFeatures(_ pixels: [UInt8], count: Int) throws -> Tensor {
  guard count > 0, pixels.count % count == 0, !pixels.isEmpty else {
    throw ClassicalError.invalidOption(
      "\(pixels.count) pixel bytes cannot be split into \(count) equal images")
  }
  return Tensor(shape: [count, pixels.count / count], storage: pixels.map { Float($0) })
}
