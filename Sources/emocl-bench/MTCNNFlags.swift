import ArgumentParser

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
}
