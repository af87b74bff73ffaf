import CBLAS

/// Eigenvalues and eigenvectors of a real symmetric matrix, largest eigenvalue first.
public struct SymmetricEigen: Sendable, Equatable {
  /// Eigenvalues in descending order, shape `[k]`.
  public let values: Tensor
  /// Unit eigenvectors as columns, shape `[n, k]`: column `j` belongs to `values[j]` (NumPy's
  /// `eigh` layout, reversed), so `x · vectors` projects rows of `x` onto them. Each column's
  /// sign is fixed so that its largest-magnitude component is positive, making results
  /// reproducible across runs and LAPACK versions.
  public let vectors: Tensor
}

extension Tensor {
  /// The eigendecomposition of this symmetric `[n, n]` matrix (e.g. a covariance matrix), all
  /// `n` pairs by LAPACK's divide-and-conquer `ssyevd`, or only the `top` largest by `ssyevr`.
  ///
  /// Only the upper triangle is read; the caller guarantees symmetry. Throws for a non-square,
  /// empty or non-finite matrix, a `top` outside `1...n`, or a LAPACK failure.
  public func symmetricEigen(top: Int? = nil) throws(TensorError) -> SymmetricEigen {
    let operation = "symmetricEigen"
    guard rank == 2 else { throw .rankMismatch(operation: operation, expected: 2, shape: shape) }
    guard shape[0] == shape[1] else { throw .notSquare(operation: operation, shape: shape) }
    let n = shape[0]
    guard n > 0 else { throw .empty(operation: operation, shape: shape) }
    guard n <= Int(Int32.max) / n else { throw .invalidShape(shape) }
    guard isFinite else { throw .nonFinite(operation: operation) }
    let k = top ?? n
    guard k >= 1 && k <= n else {
      throw .invalidArgument(operation: operation, reason: "top \(k) is not in 1...\(n)")
    }

    var matrix = storage
    var ascendingValues: [Float]
    var ascendingVectors: [Float]  // [n, k] row-major, columns ascending by eigenvalue
    if k == n {
      ascendingValues = [Float](repeating: 0, count: n)
      let info = matrix.withUnsafeMutableBufferPointer { a in
        ascendingValues.withUnsafeMutableBufferPointer { w in
          LAPACKE_ssyevd(
            LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(n),
            a.baseAddress, Int32(n), w.baseAddress)
        }
      }
      guard info == 0 else { throw .lapack(routine: "ssyevd", info: Int(info)) }
      ascendingVectors = matrix
    } else {
      ascendingValues = [Float](repeating: 0, count: n)
      ascendingVectors = [Float](repeating: 0, count: n * k)
      var support = [Int32](repeating: 0, count: 2 * k)
      var found: Int32 = 0
      let info = matrix.withUnsafeMutableBufferPointer { a in
        ascendingValues.withUnsafeMutableBufferPointer { w in
          ascendingVectors.withUnsafeMutableBufferPointer { z in
            support.withUnsafeMutableBufferPointer { isuppz in
              // Eigenvalues il...iu (1-based, ascending): the k largest are n-k+1...n.
              LAPACKE_ssyevr(
                LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "I")),
                CChar(UInt8(ascii: "U")), Int32(n), a.baseAddress, Int32(n), 0, 0,
                Int32(n - k + 1), Int32(n), 0, &found, w.baseAddress, z.baseAddress, Int32(k),
                isuppz.baseAddress)
            }
          }
        }
      }
      guard info == 0 else { throw .lapack(routine: "ssyevr", info: Int(info)) }
      guard Int(found) == k else {
        throw .invalidArgument(
          operation: operation, reason: "ssyevr found \(found) eigenvalues, expected \(k)")
      }
    }

    // Reverse to descending order: output column j is ascending column (k - 1 - j).
    var values = Tensor(shape: [k])
    var vectors = Tensor(shape: [n, k])
    ascendingValues.withUnsafeBufferPointer { w in
      ascendingVectors.withUnsafeBufferPointer { z in
        values.storage.withUnsafeMutableBufferPointer { outValues in
          vectors.storage.withUnsafeMutableBufferPointer { out in
            for j in 0..<k { outValues[j] = w[k - 1 - j] }
            for i in 0..<n {
              for j in 0..<k { out[i * k + j] = z[i * k + (k - 1 - j)] }
            }
          }
        }
      }
    }
    vectors.normalizeColumnSigns()
    return SymmetricEigen(values: values, vectors: vectors)
  }

  /// Flips each column of a rank-2 tensor so its largest-magnitude entry is positive, and
  /// returns which columns were flipped.
  @discardableResult
  mutating func normalizeColumnSigns() -> [Bool] {
    let (rows, columns) = (shape[0], shape[1])
    var flipped = [Bool](repeating: false, count: columns)
    storage.withUnsafeMutableBufferPointer { x in
      for j in 0..<columns {
        var largest: Float = 0
        var signed: Float = 0
        for i in 0..<rows where abs(x[i * columns + j]) > largest {
          largest = abs(x[i * columns + j])
          signed = x[i * columns + j]
        }
        if signed < 0 {
          flipped[j] = true
          for i in 0..<rows { x[i * columns + j] = -x[i * columns + j] }
        }
      }
    }
    return flipped
  }
}
