/// The decision, as a pure function of the CPU, the core OpenBLAS runs and the environment,
/// of which OpenBLAS kernels a process should use; ``BLASKernel/ensureBest()`` carries it out.
///
/// OpenBLAS picks its kernels from the CPU model when it loads; a release that does not know a
/// model falls back to generic ones (a Xeon with AVX-512 under Debian 12's 0.3.21 gets
/// `Prescott`, four to five times slower). Emocl picks the best core the CPU's *features*
/// allow instead (``BLASCore/supported(by:)``) and, when OpenBLAS chose a lower tier, runs
/// again with `OPENBLAS_CORETYPE` set, since OpenBLAS reads it only when it loads. A core that
/// fails the self-test is replaced by the next one down. A user's `OPENBLAS_CORETYPE` is kept.
package enum BLASKernelPlanner {
  /// OpenBLAS's variable naming the core to use.
  static let coreTypeVariable = "OPENBLAS_CORETYPE"
  /// For tests: `1` makes `OPENBLAS_CORETYPE` stand for OpenBLAS's own choice, as on a CPU that
  /// OpenBLAS does not know (e.g. `OPENBLAS_CORETYPE=Prescott` on a Xeon with AVX-512).
  package static let simulateLibraryChoiceVariable = "EMOCL_BLAS_SIMULATE_LIBRARY_CHOICE"

  /// What to do at start, before the self-test: keep the kernels, or run again with better ones.
  package static func atStart(
    cpu: CPUFeatures, coreInUse: String, environment: [String: String]
  ) -> BLASKernelAction {
    switch origin(coreInUse: coreInUse, environment: environment) {
    case .user(let requested): return .keep(.user(requested: requested))
    case .emocl(let state):
      guard same(coreInUse, state.chosen) else {
        // OpenBLAS did not accept the name and chose by itself: count it as failed.
        var next = state
        next.failed.append(state.chosen)
        return nextCandidate(cpu: cpu, coreInUse: coreInUse, state: next)
      }
      return .keep(.emocl(libraryCore: state.libraryCore, failed: state.failed))
    case .library:
      guard let libraryTier = BLASCore.tier(of: coreInUse),
        let best = BLASCore.supported(by: cpu).first, best.tier > libraryTier
      else { return .keep(.library) }
      return .reexecute(
        core: best.rawValue, state: BLASKernelState(libraryCore: coreInUse, chosen: best.rawValue))
    }
  }

  /// What to do when the kernels in use (`coreInUse`, kept by ``atStart``) failed the
  /// self-test: run again with the next core down, or, for a user's choice or when none is left,
  /// keep them with a warning.
  package static func afterFailedSelfTest(
    cpu: CPUFeatures, coreInUse: String, environment: [String: String], failure: String
  ) -> BLASKernelAction {
    switch origin(coreInUse: coreInUse, environment: environment) {
    case .user(let requested):
      return .keepFailing(
        .user(requested: requested),
        warning: "OPENBLAS_CORETYPE=\(requested): OpenBLAS's \(coreInUse) kernels fail Emocl's "
          + "numerical self-test (\(failure)); results may be wrong. Unset OPENBLAS_CORETYPE to "
          + "let Emocl choose.")
    case .emocl(var state):
      state.failed.append(coreInUse)
      return nextCandidate(cpu: cpu, coreInUse: coreInUse, state: state)
    case .library:
      let state = BLASKernelState(libraryCore: coreInUse, chosen: coreInUse, failed: [coreInUse])
      return nextCandidate(cpu: cpu, coreInUse: coreInUse, state: state)
    }
  }

  /// The cores to try, best first: those the CPU supports, with OpenBLAS's own choice among
  /// them by tier if it is not one of Emocl's (first among its tier: OpenBLAS chose it knowing
  /// the CPU model).
  package static func candidates(cpu: CPUFeatures, libraryCore: String) -> [String] {
    var names = BLASCore.supported(by: cpu).map(\.rawValue)
    if !names.contains(where: { same($0, libraryCore) }) {
      let tier = BLASCore.tier(of: libraryCore) ?? Int.max
      let index = names.firstIndex { BLASCore.tier(of: $0)! <= tier } ?? names.endIndex
      names.insert(libraryCore, at: index)
    }
    return names
  }

  private enum Origin {
    case user(String)
    case emocl(BLASKernelState)
    case library
  }

  /// Who set the kernels in use: Emocl (its state variable names the requested core), the user
  /// (`OPENBLAS_CORETYPE` alone) or OpenBLAS.
  private static func origin(coreInUse: String, environment: [String: String]) -> Origin {
    let requested = environment[coreTypeVariable].flatMap { $0.isEmpty ? nil : $0 }
    if let requested, let text = environment[BLASKernelState.variable],
      let state = BLASKernelState(encoded: text), same(requested, state.chosen)
    {
      return .emocl(state)
    }
    if let requested, environment[simulateLibraryChoiceVariable] != "1" { return .user(requested) }
    return .library
  }

  private static func nextCandidate(
    cpu: CPUFeatures, coreInUse: String, state: BLASKernelState
  ) -> BLASKernelAction {
    let choice = BLASKernelChoice.emocl(libraryCore: state.libraryCore, failed: state.failed)
    let remaining = candidates(cpu: cpu, libraryCore: state.libraryCore).filter { name in
      !state.failed.contains { same($0, name) }
    }
    guard let next = remaining.first else {
      return .keepFailing(
        choice,
        warning: "every OpenBLAS core this CPU runs failed Emocl's numerical self-test ("
          + state.failed.joined(separator: ", ") + "); running with \(coreInUse), results may "
          + "be wrong.")
    }
    var nextState = state
    nextState.chosen = next
    return .reexecute(core: next, state: nextState)
  }

  static func same(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
}
