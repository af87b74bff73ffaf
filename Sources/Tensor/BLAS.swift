import CBLAS

/// Thread count of OpenBLAS, process-wide.
public enum BLAS {
  /// Sets how many threads OpenBLAS uses for each call (1 when the caller parallelises itself).
  public static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
  /// The number of threads OpenBLAS currently uses.
  public static var threads: Int { Int(openblas_get_num_threads()) }
  /// The CPU kernel family OpenBLAS chose (e.g. `Haswell`, `Zen`), for benchmark reports.
  public static var coreName: String { String(cString: openblas_get_corename()) }
  /// OpenBLAS's build configuration string (version, threading, maximum threads).
  public static var configuration: String { String(cString: openblas_get_config()) }
}
