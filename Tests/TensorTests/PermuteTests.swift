import Tensor
import Testing

@Suite struct PermuteTests {
  /// All permutations of `0..<n`.
  func permutations(_ n: Int) -> [[Int]] {
    if n == 0 { return [[]] }
    return permutations(n - 1).flatMap { p in
      (0...p.count).map { i in
        var q = p
        q.insert(n - 1, at: i)
        return q
      }
    }
  }

  /// Every permutation of a `[2, 3, 1, 4]` tensor (unit axis included, so axis merging is
  /// exercised) agrees with element-by-element indexing.
  @Test func everyPermutationMatchesIndexing() {
    let shape = [2, 3, 1, 4]
    let x = Tensor(shape: shape, storage: (0..<24).map { Float($0) })
    for axes in permutations(4) {
      let y = x.permuted(axes)
      #expect(y.shape == axes.map { shape[$0] })
      for a in 0..<2 {
        for b in 0..<3 {
          for d in 0..<4 {
            let source = [a, b, 0, d]
            let target = axes.map { source[$0] }
            #expect(
              y.storage[
                ((target[0] * y.shape[1] + target[1]) * y.shape[2] + target[2]) * y.shape[3]
                  + target[3]]
                == x[a, b, 0, d], "axes \(axes)")
          }
        }
      }
    }
  }
}
