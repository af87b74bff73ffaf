import Tensor
import Testing

/// The kernel decision on simulated CPUs: what CPUID would report and what OpenBLAS chose.
@Suite struct BLASKernelPlannerTests {
  /// A Sapphire Rapids Xeon (AVX-512 with VNNI, BF16, FP16 and AMX), which Debian 12's OpenBLAS
  /// 0.3.21 does not know.
  static let sapphireRapids = CPUFeatures(
    vendor: "GenuineIntel", model: "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz", family: 6,
    modelNumber: 0x8F, stepping: 8, features: Set(CPUFeature.allCases))
  /// Skylake-SP: AVX-512 without BF16.
  static let skylakeServer = CPUFeatures(
    vendor: "GenuineIntel", model: "Intel(R) Xeon(R) Gold 6148", family: 6, modelNumber: 0x55,
    features: [.sse42, .avx, .fma, .avx2, .avx512f, .avx512dq, .avx512cd, .avx512bw, .avx512vl])
  static let zen2 = CPUFeatures(
    vendor: "AuthenticAMD", model: "AMD EPYC 7B12", family: 0x17, modelNumber: 0x31,
    features: [.sse42, .avx, .fma, .avx2])
  static let haswellDesktop = CPUFeatures(
    vendor: "GenuineIntel", model: "Intel(R) Core(TM) i7-4770",
    features: [.sse42, .avx, .fma, .avx2])
  static let oldAtom = CPUFeatures(vendor: "GenuineIntel", model: "Atom", features: [])

