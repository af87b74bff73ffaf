/// The OpenBLAS kernels a process runs, who chose them and whether they passed the self-test.
public struct BLASKernelStatus: Sendable, Equatable, Codable {
  /// `openblas_get_corename()`, e.g. `SkylakeX`.
  public var core: String
  /// Who chose `core`, and why.
  public var choice: BLASKernelChoice
  /// The numerical self-test of `core`.
  public var selfTest: BLASSelfTestResult
  /// Set when the kernels run although they failed the self-test (or Emocl could not switch).
  public var warning: String?
  /// Whether ``BLASKernel/ensureBest()`` ran in this process (otherwise nobody checked that the
  /// kernels are the best the CPU runs).
  public var ensured: Bool

  public init(
    core: String, choice: BLASKernelChoice, selfTest: BLASSelfTestResult, warning: String?,
    ensured: Bool
  ) {
    self.core = core
    self.choice = choice
    self.selfTest = selfTest
    self.warning = warning
    self.ensured = ensured
  }

  /// One line for people: `SkylakeX, chosen by Emocl (OpenBLAS chose Prescott); self-test passed`.
  public var summary: String {
    let who: String =
      switch choice {
      case .library:
        ensured ? "OpenBLAS's own choice, the best this CPU runs" : "OpenBLAS's own choice"
      case .emocl(let library, let failed):
        "chosen by Emocl (OpenBLAS chose \(library)"
          + (failed.isEmpty ? "" : "; failed the self-test: \(failed.joined(separator: ", "))")
          + ")"
      case .user(let requested): "set by the user (OPENBLAS_CORETYPE=\(requested))"
      }
    let test =
      selfTest.passed ? "self-test passed" : "SELF-TEST FAILED: \(selfTest.failure ?? "")"
    return "\(core), \(who); \(test)"
  }
}
