/// Greedy non-maximum suppression, highest score first: a box is dropped when it overlaps an
/// already kept one by more than `threshold`.
enum NonMaximumSuppression {
  /// How overlap is measured.
  enum Overlap {
    /// Intersection over union with areas `(x2 − x1)·(y2 − y1)` (torchvision's `nms`, which
    /// facenet-pytorch uses after P- and R-Net).
    case union
    /// Intersection over the smaller area, sides counted inclusively (`x2 − x1 + 1`;
    /// facenet-pytorch's own NumPy NMS "Min" after O-Net).
    case minimum
  }

  /// Indices of the kept boxes, in descending score order (ties: lower index first).
  static func keep(_ boxes: [CandidateBox], threshold: Float, overlap: Overlap) -> [Int] {
    let one: Float = overlap == .union ? 0 : 1
    let order = boxes.indices.sorted {
      boxes[$0].score != boxes[$1].score ? boxes[$0].score > boxes[$1].score : $0 < $1
    }
    let areas = boxes.map { ($0.x2 - $0.x1 + one) * ($0.y2 - $0.y1 + one) }
    var suppressed = [Bool](repeating: false, count: boxes.count)
    var kept: [Int] = []
    for (rank, i) in order.enumerated() where !suppressed[i] {
      kept.append(i)
      let a = boxes[i]
      for j in order[(rank + 1)...] where !suppressed[j] {
        let b = boxes[j]
        let w = max(0, min(a.x2, b.x2) - max(a.x1, b.x1) + one)
        let h = max(0, min(a.y2, b.y2) - max(a.y1, b.y1) + one)
        let intersection = w * h
        let ratio: Float
        switch overlap {
        case .union: ratio = intersection / (areas[i] + areas[j] - intersection)
        case .minimum: ratio = intersection / min(areas[i], areas[j])
        }
        if ratio > threshold { suppressed[j] = true }
      }
    }
    return kept
  }
}
