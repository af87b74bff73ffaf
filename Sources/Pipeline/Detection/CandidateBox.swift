/// A candidate face box of the MTCNN cascade: corners (x1, y1) and (x2, y2), score, and the
/// box regression the last network gave it. Float throughout, as the reference computes.
struct CandidateBox {
  var x1: Float
  var y1: Float
  var x2: Float
  var y2: Float
  var score: Float
  var regression: SIMD4<Float> = .zero
  var landmarks: [Float] = []
  /// The turn under which R- or O-Net accepted the box (0: seen as it is in the photo); its
  /// regression and landmarks are read in that turned frame (see ``TurnedCrops``).
  var degrees: Float = 0
}
