import ArgumentParser
import Foundation
import NeuralNet
import Tensor

/// `emocl-bench conv-algorithms`: thread-CPU milliseconds of one forward pass of each
/// convolution algorithm on the shapes of MTCNN's networks and the VGG stages, single-threaded:
/// the measurements behind the planner's choice of ``DirectConvolution``.
struct BenchConvAlgorithms: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conv-algorithms", abstract: "Forward time of each convolution algorithm.")

  @Option(help: "Repetitions (the mean is printed).") var reps = 20

  /// A layer: input `[channels, batch, height, width]`, `outputs` channels.
  struct Shape {
    var name: String
    var channels: Int
    var height: Int
    var width: Int
    var outputs: Int
    var kernel = 3
    var padding = 0
    var batch = 1
  }

  static let shapes: [Shape] = [
    // P-Net on a band of a 1155-pixel-wide level, and on a 100-pixel-wide level.
    Shape(name: "pnet1 band", channels: 3, height: 44, width: 1155, outputs: 10),
    Shape(name: "pnet2 band", channels: 10, height: 21, width: 577, outputs: 16),
    Shape(name: "pnet3 band", channels: 16, height: 19, width: 575, outputs: 32),
    Shape(name: "pnet4 band", channels: 32, height: 17, width: 573, outputs: 6, kernel: 1),
    Shape(name: "pnet1 small", channels: 3, height: 75, width: 100, outputs: 10),
    Shape(name: "pnet2 small", channels: 10, height: 37, width: 49, outputs: 16),
    Shape(name: "pnet3 small", channels: 16, height: 35, width: 47, outputs: 32),
    Shape(name: "rnet1", channels: 3, height: 24, width: 24, outputs: 28, batch: 64),
    Shape(name: "rnet2", channels: 28, height: 11, width: 11, outputs: 48, batch: 64),
    Shape(name: "rnet3", channels: 48, height: 4, width: 4, outputs: 64, kernel: 2, batch: 64),
    Shape(name: "onet1", channels: 3, height: 48, width: 48, outputs: 32, batch: 16),
    Shape(name: "onet2", channels: 32, height: 23, width: 23, outputs: 64, batch: 16),
    Shape(name: "onet3", channels: 64, height: 10, width: 10, outputs: 64, batch: 16),
    Shape(name: "onet4", channels: 64, height: 4, width: 4, outputs: 128, kernel: 2, batch: 16),
    Shape(name: "vgg1", channels: 32, height: 44, width: 44, outputs: 32, padding: 1, batch: 8),
    Shape(name: "vgg2", channels: 64, height: 22, width: 22, outputs: 64, padding: 1, batch: 8),
  ]

  func run() {
    ThreadPolicy.workers(1).configureProcess()
    for shape in Self.shapes {
      let g = ConvGeometry(
        channels: shape.channels, height: shape.height, width: shape.width,
        kernel: shape.kernel, padding: shape.padding)
      // Images per GEMM as a workspace's default column target (2048) gives.
      let chunk = max(1, min(shape.batch, 2048 / (g.outputHeight * g.outputWidth)))
      let im2col = Im2colConvolution(geometry: g, outputs: shape.outputs, chunk: chunk)
      var algorithms: [(String, any ConvolutionAlgorithm)] = [("im2col", im2col)]
      if let p = PointwiseConvolution(geometry: g, outputs: shape.outputs, chunk: chunk) {
        algorithms.append(("pointwise", p))
      }
      if let w = WinogradConvolution(geometry: g, outputs: shape.outputs, chunk: chunk) {
        algorithms.append(("winograd", w))
      }
      if let w = Winograd4Convolution(geometry: g, outputs: shape.outputs, chunk: chunk) {
        algorithms.append(("winograd4", w))
      }
      if let d = DirectConvolution(geometry: g, outputs: shape.outputs, gradients: im2col) {
        algorithms.append(("direct", d))
      }
      var line = "\(shape.name) \(shape.channels)→\(shape.outputs) \(shape.height)×\(shape.width)"
      line += " n=\(shape.batch):"
      for (name, algorithm) in algorithms {
        line += String(format: " %@ %.3f ms", name, time(algorithm, shape))
      }
      // The detector's own kernels: planar for P-Net's bands, pixel-major for R- and O-Net's
      // crops (one at a time, `batch` of them), on each instruction set this CPU runs.
      for instructions in PlanarInstructions.supported where shape.padding == 0 {
        if shape.name.hasPrefix("pnet"), shape.kernel == 1 || shape.kernel == 3 {
          line += String(
            format: " planar-%@ %.3f ms", "\(instructions)", planarTime(shape, instructions))
          if shape.kernel == 3 {
            line += String(
              format: " planar-winograd-%@ %.3f ms", "\(instructions)",
              planarTime(shape, instructions, winograd: true))
          }
          // P-Net's first layer and its pool: one after the other, and fused.
          if shape.name.hasPrefix("pnet1") {
            line += String(
              format: " planar-conv+pool-%@ %.3f ms planar-fused-%@ %.3f ms", "\(instructions)",
              planarPooledTime(shape, instructions, fused: false), "\(instructions)",
              planarPooledTime(shape, instructions, fused: true))
          }
        } else if !shape.name.hasPrefix("pnet") {
          line += String(
            format: " pixel-major-%@ %.3f ms", "\(instructions)",
            pixelMajorTime(shape, instructions))
          if shape.kernel == 3 {
            line += String(
              format: " pixel-major-winograd-%@ %.3f ms", "\(instructions)",
              pixelMajorTime(shape, instructions, winograd: true))
          }
        }
      }
      print(line)
    }
  }

  /// Mean thread-CPU milliseconds of `reps` calls of `body` after a warm-up call.
  func timed(_ body: () -> Void) -> Double {
    body()
    let start = threadCPUSeconds()
    for _ in 0..<reps { body() }
    return (threadCPUSeconds() - start) / Double(reps) * 1000
  }

  /// A ``PlanarConvolution`` of `shape` with PReLU and constant weights, for timing.
  func planarConvolution(
    _ shape: Shape, _ instructions: PlanarInstructions, winograd: Bool = false,
    pooled: Bool = false
  ) -> PlanarConvolution {
    PlanarConvolution(
      weights: [Float](
        repeating: 0.01, count: shape.outputs * shape.channels * shape.kernel * shape.kernel),
      bias: [Float](repeating: 0, count: shape.outputs),
      slopes: [Float](repeating: 0.25, count: shape.outputs), outputChannels: shape.outputs,
      inputChannels: shape.channels, kernel: shape.kernel, instructions: instructions,
      winograd: winograd, pooled: pooled)
  }

  /// ``PlanarConvolution`` (with PReLU; direct or Winograd F(2×2, 3×3)) on `shape` (batch 1)
  /// laid out as P-Net's bands are.
  func planarTime(_ shape: Shape, _ instructions: PlanarInstructions, winograd: Bool = false)
    -> Double
  {
    let conv = planarConvolution(shape, instructions, winograd: winograd)
    let (outH, outW) = (shape.height - shape.kernel + 1, shape.width - shape.kernel + 1)
    let (inStride, outStride) = (
      PlanarLayout.rowStride(width: shape.width), PlanarLayout.rowStride(width: outW)
    )
    let x = [Float](
      repeating: 0.5, count: shape.channels * shape.height * inStride + PlanarLayout.slack)
    var y = [Float](repeating: 0, count: shape.outputs * outH * outStride + PlanarLayout.slack)
    return timed {
      x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
          conv.run(
            x.baseAddress!, rowStride: inStride, planeStride: shape.height * inStride,
            outputHeight: outH, outputWidth: outW, into: y.baseAddress!,
            outputRowStride: outStride, outputPlaneStride: outH * outStride)
        }
      }
    }
  }

  /// ``PlanarConvolution`` (direct, with PReLU) and a 2×2 ceil-mode max pool on `shape` (batch
  /// 1), as P-Net's first layer runs: the convolution into a full-size map and then
  /// ``planarMaxPool2Ceil(_:channels:height:width:rowStride:planeStride:into:outputRowStride:outputPlaneStride:instructions:)``,
  /// or (`fused`) ``PlanarConvolution/runPooled(_:rowStride:planeStride:convolutionHeight:convolutionWidth:into:outputRowStride:outputPlaneStride:)``.
  func planarPooledTime(_ shape: Shape, _ instructions: PlanarInstructions, fused: Bool)
    -> Double
  {
    let conv = planarConvolution(shape, instructions, pooled: fused)
    let (outH, outW) = (shape.height - shape.kernel + 1, shape.width - shape.kernel + 1)
    let (poolH, poolW) = ((outH + 1) / 2, (outW + 1) / 2)
    let (inStride, outStride, poolStride) = (
      PlanarLayout.rowStride(width: shape.width), PlanarLayout.rowStride(width: outW + 1),
      PlanarLayout.rowStride(width: poolW)
    )
    let x = [Float](
      repeating: 0.5, count: shape.channels * shape.height * inStride + PlanarLayout.slack)
    var y = [Float](
      repeating: 0, count: fused ? 0 : shape.outputs * outH * outStride + PlanarLayout.slack)
    var z = [Float](repeating: 0, count: shape.outputs * poolH * poolStride + PlanarLayout.slack)
    return timed {
      x.withUnsafeBufferPointer { x in
        z.withUnsafeMutableBufferPointer { z in
          if fused {
            conv.runPooled(
              x.baseAddress!, rowStride: inStride, planeStride: shape.height * inStride,
              convolutionHeight: outH, convolutionWidth: outW, into: z.baseAddress!,
              outputRowStride: poolStride, outputPlaneStride: poolH * poolStride)
            return
          }
          y.withUnsafeMutableBufferPointer { y in
            conv.run(
              x.baseAddress!, rowStride: inStride, planeStride: shape.height * inStride,
              outputHeight: outH, outputWidth: outW, into: y.baseAddress!,
              outputRowStride: outStride, outputPlaneStride: outH * outStride)
            planarMaxPool2Ceil(
              y.baseAddress!, channels: shape.outputs, height: outH, width: outW,
              rowStride: outStride, planeStride: outH * outStride, into: z.baseAddress!,
              outputRowStride: poolStride, outputPlaneStride: poolH * poolStride,
              instructions: instructions)
          }
        }
      }
    }
  }

  /// ``PixelMajorConvolution`` (with PReLU; direct or Winograd F(2×2, 3×3)) on `shape`'s
  /// `batch` crops, one at a time.
  func pixelMajorTime(
    _ shape: Shape, _ instructions: PlanarInstructions, winograd: Bool = false
  ) -> Double {
    let conv = PixelMajorConvolution(
      weights: [Float](
        repeating: 0.01, count: shape.outputs * shape.channels * shape.kernel * shape.kernel),
      bias: [Float](repeating: 0, count: shape.outputs),
      slopes: [Float](repeating: 0.25, count: shape.outputs), outputChannels: shape.outputs,
      inputChannels: shape.channels, storedInputChannels: shape.channels, kernel: shape.kernel,
      instructions: instructions, winograd: winograd)
    let (outH, outW) = conv.outputSize(height: shape.height, width: shape.width)
    let x = [Float](
      repeating: 0.5, count: shape.batch * shape.height * shape.width * shape.channels)
    var y = [Float](repeating: 0, count: outH * outW * conv.storedOutputChannels)
    var scratch = [Float](repeating: 0, count: max(1, conv.scratchCount))
    let crop = shape.height * shape.width * shape.channels
    return timed {
      x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
          scratch.withUnsafeMutableBufferPointer { scratch in
            for i in 0..<shape.batch {
              conv.run(
                x.baseAddress! + i * crop, height: shape.height, width: shape.width,
                into: y.baseAddress!, scratch: scratch.baseAddress!)
            }
          }
        }
      }
    }
  }

  /// Mean thread-CPU milliseconds of a forward pass with frozen weights, after a warm-up.
  func time(_ algorithm: any ConvolutionAlgorithm, _ shape: Shape) -> Double {
    let g = algorithm.geometry
    let x = [Float](repeating: 0.5, count: g.channels * shape.batch * g.height * g.width)
    let w = [Float](repeating: 0.01, count: shape.outputs * g.patchSize)
    var y = [Float](
      repeating: 0, count: shape.outputs * shape.batch * g.outputHeight * g.outputWidth)
    var scratch = [Float](repeating: 0, count: max(1, algorithm.scratchSize))
    func once() {
      algorithm.forward(
        x, batch: shape.batch, weight: w, into: &y, scratch: &scratch, threads: 1,
        frozenWeights: true)
    }
    once()
    let start = threadCPUSeconds()
    for _ in 0..<reps { once() }
    return (threadCPUSeconds() - start) / Double(reps) * 1000
  }
}
