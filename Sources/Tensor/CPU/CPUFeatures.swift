import CBLAS

/// What the processor is and which instruction-set extensions a program may use on it.
public struct CPUFeatures: Sendable, Equatable, Codable {
  /// CPUID's vendor string, e.g. `GenuineIntel`, `AuthenticAMD` (empty off x86).
  public var vendor: String
  /// CPUID's brand string, e.g. `Intel(R) Xeon(R) Platinum 8480+` (empty if it has none).
  public var model: String
  /// Display family, model and stepping (as `/proc/cpuinfo` prints them).
  public var family: Int
  public var modelNumber: Int
  public var stepping: Int
  /// The extensions the CPU has and the OS enables.
  public var features: Set<CPUFeature>

  public init(
    vendor: String, model: String, family: Int = 0, modelNumber: Int = 0, stepping: Int = 0,
    features: Set<CPUFeature>
  ) {
    self.vendor = vendor
    self.model = model
    self.family = family
    self.modelNumber = modelNumber
    self.stepping = stepping
    self.features = features
  }

  /// Encodes ``features`` in a stable order (``CPUFeature``'s).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(vendor, forKey: .vendor)
    try container.encode(model, forKey: .model)
    try container.encode(family, forKey: .family)
    try container.encode(modelNumber, forKey: .modelNumber)
    try container.encode(stepping, forKey: .stepping)
    try container.encode(features.sorted(), forKey: .features)
  }

  /// Whether every one of `required` is usable.
  public func has(_ required: CPUFeature...) -> Bool { required.allSatisfy(features.contains) }

  /// This machine's CPU, read once with CPUID and XGETBV.
  public static let current: CPUFeatures = read()

  private static func read() -> CPUFeatures {
    #if arch(x86_64) || arch(i386)
      let leaf0 = emocl_cpuid(0, 0)
      let maxLeaf = leaf0.eax
      let vendor = text(of: [leaf0.ebx, leaf0.edx, leaf0.ecx])
      let leaf1 = registers(1, 0)
      let leaf7 = maxLeaf >= 7 ? registers(7, 0) : CPUIDRegisters()
      let leaf7Sub1 = maxLeaf >= 7 && leaf7.eax >= 1 ? registers(7, 1) : CPUIDRegisters()
      let osxsave = leaf1.ecx & (1 << 27) != 0
      let xcr0: UInt64 = osxsave ? emocl_xgetbv0() : 0
      var brand = ""
      if emocl_cpuid(0x8000_0000, 0).eax >= 0x8000_0004 {
        let words = (0x8000_0002...0x8000_0004).flatMap { leaf -> [UInt32] in
          let r = emocl_cpuid(UInt32(leaf), 0)
          return [r.eax, r.ebx, r.ecx, r.edx]
        }
        brand = text(of: words)
      }
      let (family, model, stepping) = signature(leaf1.eax)
      return CPUFeatures(
        vendor: vendor, model: brand, family: family, modelNumber: model, stepping: stepping,
        features: decode(leaf1: leaf1, leaf7: leaf7, leaf7Sub1: leaf7Sub1, xcr0: xcr0))
    #else
      return CPUFeatures(vendor: "", model: "", features: [])
    #endif
  }

  #if arch(x86_64) || arch(i386)
    private static func registers(_ leaf: UInt32, _ subleaf: UInt32) -> CPUIDRegisters {
      let r = emocl_cpuid(leaf, subleaf)
      return CPUIDRegisters(eax: r.eax, ebx: r.ebx, ecx: r.ecx, edx: r.edx)
    }
  #endif

  /// ASCII packed four bytes per register, little-endian, trailing NULs and spaces dropped.
  static func text(of words: [UInt32]) -> String {
    let bytes = words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) }
    }
    let printable = bytes.prefix { $0 != 0 }
    return String(decoding: printable, as: UTF8.self).trimmingSpaces()
  }

  /// Display family, model and stepping from CPUID leaf 1's EAX.
  static func signature(_ eax: UInt32) -> (family: Int, model: Int, stepping: Int) {
    let baseFamily = Int((eax >> 8) & 0xF)
    let baseModel = Int((eax >> 4) & 0xF)
    let family = baseFamily == 0xF ? baseFamily + Int((eax >> 20) & 0xFF) : baseFamily
    let model =
      baseFamily == 0x6 || baseFamily == 0xF ? (Int((eax >> 16) & 0xF) << 4) | baseModel : baseModel
    return (family, model, Int(eax & 0xF))
  }

  /// The usable extensions from CPUID leaves 1, 7 and 7.1 and XCR0: a vector extension counts
  /// only if the OS saves its registers (XMM+YMM for AVX, opmask+ZMM for AVX-512, tiles for AMX).
  package static func decode(
    leaf1: CPUIDRegisters, leaf7: CPUIDRegisters, leaf7Sub1: CPUIDRegisters, xcr0: UInt64
  ) -> Set<CPUFeature> {
    func bit(_ register: UInt32, _ index: UInt32) -> Bool { register & (1 << index) != 0 }
    let osYMM = bit(leaf1.ecx, 27) && xcr0 & 0b110 == 0b110
    let osZMM = osYMM && xcr0 & 0b1110_0000 == 0b1110_0000
    let osTiles = xcr0 & (0b11 << 17) == (0b11 << 17)
    var found = Set<CPUFeature>()
    if bit(leaf1.ecx, 20) { found.insert(.sse42) }
    guard osYMM else { return found }
    if bit(leaf1.ecx, 28) { found.insert(.avx) }
    if bit(leaf1.ecx, 12) { found.insert(.fma) }
    if bit(leaf7.ebx, 5) { found.insert(.avx2) }
    if osTiles {
      if bit(leaf7.edx, 24) { found.insert(.amxTile) }
      if bit(leaf7.edx, 22) { found.insert(.amxBF16) }
      if bit(leaf7.edx, 25) { found.insert(.amxInt8) }
    }
    guard osZMM, bit(leaf7.ebx, 16) else { return found }
    found.insert(.avx512f)
    let avx512: [(CPUIDRegisters, KeyPath<CPUIDRegisters, UInt32>, UInt32, CPUFeature)] = [
      (leaf7, \.ebx, 17, .avx512dq), (leaf7, \.ebx, 28, .avx512cd), (leaf7, \.ebx, 30, .avx512bw),
      (leaf7, \.ebx, 31, .avx512vl), (leaf7, \.ecx, 11, .avx512vnni),
      (leaf7Sub1, \.eax, 5, .avx512bf16), (leaf7, \.edx, 23, .avx512fp16),
    ]
    for (registers, register, index, feature) in avx512
    where bit(registers[keyPath: register], index) {
      found.insert(feature)
    }
    return found
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var characters = Substring(self)
    while characters.first == " " { characters.removeFirst() }
    while characters.last == " " { characters.removeLast() }
    return String(characters)
  }
}
