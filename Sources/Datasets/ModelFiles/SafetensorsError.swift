/// Why bytes are not a valid `.safetensors` file.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
  /// The file ends before the 8-byte header length or before the header it announces.
  case truncated(fileSize: Int, needed: Int)
  /// The announced header length is beyond the format's 100 MB limit.
  case headerTooLarge(Int)
  /// The header is not UTF-8 JSON of the expected structure.
  case invalidHeader(String)
  /// A tensor's dtype is not one Emocl reads.
  case unknownDType(tensor: String, dtype: String)
  /// A tensor's `data_offsets` are reversed, overlap, leave a gap, or run past the data.
  case invalidOffsets(tensor: String, detail: String)
  /// A tensor's byte length is not its shape's element count times its dtype's size.
  case sizeMismatch(tensor: String, shape: [Int], dtype: String, bytes: Int)
  /// A tensor name that the format reserves or cannot store.
  case invalidTensorName(String)

  public var description: String {
    switch self {
    case .truncated(let size, let needed):
      return "truncated: file has \(size) bytes but its header needs \(needed)"
    case .headerTooLarge(let n):
      return "header length \(n) exceeds the 100 MB limit (not a safetensors file?)"
    case .invalidHeader(let why):
      return "invalid header: \(why)"
    case .unknownDType(let tensor, let dtype):
      return "tensor '\(tensor)' has unsupported dtype '\(dtype)'"
    case .invalidOffsets(let tensor, let detail):
      return "tensor '\(tensor)' has invalid data_offsets: \(detail)"
    case .sizeMismatch(let tensor, let shape, let dtype, let bytes):
      return "tensor '\(tensor)' of shape \(shape) and dtype \(dtype) cannot occupy \(bytes) bytes"
    case .invalidTensorName(let name):
      return "invalid tensor name '\(name)'"
    }
  }
}
