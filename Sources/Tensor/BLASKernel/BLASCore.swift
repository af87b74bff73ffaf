/// An x86-64 kernel family of OpenBLAS (a value of `OPENBLAS_CORETYPE`) that Emocl may choose,
/// best first, with the CPU features its kernels are compiled for.
///
/// Cooperlake's sgemm is SkylakeX's (it adds bfloat16 routines); Zen's sgemm is Haswell's AVX2
/// and FMA kernel with other block sizes. Each is chosen only on a CPU that has its features.
public enum BLASCore: String, CaseIterable, Sendable, Codable {
  case cooperlake = "Cooperlake"
  case skylakeX = "SkylakeX"
  case haswell = "Haswell"
  case zen = "Zen"
  case sandybridge = "Sandybridge"
  case nehalem = "Nehalem"
  case prescott = "Prescott"

  /// The features a CPU needs to run this core's kernels.
  public var requiredFeatures: Set<CPUFeature> {
    switch self {
    case .cooperlake: Self.skylakeX.requiredFeatures.union([.avx512bf16])
    case .skylakeX:
      Self.haswell.requiredFeatures.union([.avx512f, .avx512dq, .avx512cd, .avx512bw, .avx512vl])
    case .haswell, .zen: [.sse42, .avx, .avx2, .fma]
    case .sandybridge: [.sse42, .avx]
    case .nehalem: [.sse42]
    case .prescott: []
    }
  }

  /// How capable the kernels are: a core of a higher tier is faster on a CPU that runs it.
  var tier: Int { Self.tier(of: rawValue)! }

  /// The cores `cpu` runs, best first: for an AVX2 tier, Zen on AMD and Hygon CPUs, Haswell on
  /// others, then the other one.
  public static func supported(by cpu: CPUFeatures) -> [BLASCore] {
    let amd = cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine"
    let ordered: [BLASCore] =
      amd
      ? [.cooperlake, .skylakeX, .zen, .haswell, .sandybridge, .nehalem, .prescott]
      : [.cooperlake, .skylakeX, .haswell, .zen, .sandybridge, .nehalem, .prescott]
    return ordered.filter { $0.requiredFeatures.isSubset(of: cpu.features) }
  }

  /// The tier of any core name `openblas_get_corename()` may return (case-insensitive), by the
  /// instruction set its kernels use; nil for a name this table does not know (a core newer than
  /// it, which Emocl then leaves alone).
  static func tier(of coreName: String) -> Int? {
    switch coreName.lowercased() {
    case "cooperlake": 6
    case "skylakex": 5
    case "haswell", "zen", "excavator": 4
    case "sandybridge", "bulldozer", "piledriver", "steamroller": 3
    case "nehalem": 2
    case "prescott", "core2", "penryn", "dunnington", "atom", "nano", "barcelona", "bobcat",
      "opteron_sse3", "opteron", "athlon", "banias", "northwood", "coppermine", "katmai",
      "unknown":
      1
    default: nil
    }
  }
}
