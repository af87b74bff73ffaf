import Classical
import Datasets
import Tensor

/// Tiny generated "faces" for evaluation and report tests: a `side × side` grey image of class
/// `c` is dim noise with a bright 3×3 block at a place only class `c` uses, so a linear model
/// separates the classes.
public enum TinyFaces {
  public static let side = 12

  /// The pixels of image `k` of class `c`.
  public static func pixels(class c: Int, index k: Int) -> [UInt8] {
    let (bx, by) = ((c % 4) * 3, (c / 4) * 6 + 1)
    return (0..<(side * side)).map { p in
      let (y, x) = (p / side, p % side)
      let noise = (p * 37 + k * 101 + c * 17) % 23
      let inBlock = x >= bx && x < bx + 3 && y >= by && y < by + 3
      return UInt8(inBlock ? 200 + noise : 30 + noise)
    }
  }

  /// `perClass` images of each of the 7 classes, named `class/imgK.png`. With `mislabelled`,
  /// image 2 of class c shows class c + 1's pattern, so a model that learned the patterns
  /// gets those wrong.
  public static func images(perClass: Int, offset: Int = 0, mislabelled: Bool = false) throws
    -> LabeledImages
  {
    var pixels: [UInt8] = []
    var labels: [Int] = []
    var names: [String] = []
    for c in 0..<7 {
      for k in 0..<perClass {
        let shown = mislabelled && k == 2 ? (c + 1) % 7 : c
        pixels += Self.pixels(class: shown, index: k + offset)
        labels.append(c)
        names.append("\(Emotion.names[c])/img\(k).png")
      }
    }
    return try LabeledImages(
      width: side, height: side, pixels: pixels, labels: labels, names: names)
  }

  /// The input spec of models trained on these images (pixels scaled to 0…1).
  public static let input = InputSpec(width: side, height: side, channels: 1)

  /// Feature rows as `train logreg` makes them.
  public static func features(_ images: LabeledImages) -> Tensor {
    Tensor(shape: [images.count, images.imageByteCount], storage: images.floatPixels())
  }

  /// A logistic regression (no PCA) fitted on `images`.
  public static func logisticRegression(_ images: LabeledImages) throws -> ClassicalPipeline {
    var options = LogisticRegression.Options()
    options.maxIterations = 50
    options.threads = .blas(1)
    return try ClassicalPipeline.fit(
      features: features(images), labels: images.labels, classCount: 7, pca: nil,
      classifier: .logisticRegression(options)
    ).model
  }

  /// An RBF SVM on `components` principal components fitted on `images`, with or without
  /// Platt scaling.
  public static func svm(_ images: LabeledImages, components: Int = 6, probability: Bool = false)
    throws
    -> ClassicalPipeline
  {
    var pca = PCA.Options()
    pca.components = components
    var options = SVC.Options()
    options.C = 10
    options.threads = .workers(1)
    options.probability = probability
    options.probabilityFolds = 2
    return try ClassicalPipeline.fit(
      features: features(images), labels: images.labels, classCount: 7, pca: pca,
      classifier: .svm(options)
    ).model
  }

  /// `pipeline`'s model file for these images' input, with a training record.
  public static func modelFile(_ pipeline: ClassicalPipeline) -> ModelFile {
    pipeline.modelFile(
      classes: Emotion.names, input: input,
      training: TrainingInfo(data: "generated", command: "test", seconds: 1.5))
  }
}
