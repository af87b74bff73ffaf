import CBLAS
import Foundation
import Synchronization

/// Makes a process run the best OpenBLAS kernels its CPU supports, whatever OpenBLAS knows of
/// the CPU model, and checks them numerically. See ``BLASKernelPlanner`` for the decision.
public enum BLASKernel {
  /// For tests: a comma-separated list of cores whose self-test is made to fail.
  static let failSelfTestVariable = "EMOCL_BLAS_SELFTEST_FAIL"

  private static let recorded = Mutex<BLASKernelStatus?>(nil)

  /// Call first thing in `main`, before any thread starts and before reading standard input.
  ///
  /// When OpenBLAS chose kernels of a lower tier than the CPU supports, this re-executes the
  /// program (`/proc/self/exe`, same arguments, same process id) with `OPENBLAS_CORETYPE` set,
  /// which OpenBLAS reads only when it loads, and does not return. Otherwise it runs the
  /// numerical self-test; kernels that fail it are replaced the same way by the next core down
  /// (saying so on standard error), or, when the user set `OPENBLAS_CORETYPE` or nothing is
  /// left, kept with a warning on standard error. Finally it removes the variables it set, so
  /// that child processes choose for themselves, and records what it found
  /// (``status``). Later calls return the recorded status.
  @discardableResult
  public static func ensureBest() -> BLASKernelStatus {
    if let status = recorded.withLock({ $0 }), status.ensured { return status }
    let environment = ProcessInfo.processInfo.environment
    let cpu = CPUFeatures.current
    let core = BLAS.coreName
    var choice = BLASKernelChoice.library
    var warning: String?
    switch BLASKernelPlanner.atStart(cpu: cpu, coreInUse: core, environment: environment) {
    case .keep(let kept): choice = kept
    case .keepFailing(let kept, let message):
      choice = kept
      warning = message
    case .reexecute(let next, let state):
      warning = reexecute(core: next, state: state)
      choice = .library
    }
    var selfTest = BLASSelfTest.run()
    let forced = (environment[failSelfTestVariable] ?? "").split(separator: ",")
    if selfTest.passed, forced.contains(where: { BLASKernelPlanner.same(String($0), core) }) {
      selfTest.failure = "made to fail by \(failSelfTestVariable)"
    }
    if let failure = selfTest.failure, warning == nil {
      switch BLASKernelPlanner.afterFailedSelfTest(
        cpu: cpu, coreInUse: core, environment: environment, failure: failure)
      {
      case .reexecute(let next, let state):
        printError(
          "emocl: OpenBLAS's \(core) kernels fail the numerical self-test (\(failure)); "
            + "running again with OPENBLAS_CORETYPE=\(next)")
        warning = reexecute(core: next, state: state)
      case .keepFailing(let kept, let message):
        choice = kept
        warning = message
      case .keep(let kept): choice = kept
      }
    }
    if let warning { printError("emocl: warning: \(warning)") }
    if case .emocl = choice { unsetenv(BLASKernelPlanner.coreTypeVariable) }
    unsetenv(BLASKernelState.variable)
    let status = BLASKernelStatus(
      core: core, choice: choice, selfTest: selfTest, warning: warning, ensured: true)
    recorded.withLock { $0 = status }
    return status
  }

  /// What ``ensureBest()`` found, or, if it did not run, the kernels in use as OpenBLAS or the
  /// user chose them, self-tested now.
  public static var status: BLASKernelStatus {
    if let status = recorded.withLock({ $0 }) { return status }
    let requested = ProcessInfo.processInfo.environment[BLASKernelPlanner.coreTypeVariable] ?? ""
    let status = BLASKernelStatus(
      core: BLAS.coreName, choice: requested.isEmpty ? .library : .user(requested: requested),
      selfTest: BLASSelfTest.run(), warning: nil, ensured: false)
    recorded.withLock { $0 = $0 ?? status }
    return status
  }

  /// Replaces the process with itself under `OPENBLAS_CORETYPE=core`; returns (with the
  /// environment restored) only if that fails, with a message saying so.
  private static func reexecute(core: String, state: BLASKernelState) -> String {
    let names = [BLASKernelPlanner.coreTypeVariable, BLASKernelState.variable]
    let previous = names.map { getenv($0).map { String(cString: $0) } }
    setenv(names[0], core, 1)
    setenv(names[1], state.encoded, 1)
    fflush(nil)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    let reason = String(cString: strerror(errno))
    for (name, value) in zip(names, previous) {
      if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
    return "could not run again with OPENBLAS_CORETYPE=\(core) (\(reason)); "
      + "running with OpenBLAS's \(BLAS.coreName) kernels"
  }

  private static func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
