/// An instruction-set extension that matters for Emocl's numeric kernels, counted as present
/// only when both the CPU has it and the OS saves the registers it uses (XCR0).
public enum CPUFeature: String, CaseIterable, Sendable, Codable, Comparable {
  case sse42 = "SSE4.2"
  case avx = "AVX"
  case fma = "FMA"
  case avx2 = "AVX2"
  case avx512f = "AVX-512F"
  case avx512dq = "AVX-512DQ"
  case avx512cd = "AVX-512CD"
  case avx512bw = "AVX-512BW"
  case avx512vl = "AVX-512VL"
  case avx512vnni = "AVX-512VNNI"
  case avx512bf16 = "AVX-512BF16"
  case avx512fp16 = "AVX-512FP16"
  case amxTile = "AMX-TILE"
  case amxBF16 = "AMX-BF16"
  case amxInt8 = "AMX-INT8"

  /// In declaration order (roughly the order in which CPUs gained them).
  public static func < (lhs: CPUFeature, rhs: CPUFeature) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}
