import CBLAS
import Foundation

/// What a bug report about speed or numbers needs from the machine: the CPU and its features,
/// the BLAS library and the kernels it runs, threads, and optionally sgemm's speed.
public struct SystemReport: Sendable, Equatable, Codable {
  /// The processor and its usable instruction-set extensions.
  public var cpu: CPUFeatures
  /// Logical processors this process may run on.
  public var cores: Int
  /// The BLAS library, e.g. `OpenBLAS 0.3.21`.
  public var blasLibrary: String
  /// `openblas_get_config()`: version and build options.
  public var blasConfiguration: String
  /// The shared object the BLAS calls go to (from `/proc/self/maps`), if found.
  public var blasPath: String?
  /// OpenBLAS's threads per call.
  public var blasThreads: Int
  /// The kernels in use, who chose them, and their self-test.
  public var kernel: BLASKernelStatus
  /// The OpenBLAS cores this CPU runs, best first (what Emocl chooses among).
  public var supportedCores: [String]
  /// sgemm's speed, when measured.
  public var sgemm: SGEMMSpeed?

  public init(
    cpu: CPUFeatures, cores: Int, blasLibrary: String, blasConfiguration: String,
    blasPath: String?, blasThreads: Int, kernel: BLASKernelStatus, supportedCores: [String],
    sgemm: SGEMMSpeed?
  ) {
    self.cpu = cpu
    self.cores = cores
    self.blasLibrary = blasLibrary
    self.blasConfiguration = blasConfiguration
    self.blasPath = blasPath
    self.blasThreads = blasThreads
    self.kernel = kernel
    self.supportedCores = supportedCores
    self.sgemm = sgemm
  }

  /// This process's report; `measureSpeed` adds about `seconds` of sgemm (512³, on one thread
  /// and on as many as there are cores).
  public static func gather(measureSpeed: Bool = true, seconds: Double = 1) -> SystemReport {
    let configuration = BLAS.configuration
    let words = configuration.split(separator: " ")
    let library = words.count >= 2 ? "\(words[0]) \(words[1])" : configuration
    let cores = ProcessInfo.processInfo.activeProcessorCount
    return SystemReport(
      cpu: .current, cores: cores, blasLibrary: library,
      blasConfiguration: configuration,
      blasPath: loadedLibrary(containing: "openblas") ?? loadedLibrary(containing: "blas"),
      blasThreads: BLAS.threads, kernel: BLASKernel.status,
      supportedCores: BLASCore.supported(by: .current).map(\.rawValue),
      sgemm: measureSpeed ? SGEMMSpeed.measure(seconds: seconds, threads: max(cores, 1)) : nil)
  }

  /// The first shared object mapped into this process whose file name contains `fragment`.
  static func loadedLibrary(containing fragment: String) -> String? {
    // /proc files report size 0: read to the end rather than by size.
    guard let file = FileHandle(forReadingAtPath: "/proc/self/maps") else { return nil }
    defer { try? file.close() }
    let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
    for line in maps.split(separator: "\n") {
      guard let slash = line.firstIndex(of: "/") else { continue }
      let path = String(line[slash...])
      let name = path.split(separator: "/").last.map(String.init) ?? ""
      if name.lowercased().contains(fragment), name.contains(".so") { return path }
    }
    return nil
  }
}
