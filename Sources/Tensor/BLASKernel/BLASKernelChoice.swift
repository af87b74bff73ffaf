/// Who chose the OpenBLAS kernels a process runs, and why.
public enum BLASKernelChoice: Sendable, Equatable, Codable {
  /// OpenBLAS's own choice, the best this CPU supports (or one Emocl does not know).
  case library
  /// Emocl set `OPENBLAS_CORETYPE`: OpenBLAS had chosen `libraryCore`, a lower tier than the
  /// CPU supports, or the cores in `failed` failed the numerical self-test.
  case emocl(libraryCore: String, failed: [String])
  /// The user's `OPENBLAS_CORETYPE`, respected as given.
  case user(requested: String)
}
