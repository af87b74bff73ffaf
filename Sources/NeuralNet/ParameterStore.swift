import Tensor

/// Named Float tensors packed back to back in one flat buffer, so optimisers, gradient
/// reduction and checkpoints each work on a single contiguous array. Layers read and write
/// their slices through pointers; a store is shared by workers, which only read it during a
/// step.
public final class ParameterStore: @unchecked Sendable {
  /// The tensors in storage order.
  public let infos: [ParameterInfo]
  /// Total number of Float elements.
  public let count: Int
  private let buffer: FloatBuffer
  private let index: [String: Int]

  init(infos: [ParameterInfo]) {
    self.infos = infos
    count = infos.last.map { $0.offset + $0.count } ?? 0
    buffer = FloatBuffer(count: count)
    index = Dictionary(uniqueKeysWithValues: infos.enumerated().map { ($1.name, $0) })
  }

  /// The flat elements; `count` Floats.
  public var values: UnsafeMutablePointer<Float> { buffer.pointer }

  /// All elements as an array (a copy).
  public var allValues: [Float] { Array(UnsafeBufferPointer(start: values, count: count)) }

  /// The tensor called `name`, if any (a copy).
  public func tensor(named name: String) -> Tensor? {
    guard let i = index[name] else { return nil }
    let info = infos[i]
    return Tensor(
      shape: info.shape,
      storage: Array(UnsafeBufferPointer(start: values + info.offset, count: info.count)))
  }

  /// Overwrites the tensor called `name` with `tensor`, which must have its shape.
  public func set(_ name: String, to tensor: Tensor) throws(NetworkError) {
    guard let i = index[name] else { throw .unknownParameter(name) }
    let info = infos[i]
    guard tensor.shape == info.shape else {
      throw .shapeMismatch(expected: info.shape, got: tensor.shape)
    }
    tensor.storage.withUnsafeBufferPointer {
      (values + info.offset).update(from: $0.baseAddress!, count: info.count)
    }
  }

  /// Overwrites every element from `elements`, which must hold exactly `count` values.
  public func setAll(_ elements: [Float]) throws(NetworkError) {
    guard elements.count == count else {
      throw .shapeMismatch(expected: [count], got: [elements.count])
    }
    elements.withUnsafeBufferPointer { values.update(from: $0.baseAddress!, count: count) }
  }

  /// The info for `name`, if any.
  public func info(named name: String) -> ParameterInfo? { index[name].map { infos[$0] } }
}
