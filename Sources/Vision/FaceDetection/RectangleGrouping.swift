/// Merging of overlapping detection windows, as OpenCV's `cv::groupRectangles(rects, weights,
/// groupThreshold, eps)`:
///
/// 1. Windows are split into equivalence classes: two windows are similar when every edge differs
///    by at most `eps · (min(w1, w2) + min(h1, h2)) / 2`; classes are the transitive closure.
/// 2. Each class becomes the average of its windows (each coordinate summed, times `1/n` in
///    Float, rounded half to even), with `n` as its neighbour count.
/// 3. Classes with `n <= groupThreshold` are dropped, and so is a class lying inside another
///    kept class (enlarged by `eps` of its size) when that one has more neighbours
///    (`n2 > max(3, n1)`) or the inner one is weak (`n1 < 3`).
///
/// With `groupThreshold <= 0` the windows are returned unchanged with 1 neighbour each.
public enum RectangleGrouping {
  /// OpenCV's `GROUP_EPS` for cascade detections.
  public static let defaultEpsilon = 0.2

  /// Groups `rectangles` (their `neighbors` are ignored). The result follows the order in which
  /// each class's first window appears.
  public static func group(
    _ rectangles: [FaceBox], groupThreshold: Int, eps: Double = defaultEpsilon
  ) -> [FaceBox] {
    guard groupThreshold > 0, !rectangles.isEmpty else {
      return rectangles.map { FaceBox(x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
    }
    let labels = partition(rectangles, eps: eps)
    let classCount = (labels.max() ?? -1) + 1
    var sums = [(x: Int, y: Int, width: Int, height: Int)](
      repeating: (0, 0, 0, 0), count: classCount)
    var counts = [Int](repeating: 0, count: classCount)
    for (index, label) in labels.enumerated() {
      let r = rectangles[index]
      sums[label].x += r.x
      sums[label].y += r.y
      sums[label].width += r.width
      sums[label].height += r.height
      counts[label] += 1
    }
    let averages: [FaceBox] = (0..<classCount).map { c in
      let s = 1 / Float(counts[c])
      func average(_ total: Int) -> Int { roundToInt(Float(total) * s) }
      return FaceBox(
        x: average(sums[c].x), y: average(sums[c].y), width: average(sums[c].width),
        height: average(sums[c].height), neighbors: counts[c])
    }
    var result: [FaceBox] = []
    for i in 0..<classCount {
      let r1 = averages[i]
      let n1 = r1.neighbors
      if n1 <= groupThreshold { continue }
      var swallowed = false
      for j in 0..<classCount where j != i {
        let r2 = averages[j]
        let n2 = r2.neighbors
        if n2 <= groupThreshold { continue }
        let dx = roundToInt(Double(r2.width) * eps)
        let dy = roundToInt(Double(r2.height) * eps)
        if r1.x >= r2.x - dx && r1.y >= r2.y - dy && r1.x + r1.width <= r2.x + r2.width + dx
          && r1.y + r1.height <= r2.y + r2.height + dy && (n2 > max(3, n1) || n1 < 3)
        {
          swallowed = true
          break
        }
      }
      if !swallowed { result.append(r1) }
    }
    return result
  }

  /// OpenCV's `SimilarRects` predicate.
  @inline(__always)
  static func similar(_ a: FaceBox, _ b: FaceBox, eps: Double) -> Bool {
    let delta = eps * Double(min(a.width, b.width) + min(a.height, b.height)) * 0.5
    return Double(abs(a.x - b.x)) <= delta && Double(abs(a.y - b.y)) <= delta
      && Double(abs(a.x + a.width - b.x - b.width)) <= delta
      && Double(abs(a.y + a.height - b.y - b.height)) <= delta
  }

  /// Class labels (0, 1, … in order of first appearance) of the transitive closure of
  /// `similar`. Pairs are only compared when their left edges are within the largest possible
  /// `delta`, found by a sweep over x: the closure, and so the labels, are those of the full
  /// pairwise comparison.
  static func partition(_ rectangles: [FaceBox], eps: Double) -> [Int] {
    let count = rectangles.count
    var parent = Array(0..<count)
    func find(_ i: Int) -> Int {
      var root = i
      while parent[root] != root { root = parent[root] }
      var node = i
      while parent[node] != root {
        let next = parent[node]
        parent[node] = root
        node = next
      }
      return root
    }
    let widest = rectangles.map { $0.width }.max() ?? 0
    let tallest = rectangles.map { $0.height }.max() ?? 0
    let reach = eps * Double(widest + tallest) * 0.5
    let order = (0..<count).sorted { rectangles[$0].x < rectangles[$1].x }
    for a in 0..<count {
      let i = order[a]
      var b = a + 1
      while b < count {
        let j = order[b]
        if Double(rectangles[j].x - rectangles[i].x) > reach { break }
        if similar(rectangles[i], rectangles[j], eps: eps) {
          let ri = find(i)
          let rj = find(j)
          if ri != rj { parent[max(ri, rj)] = min(ri, rj) }
        }
        b += 1
      }
    }
    var labelOfRoot = [Int](repeating: -1, count: count)
    var next = 0
    var labels = [Int](repeating: 0, count: count)
    for i in 0..<count {
      let root = find(i)
      if labelOfRoot[root] < 0 {
        labelOfRoot[root] = next
        next += 1
      }
      labels[i] = labelOfRoot[root]
    }
    return labels
  }
}

/// OpenCV's `cvRound`/`saturate_cast<int>` for Float: nearest, ties to even.
@inline(__always)
func roundToInt(_ value: Float) -> Int {
  let r = value.rounded(.toNearestOrEven)
  guard r.isFinite else { return r > 0 ? Int(Int32.max) : Int(Int32.min) }
  return Int(max(min(r, Float(Int32.max)), Float(Int32.min)))
}

/// OpenCV's `cvRound`/`saturate_cast<int>` for Double: nearest, ties to even.
@inline(__always)
func roundToInt(_ value: Double) -> Int {
  let r = value.rounded(.toNearestOrEven)
  guard r.isFinite else { return r > 0 ? Int(Int32.max) : Int(Int32.min) }
  return Int(max(min(r, Double(Int32.max)), Double(Int32.min)))
}
