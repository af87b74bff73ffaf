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

/// Renders random training views of 8-bit grey sources (the centre crop used for evaluation is
/// `Normalization.centerCrop`, in NeuralNet).
public enum Augmenter {
  /// A random view of a `width × height` source as configured, normalised, into `output`
  /// (`crop × crop`), drawing from `rng`.
  public static func augment(
    _ source: UnsafePointer<UInt8>, width: Int, height: Int, config: AugmentationConfig,
    normalization: Normalization, rng: inout Xoshiro256, into output: UnsafeMutablePointer<Float>
  ) {
    let s = config.cropSize
    func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * rng.nextDouble() }
    let flip = config.flip && rng.next() & 1 == 1
    let angle = uniform(-config.maxRotationDegrees, config.maxRotationDegrees) * .pi / 180
    let zoom = uniform(config.minScale, config.maxScale)
    let shiftX = uniform(-1, 1) * (Double(width - s) / 2 + config.maxShift)
    let shiftY = uniform(-1, 1) * (Double(height - s) / 2 + config.maxShift)
    // Output pixel centre (u, v), relative to the crop centre, maps to source point
    // centre + shift + R(angle)·(±u, v)/zoom.
    let c = cos(angle) / zoom
    let sn = sin(angle) / zoom
    let cx = Double(width) / 2 + shiftX
    let cy = Double(height) / 2 + shiftY
    let half = Double(s) / 2
    let scale = 1 / (255 * normalization.std)
    let offset = -normalization.mean / normalization.std
    let maxX = Float(width - 1)
    let maxY = Float(height - 1)
    for v in 0..<s {
      let dv = Double(v) + 0.5 - half
      for u in 0..<s {
        var du = Double(u) + 0.5 - half
        if flip { du = -du }
        // Source coordinates in pixel-centre units, clamped to the border.
        let x = min(max(Float(cx + c * du - sn * dv - 0.5), 0), maxX)
        let y = min(max(Float(cy + sn * du + c * dv - 0.5), 0), maxY)
        let x0 = Int(x)
        let y0 = Int(y)
        let x1 = min(x0 + 1, width - 1)
        let y1 = min(y0 + 1, height - 1)
        let fx = x - Float(x0)
        let fy = y - Float(y0)
        let top = Float(source[y0 * width + x0]) * (1 - fx) + Float(source[y0 * width + x1]) * fx
        let bottom =
          Float(source[y1 * width + x0]) * (1 - fx) + Float(source[y1 * width + x1]) * fx
        output[v * s + u] = (top * (1 - fy) + bottom * fy) * scale + offset
      }
    }
    if config.erasingProbability > 0 && rng.nextDouble() < config.erasingProbability {
      let area = uniform(config.minErasingArea, config.maxErasingArea) * Double(s * s)
      let ratio = exp(uniform(log(0.3), log(3.3)))
      let h = min(s, max(1, Int((area * ratio).squareRoot().rounded())))
      let w = min(s, max(1, Int((area / ratio).squareRoot().rounded())))
      let top = rng.nextInt(below: s - h + 1)
      let left = rng.nextInt(below: s - w + 1)
      for y in top..<(top + h) { (output + y * s + left).update(repeating: 0, count: w) }
    }
  }
}
