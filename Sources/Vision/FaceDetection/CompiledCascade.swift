/// A `HaarCascade` laid out for evaluation over integral planes of a given row stride: every
/// rectangle becomes four offsets from the window's top-left corner into one `Int32` buffer
/// holding `[sum plane][tilted plane, if any][squares plane]`.
///
/// Arithmetic follows OpenCV's `HaarEvaluator` and `predictOrdered[Stump]`: rectangle sums in
/// wrapping Int32, feature value `w0·s0 + w1·s1 (+ w2·s2)` in Float, times the window's
/// `1/σ` factor in Float, compared with Float thresholds; stage sums in Double.
struct CompiledCascade: Sendable {
  /// One weak classifier of a stump-based cascade, with its feature inlined; its two leaf values
  /// are `stumpLeaves[2i]` (value below threshold) and `stumpLeaves[2i + 1]`.
  struct Stump: Sendable {
    var o0: (Int32, Int32, Int32, Int32)
    var o1: (Int32, Int32, Int32, Int32)
    var o2: (Int32, Int32, Int32, Int32)
    var w0: Float
    var w1: Float
    var w2: Float
    var threshold: Float
  }

  /// One split of a tree-based cascade.
  struct Split: Sendable {
    var o0: (Int32, Int32, Int32, Int32)
    var o1: (Int32, Int32, Int32, Int32)
    var o2: (Int32, Int32, Int32, Int32)
    var w0: Float
    var w1: Float
    var w2: Float
    var threshold: Float
    var left: Int32
    var right: Int32
  }

  struct Stage: Sendable {
    var threshold: Double
    var first: Int
    var count: Int
  }

  struct Tree: Sendable {
    var firstSplit: Int
    var firstLeaf: Int
  }

  let stride: Int
  let planeSize: Int
  let squaresOffset: Int
  let windowWidth: Int
  let windowHeight: Int
  let stumpBased: Bool
  let stages: [Stage]
  let stumps: [Stump]
  let stumpLeaves: [Double]
  let trees: [Tree]
  let splits: [Split]
  let leaves: [Double]
  /// Offsets of the variance-normalisation rectangle (the window less a 1-pixel border).
  let norm: (Int32, Int32, Int32, Int32)
  /// Area of that rectangle.
  let normArea: Double

  /// Number of Int32 values a buffer for one level needs.
  var bufferCount: Int { squaresOffset + planeSize }

  init(_ cascade: HaarCascade, stride: Int, planeHeight: Int) {
    self.stride = stride
    planeSize = stride * planeHeight
    squaresOffset = (cascade.hasTiltedFeatures ? 2 : 1) * planeSize
    windowWidth = cascade.windowWidth
    windowHeight = cascade.windowHeight
    stumpBased = cascade.isStumpBased
    let layout = RectLayout(stride: stride, tiltedBase: planeSize)
    let inlined: [InlinedFeature] = cascade.features.map { f in
      let r = f.rects
      return InlinedFeature(
        o0: layout.offsets(r[0], tilted: f.tilted),
        o1: layout.offsets(r.count > 1 ? r[1] : nil, tilted: f.tilted),
        o2: layout.offsets(r.count > 2 ? r[2] : nil, tilted: f.tilted),
        w0: r[0].weight, w1: r.count > 1 ? r[1].weight : 0, w2: r.count > 2 ? r[2].weight : 0)
    }
    if cascade.isStumpBased {
      (stages, stumps, stumpLeaves) = Self.stumpStages(cascade, inlined)
      (trees, splits) = ([], [])
    } else {
      (stages, trees, splits) = Self.treeStages(cascade, inlined)
      (stumps, stumpLeaves) = ([], [])
    }
    self.leaves = cascade.leaves.map { Double($0) }
    let normRect = HaarCascade.Rect(
      x: 1, y: 1, width: cascade.windowWidth - 2, height: cascade.windowHeight - 2, weight: 1)
    norm = layout.offsets(normRect, tilted: false)
    normArea = Double(max(normRect.width, 0) * max(normRect.height, 0))
  }

  /// Turns rectangles into the four offsets of their corners in a level buffer of row stride
  /// `stride` whose tilted plane starts at `tiltedBase`.
  private struct RectLayout {
    var stride: Int
    var tiltedBase: Int

    func offsets(_ rect: HaarCascade.Rect?, tilted: Bool) -> (Int32, Int32, Int32, Int32) {
      guard let r = rect else { return (0, 0, 0, 0) }
      if tilted {
        return (
          Int32(tiltedBase + r.x + stride * r.y),
          Int32(tiltedBase + r.x - r.height + stride * (r.y + r.height)),
          Int32(tiltedBase + r.x + r.width + stride * (r.y + r.width)),
          Int32(tiltedBase + r.x + r.width - r.height + stride * (r.y + r.width + r.height))
        )
      }
      return (
        Int32(r.x + stride * r.y), Int32(r.x + r.width + stride * r.y),
        Int32(r.x + stride * (r.y + r.height)), Int32(r.x + r.width + stride * (r.y + r.height))
      )
    }
  }

  /// A feature's up to three rectangles as offsets, with their weights (0 for a missing one).
  private struct InlinedFeature {
    var o0: (Int32, Int32, Int32, Int32)
    var o1: (Int32, Int32, Int32, Int32)
    var o2: (Int32, Int32, Int32, Int32)
    var w0: Float
    var w1: Float
    var w2: Float
  }

