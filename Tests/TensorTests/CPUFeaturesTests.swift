import Foundation
import Tensor
import Testing

@Suite struct CPUFeaturesTests {
  /// Leaf 1 ECX: SSE4.2 (20), FMA (12), OSXSAVE (27), AVX (28).
  static let leaf1 = CPUIDRegisters(ecx: 1 << 20 | 1 << 12 | 1 << 27 | 1 << 28)
  /// Leaf 7 of a Sapphire Rapids: AVX2, AVX-512 F/DQ/CD/BW/VL, VNNI, FP16, AMX.
  static let leaf7 = CPUIDRegisters(
    ebx: 1 << 5 | 1 << 16 | 1 << 17 | 1 << 28 | 1 << 30 | 1 << 31, ecx: 1 << 11,
    edx: 1 << 22 | 1 << 23 | 1 << 24 | 1 << 25)
  static let leaf7Sub1 = CPUIDRegisters(eax: 1 << 5)
  /// XCR0 with x87, SSE, AVX, opmask, ZMM and tile state.
  static let fullState: UInt64 = 0b1110_0111 | 0b11 << 17

  @Test func decodesEveryFeatureTheOSEnables() {
    let features = CPUFeatures.decode(
      leaf1: Self.leaf1, leaf7: Self.leaf7, leaf7Sub1: Self.leaf7Sub1, xcr0: Self.fullState)
    #expect(features == Set(CPUFeature.allCases))
  }

  @Test func vectorExtensionsNeedTheOSToSaveTheirRegisters() {
    // An OS that saves YMM but not ZMM state: AVX2 yes, AVX-512 no.
    let noZMM = CPUFeatures.decode(
      leaf1: Self.leaf1, leaf7: Self.leaf7, leaf7Sub1: Self.leaf7Sub1, xcr0: 0b111)
    #expect(noZMM == [.sse42, .avx, .fma, .avx2])
    // No XSAVE enabled by the OS: nothing beyond SSE.
    var leaf1 = Self.leaf1
    leaf1.ecx &= ~(1 << 27)
    let noXSAVE = CPUFeatures.decode(
      leaf1: leaf1, leaf7: Self.leaf7, leaf7Sub1: Self.leaf7Sub1, xcr0: Self.fullState)
    #expect(noXSAVE == [.sse42])
  }

  @Test func featuresAreEncodedInAStableOrder() throws {
    let cpu = CPUFeatures(
      vendor: "GenuineIntel", model: "x", features: [.avx2, .sse42, .fma, .avx])
    let data = try JSONEncoder().encode(cpu)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["features"] as? [String] == ["SSE4.2", "AVX", "FMA", "AVX2"])
    #expect(try JSONDecoder().decode(CPUFeatures.self, from: data) == cpu)
  }

  @Test func thisMachineIsConsistent() {
    let cpu = CPUFeatures.current
    #if arch(x86_64)
      #expect(!cpu.vendor.isEmpty)
      // x86-64 guarantees SSE2, so Prescott is always among the supported cores.
      #expect(BLASCore.supported(by: cpu).last == .prescott)
    #endif
    if cpu.has(.avx512f) { #expect(cpu.has(.avx2, .fma)) }
    for core in BLASCore.supported(by: cpu) {
      #expect(core.requiredFeatures.isSubset(of: cpu.features))
    }
  }
}
