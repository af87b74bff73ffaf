import CBLAS

/// How many threads a computation may use: ``workers`` threads of the library's own (the
/// replicas of a CNN, the bands of P-Net, the machines of an SVM, concurrent one-vs-rest
/// problems) and ``blasThreads`` threads inside each OpenBLAS call.
///
/// OpenBLAS keeps one thread count for the whole process, so library code never sets it: an
/// executable configures the process once from its policy (``configureProcess()``, the one
/// entry point that sets it) and passes the policy to the library as a value. Where the
/// library's own workers call BLAS concurrently (CNN inference and training, MTCNN, SVC,
/// concurrent one-vs-rest logistic regression) it expects single-threaded BLAS: more BLAS
/// threads on top of its workers oversubscribe the cores and halve the speed.
public struct ThreadPolicy: Sendable, Hashable, CustomStringConvertible {
  /// Threads of the library's own worker pools (at least 1).
  public var workers: Int
  /// OpenBLAS threads per call (at least 1).
  public var blasThreads: Int

  /// `workers` threads of the library's own and `blasThreads` per BLAS call (each at least 1).
  public init(workers: Int = 1, blasThreads: Int = 1) {
    self.workers = max(1, workers)
    self.blasThreads = max(1, blasThreads)
  }

  /// `count` workers, each calling single-threaded BLAS: the policy of every computation
  /// that parallelises itself.
  public static func workers(_ count: Int) -> ThreadPolicy {
    ThreadPolicy(workers: count, blasThreads: 1)
  }

  /// One worker whose BLAS calls use `count` threads: computations that are one long
  /// sequence of large GEMMs (PCA, multinomial logistic regression).
  public static func blas(_ count: Int) -> ThreadPolicy {
    ThreadPolicy(workers: 1, blasThreads: count)
  }

  /// Sets OpenBLAS's process-wide thread count to ``blasThreads``. Executables call this, once
  /// at start or between the phases they run; library code never does.
  public func configureProcess() {
    openblas_set_num_threads(Int32(clamping: blasThreads))
  }

  public var description: String { "\(workers) workers × \(blasThreads) BLAS threads" }
}
