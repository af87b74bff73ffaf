/// What ``BLASKernelPlanner`` tells a process to do about its OpenBLAS kernels.
package enum BLASKernelAction: Sendable, Equatable {
  /// Run with the kernels in use.
  case keep(BLASKernelChoice)
  /// Run again with `OPENBLAS_CORETYPE=core` and ``BLASKernelState/variable`` set to `state`.
  case reexecute(core: String, state: BLASKernelState)
  /// Run with the kernels in use although they failed the self-test; `warning` says so.
  case keepFailing(BLASKernelChoice, warning: String)
}
