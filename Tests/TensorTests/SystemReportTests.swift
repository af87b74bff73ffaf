import Foundation
import Tensor
import Testing

@Suite struct SystemReportTests {
  @Test func reportsTheLibraryAndTheKernelsInUse() throws {
    let report = SystemReport.gather(measureSpeed: false)
    #expect(report.blasLibrary.hasPrefix("OpenBLAS "))
    #expect(report.kernel.core == BLAS.coreName)
    #expect(report.cores >= 1)
    #expect(report.sgemm == nil)
    let path = try #require(report.blasPath)
    #expect(path.contains("blas"))
    #expect(report.supportedCores.last == "Prescott")
    // Round-trips through JSON (emocl info --format json).
    let data = try JSONEncoder().encode(report)
    #expect(try JSONDecoder().decode(SystemReport.self, from: data) == report)
  }

  @Test func measuresSgemmSpeed() {
    let speed = SGEMMSpeed.measure(size: 128, seconds: 0.1, threads: 1)
    #expect(speed.oneThread > 0.5)
    #expect(speed.allThreads > 0.5)
    #expect(speed.size == 128)
  }
}
