import Datasets
import Foundation
import Logging
import Pipeline
import Service

/// The analyzer `emocl serve` runs: the same photo → faces → emotions pipeline as `emocl predict`
/// (MTCNN or Haar face detection, `detector=`), over each of `cnn`, `logreg`, `svm` found in the
/// models folder: `--models`/`EMOCL_MODELS`, else the repository's `Models/`; with
/// `quantizedPNet`, MTCNN runs its P-Net half in 8 bits where the CPU can, and with
/// `quantizedRefinement` its R- and O-Net. Requests that name no detector get `detector`
/// (`--detector`/`EMOCL_DETECTOR`), which must then load; without one, the standard detector,
/// or the Haar cascades when the MTCNN file cannot be loaded.
/// - Throws: `ModelsLoadError` naming the folder when it is missing or holds no usable model,
///   or naming the detector asked for when it cannot be loaded.
func makeServeAnalyzer(
  modelsDirectory: String?, cnn: CNNOptions = CNNOptions(), maxQueued: Int = 256,
  detector: FaceDetectorKind? = nil, quantizedPNet: Bool = false,
  quantizedRefinement: Bool = false, logger: Logger
) throws
  -> PipelineAnalyzer
{
  let folder = try serveModelsFolder(modelsDirectory)
  // Both detectors, for the API's detector=; without the MTCNN file only Haar is offered.
  var locators: [FaceDetectorKind: any FaceLocating] = [:]
  var failures: [FaceDetectorKind: String] = [:]
  for kind in FaceDetectorKind.allCases {
    do {
      locators[kind] = try Predict.faceLocator(
        kind, locator: ModelLocator(modelsDirectory: folder),
        threads: ProcessInfo.processInfo.activeProcessorCount, quantizedPNet: quantizedPNet,
        quantizedRefinement: quantizedRefinement)
    } catch {
      failures[kind] = "\(error)"
      logger.warning(
        "face detector not loaded", metadata: ["detector": "\(kind)", "error": "\(error)"])
    }
  }
  if let detector, locators[detector] == nil {
    throw ModelsLoadError(
      "the face detector \(detector.rawValue) asked for (--detector, EMOCL_DETECTOR) could not be "
        + "loaded from \(folder.path): \(failures[detector] ?? "unknown error")")
  }
  let chosen = detector ?? (locators[.standard] != nil ? .standard : .haar)
  logger.info(
    "face detectors",
    metadata: [
      "default": "\(chosen.rawValue)",
      "available": "\(FaceDetectorKind.allCases.filter { locators[$0] != nil }.map(\.rawValue))",
    ])
  do {
    return try PipelineAnalyzer.load(
      modelsDirectory: folder, faceLocator: locators[chosen], faceLocators: locators, cnn: cnn,
      maxQueued: maxQueued, logger: logger)
  } catch {
    throw ModelsLoadError("\(error)")
  }
}

/// The video analyser of `emocl serve`'s and `emocl worker`'s job workers: the first of
/// `cnn`, `svm`, `logreg` in the models folder that gives probabilities, with `detector`
/// (by default the one `emocl predict` uses), its P-Net half in 8 bits with `quantizedPNet` and
/// its R- and O-Net with `quantizedRefinement`, where the CPU can.
func makeVideoAnalyzer(
  modelsDirectory: String?, detector: FaceDetectorKind = .standard, quantizedPNet: Bool = false,
  quantizedRefinement: Bool = false, cnn: CNNOptions = CNNOptions()
) throws -> VideoAnalyzer {
  let folder = try serveModelsFolder(modelsDirectory)
  let locator = ModelLocator(modelsDirectory: folder)
  var problems: [String] = []
  for name in ["cnn", "svm", "logreg"]
  where FileManager.default.fileExists(
    atPath: folder.appendingPathComponent("\(name).safetensors").path)
  {
    do {
      let classifier = try ModelFile.emotionClassifier(name, locator: locator, cnn: cnn)
      if let classical = classifier as? ClassicalClassifier, !classical.hasProbabilities {
        problems.append("\(name): an SVM without probability calibration")
        continue
      }
      return VideoAnalyzer(
        pipeline: EmotionPipeline(
          classifier: classifier,
          faceLocator: try Predict.faceLocator(
            detector, locator: locator, quantizedPNet: quantizedPNet,
            quantizedRefinement: quantizedRefinement)))
    } catch {
      problems.append("\(name): \(error)")
    }
  }
  throw ModelsLoadError(
    "no usable model for videos in \(folder.path)"
      + (problems.isEmpty
        ? " (cnn, svm or logreg.safetensors)" : ": " + problems.joined(separator: "; ")))
}

/// `--models`/`EMOCL_MODELS`, else the repository's `Models/`; it must be a folder.
func serveModelsFolder(_ modelsDirectory: String?) throws -> URL {
  let folder: URL
  if let modelsDirectory {
    folder = URL(fileURLWithPath: modelsDirectory)
  } else if let repo = ModelLocator.runningExecutable.flatMap(
    ModelLocator.repositoryModelsDirectory)
    ?? ModelLocator.repositoryModelsDirectory(
      from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
  {
    folder = repo
  } else {
    throw ModelsLoadError(
      "no models folder: pass --models DIR or set EMOCL_MODELS (a folder with cnn.safetensors, "
        + "logreg.safetensors or svm.safetensors)")
  }
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
    isDirectory.boolValue
  else {
    throw ModelsLoadError(
      "models folder \(folder.path) does not exist (pass --models DIR, or train one: emocl train cnn "
        + "--data ../shared/datasets/fer2013/train --val ../shared/datasets/fer2013/val "
        + "--out \(folder.path)/cnn.safetensors)")
  }
  return folder
}