  @Test func unknownXeonGetsAVX512KernelsInsteadOfPrescott() {
    let action = BLASKernelPlanner.atStart(
      cpu: Self.sapphireRapids, coreInUse: "Prescott", environment: [:])
    #expect(
      action
        == .reexecute(
          core: "Cooperlake",
          state: BLASKernelState(libraryCore: "Prescott", chosen: "Cooperlake", failed: [])))
  }

  @Test func bestCoreFollowsFeatures() {
    func chosen(_ cpu: CPUFeatures, library: String = "Prescott") -> String? {
      if case .reexecute(let core, _) = BLASKernelPlanner.atStart(
        cpu: cpu, coreInUse: library, environment: [:])
      {
        return core
      }
      return nil
    }
    #expect(chosen(Self.skylakeServer) == "SkylakeX")
    #expect(chosen(Self.zen2) == "Zen")
    #expect(chosen(Self.haswellDesktop) == "Haswell")
    #expect(chosen(Self.haswellDesktop, library: "Sandybridge") == "Haswell")
    #expect(chosen(Self.oldAtom) == nil)
  }

  @Test func libraryChoiceOfTheBestTierIsKept() {
    for (cpu, core) in [
      (Self.sapphireRapids, "Cooperlake"), (Self.skylakeServer, "SkylakeX"), (Self.zen2, "Zen"),
      (Self.zen2, "Haswell"), (Self.haswellDesktop, "Haswell"), (Self.oldAtom, "Atom"),
    ] {
      #expect(
        BLASKernelPlanner.atStart(cpu: cpu, coreInUse: core, environment: [:]) == .keep(.library))
    }
    // A core newer than Emocl's table (OpenBLAS 0.3.22 knows Sapphire Rapids) is left alone.
    #expect(
      BLASKernelPlanner.atStart(
        cpu: Self.sapphireRapids, coreInUse: "SapphireRapids", environment: [:])
        == .keep(.library))
  }

  @Test func usersCoreTypeIsRespected() {
    let environment = ["OPENBLAS_CORETYPE": "prescott"]
    #expect(
      BLASKernelPlanner.atStart(
        cpu: Self.sapphireRapids, coreInUse: "Prescott", environment: environment)
        == .keep(.user(requested: "prescott")))
    let failing = BLASKernelPlanner.afterFailedSelfTest(
      cpu: Self.sapphireRapids, coreInUse: "Prescott", environment: environment, failure: "x")
    guard case .keepFailing(.user(requested: "prescott"), let warning) = failing else {
      Issue.record("expected a warning for the user's core, got \(failing)")
      return
    }
    #expect(warning.contains("OPENBLAS_CORETYPE=prescott"))
    // An empty variable counts as unset.
    #expect(
      BLASKernelPlanner.atStart(
        cpu: Self.sapphireRapids, coreInUse: "Prescott", environment: ["OPENBLAS_CORETYPE": ""])
        != .keep(.user(requested: "")))
  }

  @Test func simulatedLibraryChoiceIsNotTheUsers() {
    let environment = [
      "OPENBLAS_CORETYPE": "Prescott", BLASKernelPlanner.simulateLibraryChoiceVariable: "1",
    ]
    #expect(
      BLASKernelPlanner.atStart(
        cpu: Self.sapphireRapids, coreInUse: "Prescott", environment: environment)
        == .reexecute(
          core: "Cooperlake", state: BLASKernelState(libraryCore: "Prescott", chosen: "Cooperlake"))
    )
  }

  @Test func afterReexecutionTheChosenCoreIsKept() {
    let state = BLASKernelState(libraryCore: "Prescott", chosen: "Cooperlake")
    let environment = ["OPENBLAS_CORETYPE": "Cooperlake", BLASKernelState.variable: state.encoded]
    #expect(
      BLASKernelPlanner.atStart(
        cpu: Self.sapphireRapids, coreInUse: "Cooperlake", environment: environment)
        == .keep(.emocl(libraryCore: "Prescott", failed: [])))
  }

  @Test func failingCoresAreReplacedByTheNextDown() {
    var state = BLASKernelState(libraryCore: "Prescott", chosen: "Cooperlake")
    var core = "Cooperlake"
    var tried = [core]
    while true {
      let environment = ["OPENBLAS_CORETYPE": core, BLASKernelState.variable: state.encoded]
      let action = BLASKernelPlanner.afterFailedSelfTest(
        cpu: Self.sapphireRapids, coreInUse: core, environment: environment, failure: "x")
      guard case .reexecute(let next, let nextState) = action else {
        guard case .keepFailing(let choice, let warning) = action else {
          Issue.record("a failing core was kept silently: \(action)")
          return
        }
        #expect(choice == .emocl(libraryCore: "Prescott", failed: tried))
        #expect(warning.contains("every OpenBLAS core"))
        break
      }
      #expect(nextState.failed == tried)
      (core, state) = (next, nextState)
      tried.append(core)
    }
    #expect(
      tried == ["Cooperlake", "SkylakeX", "Haswell", "Zen", "Sandybridge", "Nehalem", "Prescott"])
  }

  @Test func libraryCoreFailingFallsBackToo() {
    let action = BLASKernelPlanner.afterFailedSelfTest(
      cpu: Self.skylakeServer, coreInUse: "SkylakeX", environment: [:], failure: "x")
    #expect(
      action
        == .reexecute(
          core: "Haswell",
          state: BLASKernelState(libraryCore: "SkylakeX", chosen: "Haswell", failed: ["SkylakeX"])))
  }

  @Test func coreNameOpenBLASRefusesCountsAsFailed() {
    // OpenBLAS ignores a name it does not know and chooses by itself.
    let state = BLASKernelState(libraryCore: "Prescott", chosen: "Cooperlake")
    let environment = ["OPENBLAS_CORETYPE": "Cooperlake", BLASKernelState.variable: state.encoded]
    let action = BLASKernelPlanner.atStart(
      cpu: Self.sapphireRapids, coreInUse: "Prescott", environment: environment)
    #expect(
      action
        == .reexecute(
          core: "SkylakeX",
          state: BLASKernelState(
            libraryCore: "Prescott", chosen: "SkylakeX", failed: ["Cooperlake"])))
  }

  @Test func libraryCoreOutsideTheTableIsACandidateByTier() {
    #expect(
      BLASKernelPlanner.candidates(cpu: Self.zen2, libraryCore: "Excavator")
        == ["Excavator", "Zen", "Haswell", "Sandybridge", "Nehalem", "Prescott"])
    #expect(
      BLASKernelPlanner.candidates(cpu: Self.oldAtom, libraryCore: "Atom") == ["Atom", "Prescott"])
  }

  @Test func stateRoundTripsAndRejectsGarbage() {
    let state = BLASKernelState(
      libraryCore: "Prescott", chosen: "Zen", failed: ["Cooperlake", "SkylakeX"])
    #expect(BLASKernelState(encoded: state.encoded) == state)
    #expect(
      BLASKernelState(encoded: "library=Prescott;chosen=Zen;failed=")
        == BLASKernelState(libraryCore: "Prescott", chosen: "Zen"))
    #expect(BLASKernelState(encoded: "") == nil)
    #expect(BLASKernelState(encoded: "library=;chosen=Zen;failed=") == nil)
    #expect(BLASKernelState(encoded: "chosen=Zen") == nil)
  }
}
