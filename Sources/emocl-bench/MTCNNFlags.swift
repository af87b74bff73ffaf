import ArgumentParser
import Tensor

/// The MTCNN switches the detection benches share (`cnn-faces`, `detector-scenes`).
struct MTCNNFlags: ParsableArguments {
  @Flag(
    inversion: .prefixedNo,
    help: "Second looks at rejected boxes turned by ±20° (MTCNNDetector.retriesTurned).")
  var turnedLooks = true
  @Flag(
    name: .customLong("int8-pnet"),
    help: "P-Net in 8 bits where the CPU has AVX-512 VNNI (MTCNNDetector.quantizedPNet).")
  var int8PNet = false
  @Flag(
    name: .customLong("int8-refine"),
    help:
      "R- and O-Net in 8 bits where the CPU has AVX-512 VNNI (MTCNNDetector.quantizedRefinement).")
  var int8Refine = false
  @Option(
    name: .customLong("pnet-kernels"),
    help: """
      What float P-Net runs on: best (the planar kernels of the best instruction set here), \
      avx512, avx2 (the planar kernels, if this CPU runs them) or generic (the network's layers).
      """)
  var pnetKernels: String = "best"

  /// The planar kernels asked for (nil: the generic layers).
  func planarKernels() throws -> PlanarInstructions? {
    switch pnetKernels {
    case "best": return PlanarInstructions.best
    case "generic": return nil
    case "avx2", "avx512":
      let asked: PlanarInstructions = pnetKernels == "avx2" ? .avx2 : .avx512
      guard PlanarInstructions.supported.contains(asked) else {
        throw ValidationError("this CPU does not run the \(asked) planar kernels")
      }
      return asked
    default: throw ValidationError("--pnet-kernels must be best, avx512, avx2 or generic")
    }
  }
}