  /// The stages and stumps of a stump-based cascade, with two leaf values per stump.
  private static func stumpStages(_ cascade: HaarCascade, _ inlined: [InlinedFeature])
    -> ([Stage], [Stump], [Double])
  {
    var stages: [Stage] = []
    var stumps: [Stump] = []
    var stumpLeaves: [Double] = []
    for stage in cascade.stages {
      stages.append(
        Stage(threshold: Double(stage.threshold), first: stumps.count, count: stage.treeCount))
      for t in stage.firstTree..<(stage.firstTree + stage.treeCount) {
        let tree = cascade.trees[t]
        let node = cascade.nodes[tree.firstNode]
        let f = inlined[node.feature]
        // As OpenCV: a stump's left value is its first leaf, its right value the second.
        let left = cascade.leaves[tree.firstLeaf]
        let right = cascade.leaves[tree.firstLeaf + 1]
        stumps.append(
          Stump(
            o0: f.o0, o1: f.o1, o2: f.o2, w0: f.w0, w1: f.w1, w2: f.w2,
            threshold: node.threshold))
        stumpLeaves += [Double(left), Double(right)]
      }
    }
    return (stages, stumps, stumpLeaves)
  }

  /// The stages, trees and splits of a tree-based cascade.
  private static func treeStages(_ cascade: HaarCascade, _ inlined: [InlinedFeature])
    -> ([Stage], [Tree], [Split])
  {
    var stages: [Stage] = []
    var trees: [Tree] = []
    var splits: [Split] = []
    for stage in cascade.stages {
      stages.append(
        Stage(threshold: Double(stage.threshold), first: trees.count, count: stage.treeCount))
      for t in stage.firstTree..<(stage.firstTree + stage.treeCount) {
        let tree = cascade.trees[t]
        trees.append(Tree(firstSplit: splits.count, firstLeaf: tree.firstLeaf))
        for n in tree.firstNode..<(tree.firstNode + tree.nodeCount) {
          let node = cascade.nodes[n]
          let f = inlined[node.feature]
          splits.append(
            Split(
              o0: f.o0, o1: f.o1, o2: f.o2, w0: f.w0, w1: f.w1, w2: f.w2,
              threshold: node.threshold, left: Int32(node.left), right: Int32(node.right)))
        }
      }
    }
    return (stages, trees, splits)
  }
}

@inline(__always)
private func rectSum(_ p: UnsafePointer<Int32>, _ o: (Int32, Int32, Int32, Int32)) -> Int32 {
  p[Int(o.0)] &- p[Int(o.1)] &- p[Int(o.2)] &+ p[Int(o.3)]
}

extension CompiledCascade {
  /// Evaluates the window whose top-left integral entry is `window` (inside a level buffer laid
  /// out as this cascade expects). Returns 1 when every stage passes, `-k` when stage `k`
  /// rejects (0 for the first stage), and -1 when the window is too flat to normalise, as
  /// OpenCV's `runAt` does (the scan skips a column after a first-stage rejection only).
  @inline(__always)
  func evaluate(
    _ window: UnsafePointer<Int32>, stages stagePointer: UnsafePointer<Stage>,
    stumps stumpPointer: UnsafePointer<Stump>, trees treePointer: UnsafePointer<Tree>,
    splits splitPointer: UnsafePointer<Split>, leaves leafPointer: UnsafePointer<Double>
  ) -> Int {
    let valueSum = rectSum(window, norm)
    let squareSum = UInt32(bitPattern: rectSum(window + squaresOffset, norm))
    let nf = normArea * Double(squareSum) - Double(valueSum) * Double(valueSum)
    guard nf > 0 else { return -1 }
    let factor = Float(1.0 / nf.squareRoot())
    guard normArea * Double(factor) < 1e-1 else { return -1 }
    let stageCount = stages.count
    if stumpBased {
      // The leaf is picked by index, not by a branch: the choice is data-dependent and a branch
      // mispredicts often. (The 2- or 3-rectangle test repeats the same pattern for every window,
      // so that branch predicts well and is cheaper than always summing a third rectangle.)
      let leafBase = leafPointer
      for s in 0..<stageCount {
        let stage = stagePointer[s]
        var total = 0.0
        var index = stage.first
        let end = index + stage.count
        while index < end {
          let st = stumpPointer[index]
          var value = st.w0 * Float(rectSum(window, st.o0)) + st.w1 * Float(rectSum(window, st.o1))
          if st.w2 != 0 { value += st.w2 * Float(rectSum(window, st.o2)) }
          value *= factor
          total += leafBase[2 &* index &+ (value < st.threshold ? 0 : 1)]
          index += 1
        }
        if total < stage.threshold { return -s }
      }
      return 1
    }
    for s in 0..<stageCount {
      let stage = stagePointer[s]
      var total = 0.0
      for t in stage.first..<(stage.first + stage.count) {
        let tree = treePointer[t]
        var index: Int32 = 0
        repeat {
          let sp = splitPointer[tree.firstSplit + Int(index)]
          var value = sp.w0 * Float(rectSum(window, sp.o0)) + sp.w1 * Float(rectSum(window, sp.o1))
          if sp.w2 != 0 { value += sp.w2 * Float(rectSum(window, sp.o2)) }
          value *= factor
          index = value < sp.threshold ? sp.left : sp.right
        } while index > 0
        total += leafPointer[tree.firstLeaf - Int(index)]
      }
      if total < stage.threshold { return -s }
    }
    return 1
  }
}
