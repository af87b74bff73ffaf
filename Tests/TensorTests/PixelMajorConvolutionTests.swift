import Tensor
import Testing

/// `PixelMajorConvolution` and `pixelMajorMaxPool` under every instruction set this CPU runs,
/// against a double-precision convolution and a plain maximum of the same values: output counts
/// that fill 1 to 8 vectors (groups of 1–4 vectors, tiles of 6–12 pixels spanning rows, a
/// partial last tile), stored input channels past the real ones (which must meet zero weights),
/// and the zero channels past the real outputs.
@Suite(.enabled(if: PlanarInstructions.best != nil, "this CPU has neither AVX2 nor AVX-512"))
struct PixelMajorConvolutionTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var inputs: Int, stored: Int, outputs: Int, kernel: Int, height: Int, width: Int
    var prelu: Bool
    var testDescription: String {
      "\(inputs)(\(stored))→\(outputs) k\(kernel) \(height)×\(width)"
    }
  }

  /// R-Net's and O-Net's convolutions (inputs stored as the previous layer's 16-multiples),
  /// and a few odd shapes.
  static let cases = [
    Case(inputs: 3, stored: 3, outputs: 28, kernel: 3, height: 24, width: 24, prelu: true),
    Case(inputs: 28, stored: 32, outputs: 48, kernel: 3, height: 11, width: 11, prelu: true),
    Case(inputs: 48, stored: 48, outputs: 64, kernel: 2, height: 4, width: 4, prelu: true),
    Case(inputs: 64, stored: 64, outputs: 128, kernel: 2, height: 4, width: 4, prelu: true),
    Case(inputs: 32, stored: 32, outputs: 64, kernel: 3, height: 23, width: 23, prelu: true),
    Case(inputs: 5, stored: 16, outputs: 1, kernel: 1, height: 3, width: 5, prelu: false),
    Case(inputs: 7, stored: 9, outputs: 80, kernel: 3, height: 5, width: 9, prelu: false),
  ]

  /// Weights, bias, slopes (with `c.prelu`) and input for `c` from seeds `seed` to `seed + 3`,
  /// and their convolution in double precision (`[outputs][pixels]`).
  static func problem(_ c: Case, seed: UInt64) -> (
    weights: [Float], bias: [Float], slopes: [Float]?, input: [Float], expected: [Double]
  ) {
    let weights = ConvolutionReference.values(
      c.outputs * c.inputs * c.kernel * c.kernel, seed: seed)
    let bias = ConvolutionReference.values(c.outputs, seed: seed + 1)
    let slopes =
      c.prelu ? ConvolutionReference.values(c.outputs, seed: seed + 2, scale: 0.5) : nil
    let input = ConvolutionReference.values(
      c.inputs * c.height * c.width, seed: seed + 3, scale: 2)
    let expected = ConvolutionReference.convolution(
      input, inputs: c.inputs, height: c.height, width: c.width, weights: weights, bias: bias,
      slopes: slopes, kernel: c.kernel)
    return (weights, bias, slopes, input, expected)
  }

  /// `input` (`[inputs][height][width]`) pixel-major with `c.stored` channels a pixel, those
  /// past the real ones holding a large value that must meet zero weights.
  static func pixelMajor(_ input: [Float], _ c: Case) -> [Float] {
    var pixels = [Float](repeating: 1e6, count: c.height * c.width * c.stored)
    for i in 0..<c.inputs {
      for p in 0..<(c.height * c.width) {
        pixels[p * c.stored + i] = input[i * c.height * c.width + p]
      }
    }
    return pixels
  }

  /// The largest difference of `output`'s real channels (`[pixels][stored]`) from `expected`
  /// (`[outputs][pixels]`), and the largest magnitude in its padding channels; a NaN (an output
  /// never written) counts as infinite.
  static func differences(
    _ output: [Float], _ expected: [Double], outputs: Int, stored: Int, pixels: Int
  ) -> (worst: Double, padding: Float) {
    var worst = 0.0
    var padding: Float = 0
    for p in 0..<pixels {
      for o in 0..<stored {
        let got = output[p * stored + o]
        if o < outputs {
          let difference = abs(Double(got) - expected[o * pixels + p])
          worst = max(worst, difference.isNaN ? .infinity : difference)
        } else {
          padding = max(padding, got.isNaN ? .infinity : abs(got))
        }
      }
    }
    return (worst, padding)
  }

  @Test(arguments: cases)
  func convolutionMatchesDoublePrecision(_ c: Case) {
    let (outH, outW) = (c.height - c.kernel + 1, c.width - c.kernel + 1)
    let (weights, bias, slopes, input, expected) = Self.problem(c, seed: 11)
    let pixels = Self.pixelMajor(input, c)
    for instructions in PlanarInstructions.supported {
      let conv = PixelMajorConvolution(
        weights: weights, bias: bias, slopes: slopes, outputChannels: c.outputs,
        inputChannels: c.inputs, storedInputChannels: c.stored, kernel: c.kernel,
        instructions: instructions)
      let stored = conv.storedOutputChannels
      #expect(stored % 16 == 0 && stored >= c.outputs && stored < c.outputs + 16)
      var output = [Float](repeating: .nan, count: outH * outW * stored)
      pixels.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
          conv.run(input.baseAddress!, height: c.height, width: c.width, into: output.baseAddress!)
        }
      }
      let (worst, padding) = Self.differences(
        output, expected, outputs: c.outputs, stored: stored, pixels: outH * outW)
      #expect(worst < 1e-4, "\(instructions): largest difference \(worst)")
      #expect(padding == 0, "\(instructions): the padding channels hold \(padding)")
    }
  }

  /// The 3×3 convolutions Winograd F(2×2, 3×3) may run: R-Net's conv2 and O-Net's conv2 and
  /// conv3 (inputs stored as the previous layer's 16-multiples), and small even and odd sizes
  /// (a single tile; a last row or column of tiles half outside the map), with stored input
  /// channels past the real ones and no PReLU.
  static let winogradCases = [
    Case(inputs: 28, stored: 32, outputs: 48, kernel: 3, height: 11, width: 11, prelu: true),
    Case(inputs: 32, stored: 32, outputs: 64, kernel: 3, height: 23, width: 23, prelu: true),
    Case(inputs: 64, stored: 64, outputs: 64, kernel: 3, height: 10, width: 10, prelu: true),
    Case(inputs: 3, stored: 3, outputs: 5, kernel: 3, height: 3, width: 3, prelu: true),
    Case(inputs: 4, stored: 16, outputs: 16, kernel: 3, height: 4, width: 4, prelu: false),
    Case(inputs: 7, stored: 9, outputs: 80, kernel: 3, height: 5, width: 7, prelu: true),
    Case(inputs: 17, stored: 20, outputs: 33, kernel: 3, height: 8, width: 13, prelu: false),
    Case(inputs: 16, stored: 16, outputs: 32, kernel: 3, height: 24, width: 24, prelu: true),
  ]

  /// Winograd F(2×2, 3×3) rounds a little more than direct sums (transformed inputs and weights
  /// are sums of several values), so the bound is relative to the outputs' scale; a wrong
  /// transform or a misplaced tile is off by about the scale itself. Output pixels the kernel
  /// did not write keep their NaN and fail.
  @Test(arguments: winogradCases)
  func winogradMatchesDoublePrecision(_ c: Case) {
    let (outH, outW) = (c.height - 2, c.width - 2)
    let (weights, bias, slopes, input, expected) = Self.problem(c, seed: 21)
    let scale = expected.map(abs).max()!
    let pixels = Self.pixelMajor(input, c)
    for instructions in PlanarInstructions.supported {
      let conv = PixelMajorConvolution(
        weights: weights, bias: bias, slopes: slopes, outputChannels: c.outputs,
        inputChannels: c.inputs, storedInputChannels: c.stored, kernel: 3,
        instructions: instructions, winograd: true)
      let stored = conv.storedOutputChannels
      // 64 floats past the output, which must stay NaN.
      var output = [Float](repeating: .nan, count: outH * outW * stored + 64)
      var scratch = [Float](repeating: .nan, count: conv.scratchCount)
      pixels.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
          scratch.withUnsafeMutableBufferPointer { scratch in
            conv.run(
              input.baseAddress!, height: c.height, width: c.width, into: output.baseAddress!,
              scratch: scratch.baseAddress!)
          }
        }
      }
      let (worst, padding) = Self.differences(
        output, expected, outputs: c.outputs, stored: stored, pixels: outH * outW)
      #expect(
        worst < 1e-5 * max(scale, 1),
        "\(instructions): largest difference \(worst) for outputs up to \(scale)")
      #expect(padding == 0, "\(instructions): the padding channels hold \(padding)")
      let past = output[(outH * outW * stored)...].filter { !$0.isNaN }.count
      #expect(past == 0, "\(instructions): \(past) floats written past the output")
    }
  }

  /// R-Net's and O-Net's pools (3×3 every 2, 2×2 every 2) on even and odd sides.
  @Test(arguments: [(22, 3, 2, 11), (9, 3, 2, 4), (8, 2, 2, 4), (21, 3, 2, 10), (5, 2, 2, 3)])
  func poolingTakesEachClippedWindowsMaximum(side: Int, kernel: Int, stride: Int, out: Int) {
    let channels = 32
    let input = ConvolutionReference.values(channels * side * side, seed: 15)
    var pixels = [Float](repeating: 0, count: input.count)
    for c in 0..<channels {
      for p in 0..<(side * side) { pixels[p * channels + c] = input[c * side * side + p] }
    }
    var output = [Float](repeating: .nan, count: out * out * channels)
    pixels.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer { output in
        pixelMajorMaxPool(
          input.baseAddress!, height: side, width: side, channels: channels, kernel: kernel,
          stride: stride, outHeight: out, outWidth: out, into: output.baseAddress!)
      }
    }
    let expected = ConvolutionReference.maxPool(
      input, channels: channels, height: side, width: side, kernel: kernel, stride: stride,
      outHeight: out, outWidth: out)
    for c in 0..<channels {
      for p in 0..<(out * out) {
        #expect(output[p * channels + c] == expected[c * out * out + p], "channel \(c) pixel \(p)")
      }
    }
  }
}
