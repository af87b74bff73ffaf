import Tensor

/// One tensor as stored in a `.safetensors` file: dtype, shape and little-endian element bytes.
public struct SafetensorsTensor: Sendable, Equatable {
  /// Element type.
  public let dtype: SafetensorsDType
  /// Extent of each dimension (`[]` for a scalar).
  public let shape: [Int]
  /// `shape.reduce(1, *) * dtype.byteSize` little-endian bytes.
  public let bytes: [UInt8]

  /// A tensor over raw little-endian `bytes`, whose count must match `shape` and `dtype`.
  public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws(SafetensorsError) {
    guard let count = Self.elementCount(shape),
      count.multipliedReportingOverflow(by: dtype.byteSize) == (bytes.count, false)
    else {
      throw .sizeMismatch(tensor: "", shape: shape, dtype: dtype.rawValue, bytes: bytes.count)
    }
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// `tensor` stored as `dtype`. Float types round to nearest (ties to even), so `Float` values
  /// beyond Float16's ±65504 become ±infinity in `f16`; integer types round to nearest (ties to
  /// even) and clamp to their range, with NaN stored as 0.
  public init(_ tensor: Tensor, dtype: SafetensorsDType = .f32) {
    self.dtype = dtype
    self.shape = tensor.shape
    var out = [UInt8]()
    out.reserveCapacity(tensor.count * dtype.byteSize)
    func append<T: FixedWidthInteger>(_ value: T) {
      withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
    for x in tensor.storage {
      switch dtype {
      case .f16: append(Float16(x).bitPattern)
      case .bf16: append(Self.bfloat16Bits(x))
      case .f32: append(x.bitPattern)
      case .f64: append(Double(x).bitPattern)
      case .i32: append(Int32(Self.clampedInteger(x, Int32.self)))
      case .i64: append(Int64(Self.clampedInteger(x, Int64.self)))
      }
    }
    self.bytes = out
  }

  /// The elements converted to `Float` (integers beyond 2^24 lose precision).
  public var floats: [Float] {
    let n = bytes.count / dtype.byteSize
    var out = [Float](repeating: 0, count: n)
    bytes.withUnsafeBytes { raw in
      func load<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
        T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
      }
      for i in 0..<n {
        switch dtype {
        case .f16: out[i] = Float(Float16(bitPattern: load(i, UInt16.self)))
        case .bf16: out[i] = Float(bitPattern: UInt32(load(i, UInt16.self)) << 16)
        case .f32: out[i] = Float(bitPattern: load(i, UInt32.self))
        case .f64: out[i] = Float(Double(bitPattern: load(i, UInt64.self)))
        case .i32: out[i] = Float(load(i, Int32.self))
        case .i64: out[i] = Float(load(i, Int64.self))
        }
      }
    }
    return out
  }

  /// The elements as a `Float` tensor of this shape.
  public var tensor: Tensor { Tensor(shape: shape, storage: floats) }

  /// The product of `shape`, or nil for a negative dimension or overflow.
  static func elementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for d in shape {
      guard d >= 0 else { return nil }
      let (p, overflow) = count.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      count = p
    }
    return count
  }

  /// bfloat16 bits of `x`: the top half of its Float32 bits, rounded to nearest, ties to even.
  private static func bfloat16Bits(_ x: Float) -> UInt16 {
    if x.isNaN { return 0x7FC0 }
    let bits = x.bitPattern
    let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
    return UInt16(truncatingIfNeeded: rounded >> 16)
  }

  private static func clampedInteger<T: FixedWidthInteger>(_ x: Float, _: T.Type) -> T {
    if x.isNaN { return 0 }
    let r = x.rounded(.toNearestOrEven)
    if r >= Float(T.max) { return T.max }
    if r <= Float(T.min) { return T.min }
    return T(r)
  }
}
