import CBLAS

/// What OpenBLAS reports about itself. Its thread count is set only through
/// ``ThreadPolicy/configureProcess()``.
public enum BLAS {
  /// The number of threads OpenBLAS currently uses, process-wide.
  public static var threads: Int { Int(openblas_get_num_threads()) }
  /// The CPU kernel family OpenBLAS chose (e.g. `Haswell`, `Zen`), for benchmark reports.
  public static var coreName: String { String(cString: openblas_get_corename()) }
  /// OpenBLAS's build configuration string (version, threading, maximum threads).
  public static var configuration: String { String(cString: openblas_get_config()) }
}
