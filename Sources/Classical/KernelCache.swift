/// Rows of the signed kernel matrix `Q_ij = y_i·y_j·k(x_i, x_j)` of one SVM problem, computed on
/// demand (several missing rows in one GEMM) and kept in a least-recently-used cache of a fixed
/// byte budget.
final class KernelCache {
  let kernel: Kernel
  /// Training rows `[n, d]`, contiguous.
  let data: [Float]
  let norms: [Float]
  let signs: [Float]
  let n: Int
  let d: Int
  /// `Q_ii`.
  let diagonal: [Float]
  private let capacity: Int
  private var storage: [Float]
  private var slotOfRow: [Int]
  private var rowOfSlot: [Int]
  // Doubly linked LRU list over slots; head is most recent.
  private var previous: [Int]
  private var next: [Int]
  private var head = -1
  private var tail = -1
  private var used = 0
  private var gathered: [Float]
  private var gatheredNorms: [Float]
  private var block: [Float]
  /// Number of rows computed (misses), for diagnostics.
  private(set) var computedRows = 0

  /// `budgetBytes` bounds the cached rows (at least 2 rows are always kept).
  init(kernel: Kernel, data: [Float], rows n: Int, columns d: Int, signs: [Float], budgetBytes: Int)
  {
    self.kernel = kernel
    self.data = data
    self.n = n
    self.d = d
    self.signs = signs
    let norms = data.withUnsafeBufferPointer { rowSquaredNorms($0, rows: n, columns: d) }
    self.norms = norms
    diagonal = (0..<n).map { i in kernel.value(dot: norms[i], normX: norms[i], normY: norms[i]) }
    capacity = max(2, min(n, budgetBytes / max(1, n * MemoryLayout<Float>.size)))
    storage = [Float](repeating: 0, count: capacity * n)
    slotOfRow = [Int](repeating: -1, count: n)
    rowOfSlot = [Int](repeating: -1, count: capacity)
    previous = [Int](repeating: -1, count: capacity)
    next = [Int](repeating: -1, count: capacity)
    gathered = [Float](repeating: 0, count: 2 * d)
    gatheredNorms = [Float](repeating: 0, count: 2)
    block = [Float](repeating: 0, count: 2 * n)
  }

  /// Makes rows `i` and `j` resident and calls `body` with pointers to them (valid only inside).
  func withRows<R>(
    _ i: Int, _ j: Int, _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R
  ) -> R {
    ensureResident([i, j])
    let (si, sj) = (slotOfRow[i], slotOfRow[j])
    return storage.withUnsafeBufferPointer { s in
      body(s.baseAddress! + si * n, s.baseAddress! + sj * n)
    }
  }

  /// Makes row `i` resident and calls `body` with a pointer to it (valid only inside).
  func withRow<R>(_ i: Int, _ body: (UnsafePointer<Float>) -> R) -> R {
    ensureResident([i])
    let slot = slotOfRow[i]
    return storage.withUnsafeBufferPointer { s in body(s.baseAddress! + slot * n) }
  }

  private func ensureResident(_ rows: [Int]) {
    var missing: [Int] = []
    for row in rows where slotOfRow[row] >= 0 { touch(slotOfRow[row]) }
    for row in rows where slotOfRow[row] < 0 && !missing.contains(row) { missing.append(row) }
    guard !missing.isEmpty else { return }
    let m = missing.count
    for (k, row) in missing.enumerated() {
      for c in 0..<d { gathered[k * d + c] = data[row * d + c] }
      gatheredNorms[k] = norms[row]
    }
    computedRows += m
    gathered.withUnsafeBufferPointer { a in
      gatheredNorms.withUnsafeBufferPointer { na in
        data.withUnsafeBufferPointer { b in
          norms.withUnsafeBufferPointer { nb in
            block.withUnsafeMutableBufferPointer { out in
              kernelBlock(
                kernel, a: a.baseAddress!, normsA: na.baseAddress!, m: m, b: b.baseAddress!,
                normsB: nb.baseAddress!, n: n, d: d, out: out.baseAddress!)
            }
          }
        }
      }
    }
    // Slots of rows requested now are at the head, so evicting from the tail never drops them.
    for (k, row) in missing.enumerated() {
      let slot = allocateSlot()
      slotOfRow[row] = slot
      rowOfSlot[slot] = row
      let sign = signs[row]
      storage.withUnsafeMutableBufferPointer { s in
        let target = s.baseAddress! + slot * n
        for t in 0..<n { target[t] = sign * signs[t] * block[k * n + t] }
      }
    }
  }

  private func allocateSlot() -> Int {
    let slot: Int
    if used < capacity {
      slot = used
      used += 1
    } else {
      slot = tail
      unlink(slot)
      slotOfRow[rowOfSlot[slot]] = -1
    }
    pushFront(slot)
    return slot
  }

  private func touch(_ slot: Int) {
    guard slot != head else { return }
    unlink(slot)
    pushFront(slot)
  }

  private func unlink(_ slot: Int) {
    let (p, q) = (previous[slot], next[slot])
    if p >= 0 { next[p] = q } else { head = q }
    if q >= 0 { previous[q] = p } else { tail = p }
    previous[slot] = -1
    next[slot] = -1
  }

  private func pushFront(_ slot: Int) {
    previous[slot] = -1
    next[slot] = head
    if head >= 0 { previous[head] = slot }
    head = slot
    if tail < 0 { tail = slot }
  }
}
