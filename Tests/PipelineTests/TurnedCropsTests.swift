import Foundation
import Pipeline
import TestSupport
import Testing
import Vision

/// ``TurnedCrops``: a box's crop turned upright samples the photo where ``TurnedCrops/point``
/// says, and a tilted face the upright look misses is found turned.
@Suite struct TurnedCropsTests {
  /// A linear ramp `20 + 0.5·x + 0.3·y` (pixel centres), whose area averages are exact, so a
  /// crop pixel must hold the ramp's value at the photo point it maps to.
  static let ramp: Image = {
    let (w, h) = (200, 200)
    var pixels = [UInt8](repeating: 0, count: w * h * 3)
    for y in 0..<h {
      for x in 0..<w {
        let value = UInt8((20 + 0.5 * Double(x) + 0.3 * Double(y)).rounded())
        for c in 0..<3 { pixels[(y * w + x) * 3 + c] = value }
      }
    }
    return Image(width: w, height: h, channels: 3, pixels: pixels)
  }()

  @Test(arguments: [-30.0, -20.0, 7.5, 20.0, 45.0])
  func cropPixelsSampleThePhotoAtTheirTurnedPoints(degrees: Double) throws {
    let side = 24
    // A 48-pixel box: two photo pixels per crop pixel.
    let (x1, y1, x2, y2): (Float, Float, Float, Float) = (71, 64, 118, 111)
    let crop = try #require(
      TurnedCrops.crop(
        of: Self.ramp, x1: x1, y1: y1, x2: x2, y2: y2, side: side, degrees: Float(degrees)))
    #expect(crop.count == 3 * side * side)
    var worst: Float = 0
    for v in 0..<side {
      for u in 0..<side {
        let p = TurnedCrops.point(
          fx: (Float(u) + 0.5) / Float(side), fy: (Float(v) + 0.5) / Float(side),
          x1: x1, y1: y1, x2: x2, y2: y2, degrees: Float(degrees))
        // `point` is continuous (pixel i spans i ..< i + 1); the ramp is given at centres.
        let expected = 20 + 0.5 * (p.x - 0.5) + 0.3 * (p.y - 0.5)
        let got = crop[v * side + u] / 0.0078125 + 127.5
        worst = max(worst, abs(got - expected))
        #expect(crop[side * side + v * side + u] == crop[v * side + u])
      }
    }
    // Rounding of the ramp (±0.5) and of the enclosing crop's corners to whole pixels.
    #expect(worst < 1.2, "largest difference \(worst) grey levels at \(degrees)°")
  }

  @Test func pointsAtZeroDegreesAreMTCNNsLandmarkFrame() {
    let (x1, y1, x2, y2): (Float, Float, Float, Float) = (10, 20, 59, 69)
    for (fx, fy) in [(0, 0), (0.25, 0.75), (1, 1), (0.5, 0.5)] as [(Float, Float)] {
      let p = TurnedCrops.point(fx: fx, fy: fy, x1: x1, y1: y1, x2: x2, y2: y2, degrees: 0)
      #expect(abs(p.x - (x1 - 1 + fx * 50)) < 1e-4)
      #expect(abs(p.y - (y1 - 1 + fy * 50)) < 1e-4)
    }
    // Turned by 90° (clockwise on screen), the crop's right-hand point is below the centre.
    let right = TurnedCrops.point(fx: 1, fy: 0.5, x1: x1, y1: y1, x2: x2, y2: y2, degrees: 90)
    #expect(abs(right.x - 34) < 1e-3)
    #expect(abs(right.y - 69) < 1e-3)
  }

  @Test func aBoxOutsideThePhotoHasNoCrop() {
    #expect(
      TurnedCrops.crop(
        of: Self.ramp, x1: 500, y1: 500, x2: 540, y2: 540, side: 24, degrees: 20) == nil)
  }
}
