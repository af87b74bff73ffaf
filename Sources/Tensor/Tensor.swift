/// A dense, row-major Float32 tensor: a shape and contiguous storage.
///
/// Value semantics (copy-on-write through `Array`), so a `Tensor` is `Sendable` and can cross
/// threads freely. Hot loops work on `storage` through `withUnsafe(Mutable)BufferPointer` and
/// reuse tensors they own instead of allocating per step.
public struct Tensor: Sendable, Equatable {
  /// Extent of each dimension, outermost first (e.g. `[batch, channels, height, width]`).
  public private(set) var shape: [Int]
  /// The elements in row-major order; `storage.count == shape.reduce(1, *)`.
  public var storage: [Float]

  /// A tensor of `shape` with every element equal to `value`.
  public init(shape: [Int], repeating value: Float = 0) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    self.shape = shape
    self.storage = [Float](repeating: value, count: shape.reduce(1, *))
  }

  /// A tensor of `shape` over `storage`, which must hold exactly `shape.reduce(1, *)` elements.
  public init(shape: [Int], storage: [Float]) {
    precondition(
      storage.count == shape.reduce(1, *),
      "storage of \(storage.count) elements does not fit shape \(shape)")
    self.shape = shape
    self.storage = storage
  }

  /// A tensor of `shape` over `storage` from outside data (files, requests): throws instead of
  /// stopping when a dimension is negative, the size overflows, or the counts differ.
  public init(validatingShape shape: [Int], storage: [Float]) throws(TensorError) {
    var expected = 1
    for dimension in shape {
      guard dimension >= 0 else { throw .invalidShape(shape) }
      let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
      guard !overflow else { throw .invalidShape(shape) }
      expected = product
    }
    guard storage.count == expected else {
      throw .storageCountMismatch(shape: shape, expected: expected, count: storage.count)
    }
    self.shape = shape
    self.storage = storage
  }

  /// The `n×n` identity matrix.
  public static func identity(_ n: Int) -> Tensor {
    var result = Tensor(shape: [n, n])
    result.storage.withUnsafeMutableBufferPointer { out in
      for i in 0..<n { out[i * n + i] = 1 }
    }
    return result
  }

  /// Number of elements.
  @inlinable public var count: Int { storage.count }
  /// Number of dimensions.
  @inlinable public var rank: Int { shape.count }

  /// True when no element is NaN or infinite.
  public var isFinite: Bool {
    storage.withUnsafeBufferPointer { buffer in
      // Summing `x * 0` is NaN exactly when some x is NaN or infinite; SIMD lanes keep it fast.
      guard let base = buffer.baseAddress else { return true }
      var lanes = SIMD16<Float>()
      var index = 0
      while index + 16 <= buffer.count {
        lanes += UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<Float>.self) * 0
        index += 16
      }
      var probe = lanes.sum()
      while index < buffer.count {
        probe += base[index] * 0
        index += 1
      }
      return probe == 0
    }
  }

  /// Row-major strides in elements, e.g. `[C*H*W, H*W, W, 1]`.
  public var strides: [Int] {
    var result = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
      result[axis] = step
      step *= shape[axis]
    }
    return result
  }

  /// Changes the shape in place (same element count); storage is untouched.
  public mutating func reshape(_ newShape: [Int]) {
    precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
    shape = newShape
  }

  /// The element at a full multi-index.
  public subscript(_ index: Int...) -> Float {
    get { storage[offset(index)] }
    set { storage[offset(index)] = newValue }
  }

  private func offset(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
    var flat = 0
    for (axis, i) in index.enumerated() {
      precondition(i >= 0 && i < shape[axis], "index \(index) out of bounds for shape \(shape)")
      flat = flat * shape[axis] + i
    }
    return flat
  }
}
