import CBLAS

// Elementwise arithmetic on tensors of identical shape. The in-place forms exist so training
// loops can update parameters and reuse activation buffers without allocating per step.

extension Tensor {
  /// Applies `f` to every element, keeping the shape.
  @inlinable
  public func map(_ f: (Float) throws -> Float) rethrows -> Tensor {
    var result = self
    try result.mapInPlace(f)
    return result
  }

  /// Replaces every element `x` with `f(x)`.
  @inlinable
  public mutating func mapInPlace(_ f: (Float) throws -> Float) rethrows {
    try storage.withUnsafeMutableBufferPointer { buffer in
      for index in buffer.indices { buffer[index] = try f(buffer[index]) }
    }
  }

  /// Combines corresponding elements of two same-shaped tensors with `f`.
  @inlinable
  public func zipMap(_ other: Tensor, _ f: (Float, Float) throws -> Float) rethrows -> Tensor {
    var result = self
    try result.zipMapInPlace(other, f)
    return result
  }

  /// Replaces every element `x` with `f(x, y)`, `y` the corresponding element of `other`.
  @inlinable
  public mutating func zipMapInPlace(_ other: Tensor, _ f: (Float, Float) throws -> Float) rethrows
  {
    precondition(shape == other.shape, "elementwise shapes differ: \(shape) vs \(other.shape)")
    try other.storage.withUnsafeBufferPointer { y in
      try storage.withUnsafeMutableBufferPointer { x in
        for index in x.indices { x[index] = try f(x[index], y[index]) }
      }
    }
  }

  /// Sets every element to `value`.
  public mutating func fill(_ value: Float) {
    storage.withUnsafeMutableBufferPointer { buffer in buffer.update(repeating: value) }
  }

  /// `self += other`, elementwise.
  public mutating func addInPlace(_ other: Tensor) { zipMapInPlace(other, +) }
  /// `self -= other`, elementwise.
  public mutating func subtractInPlace(_ other: Tensor) { zipMapInPlace(other, -) }
  /// `self *= other`, elementwise (Hadamard product).
  public mutating func multiplyInPlace(_ other: Tensor) { zipMapInPlace(other, *) }
  /// `self *= factor`.
  public mutating func scaleInPlace(_ factor: Float) { mapInPlace { $0 * factor } }
  /// `self += value` for every element.
  public mutating func addInPlace(_ value: Float) { mapInPlace { $0 + value } }

  /// `self += alpha * x` (BLAS `saxpy`): the SGD step `w -= lr * g` is
  /// `w.addInPlace(g, scaledBy: -lr)`.
  public mutating func addInPlace(_ x: Tensor, scaledBy alpha: Float) {
    precondition(shape == x.shape, "axpy shapes differ: \(shape) vs \(x.shape)")
    let n = count
    guard n > 0 else { return }
    x.storage.withUnsafeBufferPointer { px in
      storage.withUnsafeMutableBufferPointer { py in
        cblas_saxpy(Int32(n), alpha, px.baseAddress!, 1, py.baseAddress!, 1)
      }
    }
  }

  /// `self = beta * self + alpha * x` (OpenBLAS `saxpby`): momentum `v = mu * v + g` is
  /// `v.scaleInPlace(mu, adding: g, scaledBy: 1)`.
  public mutating func scaleInPlace(_ beta: Float, adding x: Tensor, scaledBy alpha: Float) {
    precondition(shape == x.shape, "axpby shapes differ: \(shape) vs \(x.shape)")
    let n = count
    guard n > 0 else { return }
    x.storage.withUnsafeBufferPointer { px in
      storage.withUnsafeMutableBufferPointer { py in
        cblas_saxpby(Int32(n), alpha, px.baseAddress!, 1, beta, py.baseAddress!, 1)
      }
    }
  }

  /// Elementwise sum of two same-shaped tensors.
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, +) }
  /// Elementwise difference of two same-shaped tensors.
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, -) }
  /// Elementwise (Hadamard) product of two same-shaped tensors.
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, *) }
  /// Elementwise quotient of two same-shaped tensors.
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipMap(rhs, /) }
  /// Every element times `rhs`.
  public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }
  /// Every element times `lhs`.
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }
  /// Every element plus `rhs`.
  public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 + rhs } }
  /// Every element minus `rhs`.
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 - rhs } }
  /// The elementwise negation.
  public static prefix func - (operand: Tensor) -> Tensor { operand.map { -$0 } }

  /// `lhs += rhs`, elementwise.
  public static func += (lhs: inout Tensor, rhs: Tensor) { lhs.addInPlace(rhs) }
  /// `lhs -= rhs`, elementwise.
  public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs.subtractInPlace(rhs) }
  /// `lhs *= rhs`, elementwise.
  public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs.multiplyInPlace(rhs) }
  /// `lhs *= rhs` for every element.
  public static func *= (lhs: inout Tensor, rhs: Float) { lhs.scaleInPlace(rhs) }
}
