import Tensor

/// How one crop that R- or O-Net judges is made: from the box as it stands in the photo, or
/// turned (see ``TurnedCrops``).
enum CropRecipe: Sendable {
  case upright(CropPlan)
  case turned(TurnedCrops.Plan)

  /// Writes the crop (`[3, side, side]` normalised floats) into `crop`, grey (0) wherever the
  /// photo does not reach, whatever the buffer held before; `wide` and `part` are scratch
  /// (grown when too small).
  func render(
    from source: ResamplingSource, into crop: UnsafeMutablePointer<Float>, wide: inout [Float],
    part: inout [Float]
  ) {
    switch self {
    case .upright(let plan):
      plan.render(from: source, into: crop, clear: true, part: &part)
    case .turned(let plan):
      plan.render(
        from: source, into: crop, clear: true, wide: &wide, part: &part,
        instructions: source.integral?.instructions)
    }
  }
}
