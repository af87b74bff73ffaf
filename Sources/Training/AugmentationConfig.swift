import Foundation
import NeuralNet
import Tensor

/// Random distortions applied to each training image on the fly, and the crop both training
/// and evaluation use. Training images are a random affine view (flip, rotation, scale, shift)
/// of the source resampled bilinearly to `cropSize × cropSize`, then possibly a random
/// rectangle erased; evaluation takes the centre crop.
public struct AugmentationConfig: Codable, Sendable, Hashable {
  /// Side of the network input in pixels (e.g. 44 for 48-pixel sources).
  public var cropSize: Int
  /// Mirror left–right with probability ½.
  public var flip: Bool
  /// Rotation uniform in ±this many degrees.
  public var maxRotationDegrees: Double
  /// Zoom factor uniform in `[minScale, maxScale]` (> 1 magnifies).
  public var minScale: Double
  public var maxScale: Double
  /// Centre offset uniform in ±(`(source − crop)/2 + maxShift`) pixels on each axis, so a
  /// zero `maxShift` gives the usual random crop.
  public var maxShift: Double
  /// Chance of erasing one rectangle (to the mean grey, i.e. zero after normalisation).
  public var erasingProbability: Double
  /// Erased area as a fraction of the crop, uniform in this range; aspect ratio log-uniform in
  /// `[0.3, 3.3]`.
  public var minErasingArea: Double
  public var maxErasingArea: Double

  public init(
    cropSize: Int, flip: Bool = true, maxRotationDegrees: Double = 10, minScale: Double = 0.9,
    maxScale: Double = 1.1, maxShift: Double = 0, erasingProbability: Double = 0.25,
    minErasingArea: Double = 0.02, maxErasingArea: Double = 0.15
  ) {
    self.cropSize = cropSize
    self.flip = flip
    self.maxRotationDegrees = maxRotationDegrees
    self.minScale = minScale
    self.maxScale = maxScale
    self.maxShift = maxShift
    self.erasingProbability = erasingProbability
    self.minErasingArea = minErasingArea
    self.maxErasingArea = maxErasingArea
  }

  /// Plain random crops only (no flip, rotation, scale or erasing).
  public static func cropOnly(_ cropSize: Int) -> AugmentationConfig {
    AugmentationConfig(
      cropSize: cropSize, flip: false, maxRotationDegrees: 0, minScale: 1, maxScale: 1,
      erasingProbability: 0)
  }

  /// Checks the ranges against a `sourceSize × sourceSize` image.
  public func validate(sourceWidth: Int, sourceHeight: Int) throws(TrainingError) {
    guard cropSize > 0, cropSize <= sourceWidth, cropSize <= sourceHeight else {
      throw .invalidConfiguration(
        "crop \(cropSize) must be in 1...\(min(sourceWidth, sourceHeight))")
    }
    guard maxRotationDegrees >= 0, maxRotationDegrees <= 180, minScale > 0,
      minScale <= maxScale, maxScale <= 4, maxShift >= 0, maxShift <= Double(cropSize),
      (0...1).contains(erasingProbability), minErasingArea > 0,
      minErasingArea <= maxErasingArea, maxErasingArea < 1
    else { throw .invalidConfiguration("augmentation ranges out of bounds: \(self)") }
  }
}
