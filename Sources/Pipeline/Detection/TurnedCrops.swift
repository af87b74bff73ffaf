import Foundation
import Tensor
import Vision

/// Crops of candidate boxes turned upright: a face tilted by `degrees` in the photo comes out
/// level, so that R- and O-Net, trained on roughly upright faces, can judge it. The mapping
/// between a box's crop and the photo: a point at fractions `(fx, fy)` of the (square) box in
/// the turned crop is at `centre + R(degrees) · ((fx, fy) − ½) · side` in the photo.
package enum TurnedCrops {
  /// Each box's crop turned by `degrees`, `side × side`, NCHW normalised floats as
  /// ``MTCNNDetector/crops(of:in:side:padded:)`` gives them (grey, 0, outside the photo), and
  /// the indices of the boxes that had any part inside the photo.
  ///
  /// The box's enclosing square (the box grown by `|cos| + |sin|`) is area-resampled first at
  /// the crop's scale, so that a large box is averaged, not aliased; the turn is bilinear. The
  /// crops are shared among up to `workers` threads.
  static func crops(
    of boxes: [CandidateBox], in source: ResamplingSource, side: Int, degrees: Float,
    padded: Bool, workers: Int = 1
  ) -> ([Float], [Int]) {
    let made = plans(of: boxes, in: source, side: side, degrees: degrees, padded: padded)
    let size = 3 * side * side
    var out = [Float](repeating: 0, count: made.count * size)
    let instructions = source.integral?.instructions
    out.withUnsafeMutableBufferPointer { to in
      guard let target = to.baseAddress else { return }
      let output = SendablePointer(target)
      ParallelSlices(count: made.count, workers: workers, minimum: 8).run { _, range in
        var (wide, part) = ([Float](), [Float]())
        for k in range {
          made[k].plan.render(
            from: source, into: output.pointer + k * size, clear: false, wide: &wide,
            part: &part, instructions: instructions)
        }
      }
    }
    return (out, made.map(\.index))
  }

  /// How one box's turned crop is made: its enclosing square (the box grown by
  /// `|cos| + |sin|`, plus a pixel each way) area-resampled at the crop's scale, so that a large
  /// box is averaged, not aliased, then turned bilinearly.
  struct Plan: Sendable {
    /// The enclosing square's plan (its side is the wide side).
    let wide: CropPlan
    /// The turned crop's side.
    let side: Int
    let cos: Float
    let sin: Float

    /// Writes the turned crop into `crop` (`3 · side²` floats). Pixels whose neighbourhood
    /// leaves the enclosing square are set to grey (0) when `clear`, else left as they are.
    /// `wide` and `part` are scratch (grown when too small).
    func render(
      from source: ResamplingSource, into crop: UnsafeMutablePointer<Float>, clear: Bool,
      wide: inout [Float], part: inout [Float], instructions: PlanarInstructions?
    ) {
      let big = self.wide.side
      if wide.count < 3 * big * big { wide = [Float](repeating: 0, count: 3 * big * big) }
      if clear { crop.update(repeating: 0, count: 3 * side * side) }
      wide.withUnsafeMutableBufferPointer { wide in
        self.wide.render(from: source, into: wide.baseAddress!, clear: true, part: &part)
        BilinearTurnKernel.turn(
          wide.baseAddress!, big: big, into: crop, side: side, cos: cos, sin: sin,
          instructions: instructions)
      }
    }
  }

  /// The plans of the boxes that have any part inside the photo, with their indices in
  /// `boxes`, for crops of `side` turned by `degrees`.
  static func plans(
    of boxes: [CandidateBox], in source: ResamplingSource, side: Int, degrees: Float,
    padded: Bool
  ) -> [(index: Int, plan: Plan)] {
    let angle = Double(degrees) * .pi / 180
    let (c, s) = (Float(Foundation.cos(angle)), Float(Foundation.sin(angle)))
    let grow = abs(c) + abs(s)
    // The enclosing crop's side: the box's `side` pixels grown alike, plus a pixel each way.
    let big = Int((Float(side) * grow).rounded(.up)) + 2
    let (width, height) = (source.image.width, source.image.height)
    return boxes.enumerated().compactMap { index, b in
      let (cx, cy) = ((b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2)
      // Spanning `x1 − 1 … x2` as the box does: `(x2 − x1 + 1) · big / side` wide.
      let half = ((b.x2 - b.x1 + 1) * Float(big) / Float(side) - 1) / 2
      let enclosing = CandidateBox(
        x1: cx - half, y1: cy - half, x2: cx + half, y2: cy + half, score: 0)
      guard
        let wide = CropPlan(
          box: enclosing, width: width, height: height, side: big, padded: padded)
      else { return nil }
      return (index, Plan(wide: wide, side: side, cos: c, sin: s))
    }
  }

  /// The crop of the square `x1, y1, x2, y2` of `image` turned by `degrees`, as R- and O-Net see
  /// it (`[3, side, side]`), or nil when the square has no part inside the image.
  package static func crop(
    of image: Image, x1: Float, y1: Float, x2: Float, y2: Float, side: Int, degrees: Float
  ) -> [Float]? {
    let box = CandidateBox(x1: x1, y1: y1, x2: x2, y2: y2, score: 0)
    let (out, indices) = crops(
      of: [box], in: ResamplingSource(image), side: side, degrees: degrees, padded: true)
    return indices.isEmpty ? nil : out
  }

  /// ``point(fx:fy:of:degrees:)`` for the square `x1, y1, x2, y2`.
  package static func point(
    fx: Float, fy: Float, x1: Float, y1: Float, x2: Float, y2: Float, degrees: Float
  ) -> (x: Float, y: Float) {
    point(
      fx: fx, fy: fy, of: CandidateBox(x1: x1, y1: y1, x2: x2, y2: y2, score: 0), degrees: degrees)
  }

  /// The photo point of fractions `(fx, fy)` of `box` seen turned by `degrees`. As for
  /// MTCNN's upright landmarks, the box spans `x1 − 1 … x2` (`x2 − x1 + 1` wide), so at 0° this
  /// is `(x1 − 1 + fx · width, y1 − 1 + fy · height)`.
  static func point(
    fx: Float, fy: Float, of box: CandidateBox, degrees: Float
  ) -> (x: Float, y: Float) {
    let side = box.x2 - box.x1 + 1
    let turned = turn((fx - 0.5) * side, (fy - 0.5) * side, degrees: degrees)
    return ((box.x1 + box.x2 - 1) / 2 + turned.x, (box.y1 + box.y2 - 1) / 2 + turned.y)
  }

  /// `box` moved by its regression as read in the turned crop: the regressed box's centre
  /// offset is turned back into the photo, its width and height kept (the box stays upright).
  /// At 0° this is MTCNN's `bbreg`.
  static func applyRegression(_ box: CandidateBox, degrees: Float) -> CandidateBox {
    let r = box.regression
    let side = box.x2 - box.x1 + 1
    let shift = turn((r[0] + r[2]) / 2 * side, (r[1] + r[3]) / 2 * side, degrees: degrees)
    let (cx, cy) = ((box.x1 + box.x2) / 2 + shift.x, (box.y1 + box.y2) / 2 + shift.y)
    let (w, h) = (box.x2 - box.x1 + (r[2] - r[0]) * side, box.y2 - box.y1 + (r[3] - r[1]) * side)
    var out = box
    out.x1 = cx - w / 2
    out.x2 = cx + w / 2
    out.y1 = cy - h / 2
    out.y2 = cy + h / 2
    return out
  }

  /// The offset `(dx, dy)` turned by `degrees` (clockwise on screen, y pointing down).
  private static func turn(_ dx: Float, _ dy: Float, degrees: Float) -> (x: Float, y: Float) {
    let angle = Double(degrees) * .pi / 180
    let (c, s) = (Float(cos(angle)), Float(sin(angle)))
    return (c * dx - s * dy, s * dx + c * dy)
  }
}
