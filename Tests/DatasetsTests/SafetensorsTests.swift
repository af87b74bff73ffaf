import Datasets
import Foundation
import Tensor
import TestSupport
import Testing

/// `Fixtures/safetensors_reference_inputs.json` (written by Scripts/fixtures/safetensors_reference.py).
struct SafetensorsInputs: Decodable {
  struct Entry: Decodable {
    let dtype: String
    let shape: [Int]
    let values: [Double]
    let float16Values: [Double]?

    enum CodingKeys: String, CodingKey {
      case dtype, shape, values
      case float16Values = "float16_values"
    }
  }
  let metadata: [String: String]
  let tensors: [String: Entry]

  static func load() throws -> SafetensorsInputs {
    let url = SharedData.fixture("DatasetsTests", "safetensors_reference_inputs.json")
    return try JSONDecoder().decode(SafetensorsInputs.self, from: Data(contentsOf: url))
  }
}

func referenceSafetensorsBytes() throws -> [UInt8] {
  [UInt8](
    try Data(
      contentsOf: SharedData.fixture("DatasetsTests", "safetensors_reference.safetensors")))
}

/// A file with a hand-written header (padded to 8 bytes) followed by `data`.
private func rawFile(header: String, data: [UInt8] = []) -> [UInt8] {
  var h = Array(header.utf8)
  h += [UInt8](repeating: 0x20, count: (8 - h.count % 8) % 8)
  var out = [UInt8]()
  withUnsafeBytes(of: UInt64(h.count).littleEndian) { out += $0 }
  return out + h + data
}

private func parseError(_ bytes: [UInt8]) -> SafetensorsError? {
  do {
    _ = try Safetensors(parsing: bytes)
    return nil
  } catch {
    return error
  }
}

@Suite struct SafetensorsTests {
  @Test func writesBytesIdenticalToPythonSafetensors() throws {
    let inputs = try SafetensorsInputs.load()
    var tensors: [String: SafetensorsTensor] = [:]
    for (name, entry) in inputs.tensors {
      let dtype = try #require(SafetensorsDType(rawValue: entry.dtype))
      let t = Tensor(shape: entry.shape, storage: entry.values.map { Float($0) })
      tensors[name] = SafetensorsTensor(t, dtype: dtype)
    }
    #expect(Set(tensors.values.map(\.dtype)) == [.f16, .f32, .i64])
    let ours = try Safetensors(tensors: tensors, metadata: inputs.metadata).serialized()
    let python = try referenceSafetensorsBytes()
    #expect(ours.count == python.count)
    #expect(ours == python)
  }

  @Test func readsPythonSafetensors() throws {
    let inputs = try SafetensorsInputs.load()
    let file = try Safetensors(parsing: try referenceSafetensorsBytes())
    #expect(file.metadata == inputs.metadata)
    #expect(Set(file.tensors.keys) == Set(inputs.tensors.keys))
    for (name, entry) in inputs.tensors {
      let t = try #require(file.tensors[name])
      #expect(t.dtype.rawValue == entry.dtype, "\(name)")
      #expect(t.shape == entry.shape, "\(name)")
      // Float16 tensors must hold NumPy's rounding of the inputs; the others the inputs.
      let want = (entry.float16Values ?? entry.values).map { Float($0) }
      #expect(t.floats.map(\.bitPattern) == want.map(\.bitPattern), "\(name)")
    }
  }

  @Test func everyDTypeRoundTrips() throws {
    let values: [Float] = [0, 1, -2, 3.5, 100, -7.25]
    let t = Tensor(shape: [2, 3], storage: values)
    var tensors: [String: SafetensorsTensor] = [:]
    for dtype in SafetensorsDType.allCases {
      tensors[dtype.rawValue] = SafetensorsTensor(t, dtype: dtype)
    }
    let bytes = try Safetensors(tensors: tensors, metadata: ["a": "1", "b": "2"]).serialized()
    let back = try Safetensors(parsing: bytes)
    #expect(back.metadata == ["a": "1", "b": "2"])
    for dtype in SafetensorsDType.allCases {
      let r = try #require(back.tensors[dtype.rawValue])
      #expect(r.dtype == dtype && r.shape == [2, 3])
      // The values are exact in every float dtype; integer dtypes round half to even.
      let integer = dtype == .i32 || dtype == .i64
      #expect(r.floats == (integer ? [0, 1, -2, 4, 100, -7] : values), "\(dtype)")
    }
  }

