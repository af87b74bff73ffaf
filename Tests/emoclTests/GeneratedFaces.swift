import Classical
import Datasets
import Foundation
import Tensor
import TestSupport
import Vision

/// A tiny generated FER-like dataset on disk (`train/` and `val/` of 12×12 grey PNGs, a
/// duplicates list beside them) and small classical models trained on it, for CLI tests.
struct GeneratedFaces {
  static let side = 12
  let temporary: TemporaryDirectory
  var root: URL { temporary.url }
  var train: URL { root.appendingPathComponent("data/train") }
  var val: URL { root.appendingPathComponent("data/val") }
  var duplicates: URL { root.appendingPathComponent("data/duplicates.txt") }
  var models: URL { root.appendingPathComponent("models") }
  var cache: URL { root.appendingPathComponent("cache") }

  /// Writes 4 train and 3 val images per class (val image 2 of each class shows the next
  /// class's pattern, so models make mistakes there), and a duplicates list naming 3 val
  /// images as copies of train images (and one group inside val, which stays).
  init() throws {
    temporary = try TemporaryDirectory()
    try Self.write(to: train, perClass: 4, offset: 0)
    try Self.write(to: val, perClass: 3, offset: 40, mislabelled: true)
    try """
    # generated
    train/happy/img0.png\tval/happy/img1.png
    ! train/angry/img3.png\tval/sad/img0.png
    train/surprise/img2.png\tval/surprise/img2.png
    val/fear/img0.png\tval/fear/img1.png

    """.write(to: duplicates, atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
  }

  func cleanup() { temporary.cleanup() }

  /// Image `k` of class `c`: dim noise with a bright 3×3 block at a place only class `c` uses.
  static func pixels(class c: Int, index k: Int) -> [UInt8] {
    let (bx, by) = ((c % 4) * 3, (c / 4) * 6 + 1)
    return (0..<(side * side)).map { p in
      let (y, x) = (p / side, p % side)
      let noise = (p * 37 + k * 101 + c * 17) % 23
      let inBlock = x >= bx && x < bx + 3 && y >= by && y < by + 3
      return UInt8(inBlock ? 200 + noise : 30 + noise)
    }
  }

  static func write(to folder: URL, perClass: Int, offset: Int, mislabelled: Bool = false) throws {
    for (c, name) in Emotion.names.enumerated() {
      let dir = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      for k in 0..<perClass {
        let image = Image(
          width: side, height: side, channels: 1,
          pixels: pixels(class: mislabelled && k == 2 ? (c + 1) % 7 : c, index: k + offset))
        try image.writePNG(toFile: dir.appendingPathComponent("img\(k).png").path)
      }
    }
  }

  /// A folder as the CLI loads it.
  func load(_ folder: URL) throws -> LabeledImages {
    try LabeledImages.load(directory: folder, options: DatasetOptions(useCache: false))
  }

  /// Feature rows scaled to 0…1, as `train logreg` makes them.
  static func features(_ images: LabeledImages) -> Tensor {
    Tensor(shape: [images.count, images.imageByteCount], storage: images.floatPixels())
  }

  /// Fits a logistic regression (`pca == nil`) or an RBF SVM on 5 principal components on
  /// the train folder and writes it as `models/NAME.safetensors`.
  func trainModel(_ name: String, svm: Bool = false) throws -> (ClassicalPipeline, URL) {
    let images = try load(train)
    var pca: PCA.Options?
    let classifier: ClassicalPipeline.ClassifierOptions
    if svm {
      var p = PCA.Options()
      p.components = 5
      pca = p
      var options = SVC.Options()
      options.C = 10
      options.threads = .workers(1)
      classifier = .svm(options)
    } else {
      var options = LogisticRegression.Options()
      options.maxIterations = 50
      options.threads = .blas(1)
      classifier = .logisticRegression(options)
    }
    let pipeline = try ClassicalPipeline.fit(
      features: Self.features(images), labels: images.labels, classCount: 7, pca: pca,
      classifier: classifier
    ).model
    let url = models.appendingPathComponent("\(name).safetensors")
    try pipeline.modelFile(
      classes: Emotion.names, input: InputSpec(width: Self.side, height: Self.side, channels: 1),
      training: TrainingInfo(data: train.path, command: "test", seconds: 2)
    ).write(to: url, precision: .float32)
    return (pipeline, url)
  }
}
