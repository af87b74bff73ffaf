/// The element types Emocl reads from `.safetensors` files, named as in the file header.
///
/// Models are written as `f32` or `f16`; the others are read (converted to `Float`) so files from
/// other tools load too. Declared in the order of the reference implementation's dtype enum,
/// which decides how tensors are laid out in a file (see `Safetensors.serialized()`).
public enum SafetensorsDType: String, Sendable, CaseIterable, Codable {
  case f16 = "F16"
  case bf16 = "BF16"
  case i32 = "I32"
  case f32 = "F32"
  case f64 = "F64"
  case i64 = "I64"

  /// Bytes per element.
  public var byteSize: Int {
    switch self {
    case .f16, .bf16: return 2
    case .i32, .f32: return 4
    case .f64, .i64: return 8
    }
  }

  /// Rank in the reference implementation's dtype ordering: tensors of higher rank are stored
  /// first (wider types first keeps every tensor naturally aligned).
  var layoutRank: Int { Self.allCases.firstIndex(of: self)! }
}
