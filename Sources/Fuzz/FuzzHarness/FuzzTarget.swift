/// The parsers Emocl fuzzes, one harness each. Every harness takes arbitrary bytes, must never
/// crash, and throws `FuzzFailure` when an invariant beyond "no crash" does not hold.
public enum FuzzTarget: String, Sendable, CaseIterable {
  /// JPEG, PNG and WebP decoding with EXIF orientation (`Image(decoding:options:)`).
  case image
  /// `multipart/form-data`: the first line is the Content-Type, the rest the body.
  case multipart
  /// The service's query parameters (`QueryParameters` over a Hummingbird request).
  case query
  /// RFC 3339 times: parsing, and formatting of any 64-bit microsecond count.
  case rfc3339
  /// `--database` URLs (`sqlite:` and `postgres://`).
  case databaseURL = "database-url"
  /// `.safetensors` files.
  case safetensors
  /// Model cards as JSON, or whole model files (safetensors with a card).
  case modelCard = "model-card"
  /// OpenCV Haar-cascade XML, then detection with the loaded cascade.
  case cascadeXML = "cascade-xml"
  /// Video files through FFmpeg's demuxers and decoders (`VideoReader(bytes:)`).
  case video

  /// Runs the harness over one input.
  public func run(_ data: [UInt8]) throws(FuzzFailure) {
    switch self {
    case .image: try ImageHarness.run(data)
    case .multipart: try MultipartHarness.run(data)
    case .query: try QueryHarness.run(data)
    case .rfc3339: try RFC3339Harness.run(data)
    case .databaseURL: try DatabaseURLHarness.run(data)
    case .safetensors: try SafetensorsHarness.run(data)
    case .modelCard: try ModelCardHarness.run(data)
    case .cascadeXML: try CascadeXMLHarness.run(data)
    case .video: try VideoHarness.run(data)
    }
  }

  /// The `-max_len` `make fuzz` gives libFuzzer: room for the seeds, small enough to stay fast.
  public var maxLength: Int {
    switch self {
    case .image: 65_536
    case .multipart: 8_192
    case .query: 4_096
    case .rfc3339: 64
    case .databaseURL: 512
    case .safetensors: 16_384
    case .modelCard: 16_384
    case .cascadeXML: 32_768
    case .video: 16_384
    }
  }
}
