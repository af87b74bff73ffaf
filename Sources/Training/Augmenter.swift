import Foundation
import NeuralNet
import Tensor

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
