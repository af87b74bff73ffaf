import Tensor
import Testing

/// `PlanarConvolution` and `planarMaxPool2Ceil` under every instruction set this CPU runs,
/// against a double-precision convolution and a plain maximum of the same values, on maps whose
/// widths are not multiples of the 32-column tile and whose row strides and slack hold values
/// the kernels must not mix into valid outputs.
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