  @Test func headerIsPaddedToEightBytes() throws {
    for name in ["a", "ab", "abc", "abcd", "abcde"] {
      let bytes = try Safetensors(tensors: [name: SafetensorsTensor(Tensor(shape: [1]))])
        .serialized()
      let n = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
      #expect(n % 8 == 0 && bytes.count == 8 + n + 4)
      #expect(bytes[8 + n - 1] == UInt8(ascii: " ") || bytes[8 + n - 1] == UInt8(ascii: "}"))
    }
  }

  @Test func conversionRoundsAndClamps() throws {
    let t = Tensor(shape: [4], storage: [70000, -2.5, .nan, 1e12])
    #expect(SafetensorsTensor(t, dtype: .f16).floats[0] == .infinity)
    #expect(SafetensorsTensor(t, dtype: .i32).floats == [70000, -2, 0, Float(Int32.max)])
    #expect(SafetensorsTensor(t, dtype: .bf16).floats[1] == -2.5)
  }

  @Test func rejectsTruncatedFiles() throws {
    let good = try referenceSafetensorsBytes()
    for cut in [0, 5, 8, 20, good.count - 1] {
      guard case .truncated = parseError(Array(good.prefix(cut))) else {
        Issue.record("cut at \(cut): \(String(describing: parseError(Array(good.prefix(cut)))))")
        continue
      }
    }
  }

  @Test func rejectsMalformedHeaders() {
    let f32 = #"{"dtype":"F32","shape":[2],"data_offsets":"#
    let eight = [UInt8](repeating: 0, count: 8)
    // Header length far beyond the limit (e.g. random bytes).
    var huge = [UInt8](repeating: 0xFF, count: 16)
    #expect(parseError(huge) == .headerTooLarge(Int.max))
    huge[7] = 0
    if case .headerTooLarge = parseError(huge) {} else { Issue.record("7-byte length accepted") }
    // Not JSON, JSON but not an object.
    #expect(parseError(rawFile(header: "{not json")) == .invalidHeader("not valid JSON"))
    #expect(
      parseError(rawFile(header: "[1,2]")) == .invalidHeader("does not start with a JSON object"))
    // Unknown dtype.
    #expect(
      parseError(
        rawFile(header: #"{"x":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}"#, data: [0]))
        == .unknownDType(tensor: "x", dtype: "Q7"))
    // Shape does not match the byte length.
    #expect(
      parseError(rawFile(header: #"{"x":\#(f32)[0,4]}}"#, data: [0, 0, 0, 0]))
        == .sizeMismatch(tensor: "x", shape: [2], dtype: "F32", bytes: 4))
    // A gap before the second tensor.
    let gap = #"{"a":\#(f32)[0,8]},"b":\#(f32)[12,20]}}"#
    guard
      case .invalidOffsets(tensor: "b", _) = parseError(
        rawFile(header: gap, data: eight + eight + [0, 0, 0, 0]))
    else {
      Issue.record("gap accepted")
      return
    }
    // Overlapping tensors.
    let overlap = #"{"a":\#(f32)[0,8]},"b":\#(f32)[4,12]}}"#
    guard
      case .invalidOffsets(tensor: "b", _) = parseError(
        rawFile(header: overlap, data: eight + [0, 0, 0, 0]))
    else {
      Issue.record("overlap accepted")
      return
    }
    // Trailing bytes no tensor covers.
    guard
      case .invalidOffsets = parseError(rawFile(header: #"{"a":\#(f32)[0,8]}}"#, data: eight + [1]))
    else {
      Issue.record("trailing bytes accepted")
      return
    }
    // Reversed offsets and non-string metadata.
    guard case .invalidOffsets = parseError(rawFile(header: #"{"a":\#(f32)[8,0]}}"#, data: eight))
    else {
      Issue.record("reversed offsets accepted")
      return
    }
    #expect(
      parseError(rawFile(header: #"{"__metadata__":{"k":1}}"#))
        == .invalidHeader("__metadata__ value for 'k' is not a string"))
  }

  @Test func rejectsReservedTensorNames() {
    #expect(throws: SafetensorsError.invalidTensorName("__metadata__")) {
      try Safetensors(tensors: ["__metadata__": SafetensorsTensor(Tensor(shape: [1]))]).serialized()
    }
  }
}
