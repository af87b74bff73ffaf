import Tensor
import Testing

/// `PlanarConvolution` (alone and fused with its pool) and `planarMaxPool2Ceil` under every
/// instruction set this CPU runs, against a double-precision convolution and a plain maximum of
/// the same values, on maps whose widths are not multiples of the 32-column tile and whose row
/// strides and slack hold values the kernels must not mix into valid outputs.
@Suite(.enabled(if: PlanarInstructions.best != nil, "this CPU has neither AVX2 nor AVX-512"))
struct PlanarConvolutionTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var inputs: Int, outputs: Int, kernel: Int, height: Int, width: Int, prelu: Bool
    var testDescription: String { "\(inputs)→\(outputs) k\(kernel) \(height)×\(width)" }
  }

  /// P-Net's four layers; one output channel; 13 (two AVX-512 blocks of 7 and 6; three AVX2
  /// blocks); 25 (three blocks of 9, 8, 8); widths below, at and past a tile.
  static let cases = [
    Case(inputs: 3, outputs: 10, kernel: 3, height: 9, width: 45, prelu: true),
    Case(inputs: 10, outputs: 16, kernel: 3, height: 7, width: 13, prelu: true),
    Case(inputs: 16, outputs: 32, kernel: 3, height: 6, width: 34, prelu: true),
    Case(inputs: 32, outputs: 6, kernel: 1, height: 5, width: 32, prelu: false),
    Case(inputs: 2, outputs: 1, kernel: 3, height: 3, width: 3, prelu: false),
    Case(inputs: 7, outputs: 13, kernel: 3, height: 4, width: 70, prelu: true),
    Case(inputs: 5, outputs: 25, kernel: 1, height: 3, width: 65, prelu: true),
  ]

  @Test(arguments: cases)
  func convolutionMatchesDoublePrecision(_ c: Case) {
    for instructions in PlanarInstructions.supported {
      let (worst, _) = Self.largestDifference(c, instructions: instructions, winograd: false)
      #expect(worst < 1e-4, "\(instructions): largest difference \(worst)")
    }
  }

  /// P-Net's 3×3 layers; odd output heights (a last row pair with one row stored: 5, 7, 19, 1)
  /// and even ones; widths below a 32-column vector (1, 2, 11), at one (32), between one and an
  /// AVX-512 chunk of two (43, 97), at a chunk and a vector past it (68, 128, 573); one output
  /// channel, one block, several blocks (13: 7 + 6 with AVX-512, 3 blocks with AVX2; 25; 32).
  static let winogradCases = [
    Case(inputs: 3, outputs: 10, kernel: 3, height: 9, width: 45, prelu: true),
    Case(inputs: 10, outputs: 16, kernel: 3, height: 7, width: 13, prelu: true),
    Case(inputs: 16, outputs: 32, kernel: 3, height: 6, width: 34, prelu: true),
    Case(inputs: 10, outputs: 16, kernel: 3, height: 21, width: 575, prelu: true),
    Case(inputs: 16, outputs: 32, kernel: 3, height: 9, width: 70, prelu: true),
    Case(inputs: 16, outputs: 32, kernel: 3, height: 20, width: 130, prelu: false),
    Case(inputs: 2, outputs: 1, kernel: 3, height: 3, width: 3, prelu: false),
    Case(inputs: 1, outputs: 1, kernel: 3, height: 4, width: 4, prelu: true),
    Case(inputs: 7, outputs: 13, kernel: 3, height: 4, width: 70, prelu: true),
    Case(inputs: 5, outputs: 25, kernel: 3, height: 5, width: 99, prelu: true),
  ]

  /// Winograd F(2×2, 3×3) rounds a little more than direct sums (transformed inputs and weights
  /// are sums of several values), so the bound is relative to the outputs' scale; a wrong
  /// transform or a misplaced tile is off by the scale itself.
  @Test(arguments: winogradCases)
  func winogradMatchesDoublePrecision(_ c: Case) {
    for instructions in PlanarInstructions.supported {
      let (worst, scale) = Self.largestDifference(c, instructions: instructions, winograd: true)
      #expect(
        worst < 1e-5 * max(scale, 1),
        "\(instructions): largest difference \(worst) for outputs up to \(scale)")
    }
  }

  /// The largest difference between a `PlanarConvolution` of `c` and the double-precision
  /// reference, and the largest magnitude of the reference's outputs.
  static func largestDifference(
    _ c: Case, instructions: PlanarInstructions, winograd: Bool
  ) -> (worst: Double, scale: Double) {
    let (outH, outW) = (c.height - c.kernel + 1, c.width - c.kernel + 1)
    let taps = c.kernel * c.kernel
    let weights = ConvolutionReference.values(c.outputs * c.inputs * taps, seed: 1)
    let bias = ConvolutionReference.values(c.outputs, seed: 2)
    let slopes = c.prelu ? ConvolutionReference.values(c.outputs, seed: 3, scale: 0.5) : nil
    let input = ConvolutionReference.values(c.inputs * c.height * c.width, seed: 4, scale: 2)
    let expected = ConvolutionReference.convolution(
      input, inputs: c.inputs, height: c.height, width: c.width, weights: weights, bias: bias,
      slopes: slopes, kernel: c.kernel)
    let conv = PlanarConvolution(
      weights: weights, bias: bias, slopes: slopes, outputChannels: c.outputs,
      inputChannels: c.inputs, kernel: c.kernel, instructions: instructions, winograd: winograd)
    // Padded maps: the input's extra columns and slack hold large finite values, which must
    // reach no valid output; the output's extra columns may be written, its extra rows (none
    // here but the slack) not.
    let inStride = PlanarLayout.rowStride(width: c.width) + 32
    var padded = [Float](
      repeating: 1e6, count: c.inputs * c.height * inStride + PlanarLayout.slack)
    for i in 0..<c.inputs {
      for y in 0..<c.height {
        for x in 0..<c.width {
          padded[(i * c.height + y) * inStride + x] = input[(i * c.height + y) * c.width + x]
        }
      }
    }
    let outStride = PlanarLayout.rowStride(width: outW)
    var output = [Float](
      repeating: .nan, count: c.outputs * outH * outStride + PlanarLayout.slack)
    padded.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer { output in
        conv.run(
          input.baseAddress!, rowStride: inStride, planeStride: c.height * inStride,
          outputHeight: outH, outputWidth: outW, into: output.baseAddress!,
          outputRowStride: outStride, outputPlaneStride: outH * outStride)
      }
    }
    // NaN in the slack: nothing may be stored past the last plane (an odd height's extra row).
    var worst = output[(c.outputs * outH * outStride)...].allSatisfy(\.isNaN) ? 0.0 : .infinity
    var scale = 0.0
    for o in 0..<c.outputs {
      for y in 0..<outH {
        for x in 0..<outW {
          let got = Double(output[(o * outH + y) * outStride + x])
          let want = expected[(o * outH + y) * outW + x]
          let difference = abs(got - want)
          worst = difference <= worst ? worst : difference  // NaN counts as the worst
          scale = max(scale, abs(want))
        }
      }
    }
    return (worst, scale)
  }

  /// Convolution output sizes (input minus 2, or minus 0 for 1×1 kernels) with odd and even
  /// heights (1 to 11) and widths below a tile (1, 2, 31), at one (32), past one and at several
  /// (33, 63, 64, 65, 573); one fused block of up to 6 channels (3, 5, 6) or two (7, 10, 12);
  /// PReLU with slopes of both signs, and none.
  static let pooledCases = [
    Case(inputs: 3, outputs: 10, kernel: 3, height: 3, width: 3, prelu: true),
    Case(inputs: 3, outputs: 10, kernel: 3, height: 4, width: 4, prelu: true),
    Case(inputs: 3, outputs: 10, kernel: 3, height: 7, width: 33, prelu: true),
    Case(inputs: 3, outputs: 6, kernel: 3, height: 8, width: 34, prelu: false),
    Case(inputs: 2, outputs: 10, kernel: 3, height: 5, width: 35, prelu: true),
    Case(inputs: 3, outputs: 10, kernel: 3, height: 6, width: 65, prelu: false),
    Case(inputs: 1, outputs: 3, kernel: 3, height: 9, width: 66, prelu: true),
    Case(inputs: 3, outputs: 12, kernel: 3, height: 4, width: 67, prelu: true),
    Case(inputs: 3, outputs: 10, kernel: 3, height: 13, width: 575, prelu: true),
    Case(inputs: 4, outputs: 7, kernel: 3, height: 12, width: 96, prelu: true),
    Case(inputs: 3, outputs: 5, kernel: 1, height: 5, width: 33, prelu: true),
    Case(inputs: 4, outputs: 7, kernel: 1, height: 6, width: 64, prelu: false),
  ]

  /// `runPooled` against the double-precision convolution, PReLU and then the clipped 2×2
  /// maximum. The input's extra columns, an extra row under each plane and the slack hold ±1e6
  /// (both signs, so that whatever the weights' signs some sums that read them come out far
  /// above every valid one); the output is NaN outside the pooled planes and must stay so past
  /// the pooled width rounded up to 16, under each plane and in the slack.
  @Test(arguments: pooledCases)
  func fusedPoolMatchesConvolutionThenPool(_ c: Case) {
    let (outH, outW) = (c.height - c.kernel + 1, c.width - c.kernel + 1)
    let (poolH, poolW) = ((outH + 1) / 2, (outW + 1) / 2)
    let taps = c.kernel * c.kernel
    let weights = ConvolutionReference.values(c.outputs * c.inputs * taps, seed: 11)
    let bias = ConvolutionReference.values(c.outputs, seed: 12)
    let slopes = c.prelu ? ConvolutionReference.values(c.outputs, seed: 13) : nil
    let input = ConvolutionReference.values(c.inputs * c.height * c.width, seed: 14, scale: 2)
    let conv = ConvolutionReference.convolution(
      input, inputs: c.inputs, height: c.height, width: c.width, weights: weights, bias: bias,
      slopes: slopes, kernel: c.kernel)
    var expected = [Double](repeating: -.infinity, count: c.outputs * poolH * poolW)
    for o in 0..<c.outputs {
      for y in 0..<outH {
        for x in 0..<outW {
          let at = (o * poolH + y / 2) * poolW + x / 2
          expected[at] = max(expected[at], conv[(o * outH + y) * outW + x])
        }
      }
    }
    if let slopes {  // the reference must differ from pooling before the PReLU
      #expect(slopes.contains { $0 < 0 } && slopes.contains { $0 > 0 })
    }
    let inStride = PlanarLayout.rowStride(width: c.width) + 32
    let inPlane = (c.height + 1) * inStride
    let outStride = PlanarLayout.rowStride(width: poolW) + 32
    let outPlane = (poolH + 1) * outStride
    let written = (poolW + 15) / 16 * 16
    for instructions in PlanarInstructions.supported {
      let fused = PlanarConvolution(
        weights: weights, bias: bias, slopes: slopes, outputChannels: c.outputs,
        inputChannels: c.inputs, kernel: c.kernel, instructions: instructions, pooled: true)
      for fill: Float in [1e6, -1e6] {
        var padded = [Float](repeating: fill, count: c.inputs * inPlane + PlanarLayout.slack)
        for i in 0..<c.inputs {
          for y in 0..<c.height {
            for x in 0..<c.width {
              padded[i * inPlane + y * inStride + x] = input[(i * c.height + y) * c.width + x]
            }
          }
        }
        var output = [Float](repeating: .nan, count: c.outputs * outPlane + PlanarLayout.slack)
        padded.withUnsafeBufferPointer { input in
          output.withUnsafeMutableBufferPointer { output in
            fused.runPooled(
              input.baseAddress!, rowStride: inStride, planeStride: inPlane,
              convolutionHeight: outH, convolutionWidth: outW, into: output.baseAddress!,
              outputRowStride: outStride, outputPlaneStride: outPlane)
          }
        }
        var worst = 0.0
        var strays = 0
        for o in 0..<c.outputs {
          for y in 0...poolH {
            for x in 0..<outStride {
              let got = output[o * outPlane + y * outStride + x]
              if y < poolH, x < poolW {
                let difference = abs(Double(got) - expected[(o * poolH + y) * poolW + x])
                worst = difference <= worst ? worst : difference  // NaN counts as the worst
              } else if y == poolH || x >= written {
                strays += got.isNaN ? 0 : 1
              }
            }
          }
        }
        strays += output[(c.outputs * outPlane)...].filter { !$0.isNaN }.count
        #expect(worst < 1e-4, "\(instructions), fill \(fill): largest difference \(worst)")
        #expect(strays == 0, "\(instructions), fill \(fill): \(strays) floats written outside")
        // The plain convolution and pool add the same floats in the same order.
        let separate = Self.convolutionThenPool(
          c, weights: weights, bias: bias, slopes: slopes, instructions: instructions,
          input: padded, rowStride: inStride, planeStride: inPlane)
        var equal = true
        for o in 0..<c.outputs {
          for y in 0..<poolH {
            for x in 0..<poolW {
              equal =
                equal
                && output[o * outPlane + y * outStride + x] == separate[(o * poolH + y) * poolW + x]
            }
          }
        }
        #expect(equal, "\(instructions), fill \(fill): not the plain convolution and pool's floats")
      }
    }
  }

  /// `PlanarConvolution.run` and `planarMaxPool2Ceil` of `c` on `input` (laid out as given):
  /// `[outputs][pooled rows][pooled columns]`.
  static func convolutionThenPool(
    _ c: Case, weights: [Float], bias: [Float], slopes: [Float]?,
    instructions: PlanarInstructions, input: [Float], rowStride: Int, planeStride: Int
  ) -> [Float] {
    let (outH, outW) = (c.height - c.kernel + 1, c.width - c.kernel + 1)
    let (poolH, poolW) = ((outH + 1) / 2, (outW + 1) / 2)
    let conv = PlanarConvolution(
      weights: weights, bias: bias, slopes: slopes, outputChannels: c.outputs,
      inputChannels: c.inputs, kernel: c.kernel, instructions: instructions)
    let mapStride = PlanarLayout.rowStride(width: outW + 1)
    var map = [Float](repeating: 0, count: c.outputs * outH * mapStride + PlanarLayout.slack)
    let poolStride = PlanarLayout.rowStride(width: poolW)
    var pooled = [Float](repeating: 0, count: c.outputs * poolH * poolStride + PlanarLayout.slack)
    input.withUnsafeBufferPointer { input in
      map.withUnsafeMutableBufferPointer { map in
        pooled.withUnsafeMutableBufferPointer { pooled in
          conv.run(
            input.baseAddress!, rowStride: rowStride, planeStride: planeStride,
            outputHeight: outH, outputWidth: outW, into: map.baseAddress!,
            outputRowStride: mapStride, outputPlaneStride: outH * mapStride)
          planarMaxPool2Ceil(
            map.baseAddress!, channels: c.outputs, height: outH, width: outW,
            rowStride: mapStride, planeStride: outH * mapStride, into: pooled.baseAddress!,
            outputRowStride: poolStride, outputPlaneStride: poolH * poolStride,
            instructions: instructions)
        }
      }
    }
    return (0..<c.outputs * poolH * poolW).map { i in
      let (o, y, x) = (i / (poolH * poolW), i / poolW % poolH, i % poolW)
      return pooled[(o * poolH + y) * poolStride + x]
    }
  }

  @Test(arguments: [(5, 9), (6, 8), (1, 1), (7, 65), (4, 64), (3, 33)])
  func poolingTakesEachClippedWindowsMaximum(height: Int, width: Int) {
    let channels = 3
    let input = ConvolutionReference.values(channels * height * width, seed: 5)
    let (outH, outW) = ((height + 1) / 2, (width + 1) / 2)
    for instructions in PlanarInstructions.supported {
      let stride = PlanarLayout.rowStride(width: width + width % 2)
      // The columns past the width hold values larger than any input: a window that read them
      // would give them.
      var padded = [Float](repeating: 7, count: channels * height * stride + PlanarLayout.slack)
      for c in 0..<channels {
        for y in 0..<height {
          for x in 0..<width {
            padded[(c * height + y) * stride + x] = input[(c * height + y) * width + x]
          }
        }
      }
      let outStride = PlanarLayout.rowStride(width: outW)
      var output = [Float](repeating: .nan, count: channels * outH * outStride + PlanarLayout.slack)
      padded.withUnsafeMutableBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
          planarMaxPool2Ceil(
            input.baseAddress!, channels: channels, height: height, width: width,
            rowStride: stride, planeStride: height * stride, into: output.baseAddress!,
            outputRowStride: outStride, outputPlaneStride: outH * outStride,
            instructions: instructions)
        }
      }
      let expected = ConvolutionReference.maxPool(
        input, channels: channels, height: height, width: width, kernel: 2, stride: 2,
        outHeight: outH, outWidth: outW)
      for c in 0..<channels {
        for y in 0..<outH {
          for x in 0..<outW {
            #expect(
              output[(c * outH + y) * outStride + x] == expected[(c * outH + y) * outW + x],
              "\(instructions) channel \(c) (\(y), \(x))")
          }
        }
      }
    }
  }
}
