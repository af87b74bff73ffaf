import Tensor
import Testing

/// `Int8Convolution` (AVX-512 VNNI) against a double-precision convolution of the same values:
/// input bytes (padding channels included) with a random step and zero point per channel, and
/// weights drawn so that, times their input channel's step, they lie on their output
/// channel's quantization grid (quantizing them loses nothing). The sums are then exact and
/// only the float epilogue rounds. Skipped on CPUs without the int8 kernels.
@Suite(.enabled(if: Int8Convolution.isSupported, "this CPU has no AVX-512 VNNI"))
struct Int8ConvolutionTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var inputs: Int, outputs: Int, kernel: Int, height: Int, width: Int, prelu: Bool
    var testDescription: String { "\(inputs)→\(outputs) k\(kernel) \(height)×\(width)" }
  }

  /// P-Net's four layers, a two-block layer with a partial second block, a 2×2 kernel, and
  /// layers of 3 and 5 blocks (taken in pairs, then one) whose 8-pixel tiles span output rows.
  static let cases = [
    Case(inputs: 3, outputs: 10, kernel: 3, height: 9, width: 21, prelu: true),
    Case(inputs: 10, outputs: 16, kernel: 3, height: 7, width: 13, prelu: true),
    Case(inputs: 16, outputs: 32, kernel: 3, height: 6, width: 19, prelu: true),
    Case(inputs: 32, outputs: 6, kernel: 1, height: 5, width: 11, prelu: false),
    Case(inputs: 5, outputs: 20, kernel: 2, height: 4, width: 10, prelu: true),
    Case(inputs: 8, outputs: 48, kernel: 3, height: 6, width: 11, prelu: true),
    Case(inputs: 20, outputs: 80, kernel: 3, height: 7, width: 7, prelu: false),
  ]

  struct Layer {
    var weights: [Float]
    var bias: [Float]
    var slopes: [Float]?
    var input: [UInt8]
    var quantization: ByteQuantization
  }

  static func layer(_ c: Case, seed: UInt64) -> Layer {
    var random = SplitMix64(seed: seed)
    func unit() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
    let taps = c.kernel * c.kernel
    let quantization = ByteQuantization(
      steps: (0..<c.inputs).map { _ in Float(0.01 + 0.1 * unit()) },
      zeroPoints: (0..<c.inputs).map { _ in Float(Int(unit() * 256)) })
    var weights: [Float] = []
    for _ in 0..<c.outputs {
      let step = Float(0.001 + 0.05 * unit())
      var q = (0..<(c.inputs * taps)).map { _ in Int(unit() * 255) - 127 }
      q[Int(unit() * Double(q.count))] = unit() < 0.5 ? 127 : -127
      // Weight (channel i) · step_i = q · step.
      weights += q.enumerated().map { k, q in Float(q) * step / quantization.steps[k / taps] }
    }
    let stored = (c.inputs + 3) / 4 * 4
    return Layer(
      weights: weights, bias: (0..<c.outputs).map { _ in Float(unit() - 0.5) },
      slopes: c.prelu ? (0..<c.outputs).map { _ in Float(unit() * 0.5) } : nil,
      input: (0..<(c.height * c.width * stored)).map { _ in UInt8(unit() * 256) },
      quantization: quantization)
  }

  /// Output `o` at `(y, x)` in double precision, and the sum of its terms' magnitudes.
  static func reference(_ c: Case, _ l: Layer, o: Int, y: Int, x: Int) -> (Double, Double) {
    let stored = (c.inputs + 3) / 4 * 4
    var sum = Double(l.bias[o])
    var size = abs(sum)
    for i in 0..<c.inputs {
      for ky in 0..<c.kernel {
        for kx in 0..<c.kernel {
          let byte = l.input[((y + ky) * c.width + x + kx) * stored + i]
          let value =
            (Double(byte) - Double(l.quantization.zeroPoints[i]))
            * Double(l.quantization.steps[i])
          let term = value * Double(l.weights[((o * c.inputs + i) * c.kernel + ky) * c.kernel + kx])
          sum += term
          size += abs(term)
        }
      }
    }
    if let slopes = l.slopes, sum < 0 { sum *= Double(slopes[o]) }
    return (sum, size)
  }

  static func convolution(_ c: Case, _ l: Layer) -> Int8Convolution {
    Int8Convolution(
      weights: l.weights, bias: l.bias, outputChannels: c.outputs, inputChannels: c.inputs,
      kernel: c.kernel, input: l.quantization, slopes: l.slopes)
  }

  @Test(arguments: cases)
  func floatsMatchTheDoubleConvolution(_ c: Case) {
    let l = Self.layer(c, seed: 11)
    let conv = Self.convolution(c, l)
    let (oh, ow) = conv.outputSize(height: c.height, width: c.width)
    var out = [Float](repeating: .nan, count: c.outputs * oh * ow)
    l.input.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { out in
        conv.floats(
          input.baseAddress!, height: c.height, width: c.width, into: out.baseAddress!,
          planeStride: oh * ow)
      }
    }
    var worst = 0.0
    for o in 0..<c.outputs {
      for y in 0..<oh {
        for x in 0..<ow {
          let (expected, size) = Self.reference(c, l, o: o, y: y, x: x)
          let error = abs(Double(out[(o * oh + y) * ow + x]) - expected) / (size + 1e-3)
          worst = max(worst, error)
        }
      }
    }
    #expect(worst < 1e-5)
  }

  @Test(arguments: cases)
  func bytesAreTheRoundedValues(_ c: Case) {
    let l = Self.layer(c, seed: 12)
    let conv = Self.convolution(c, l)
    let (oh, ow) = conv.outputSize(height: c.height, width: c.width)
    let stored = (c.outputs + 3) / 4 * 4
    var random = SplitMix64(seed: 13)
    let output = ByteQuantization(
      steps: (0..<c.outputs).map { _ in 0.02 + Float(random.next() % 1000) / 10_000 },
      zeroPoints: (0..<c.outputs).map { _ in Float(random.next() % 256) })
    var out = [UInt8](repeating: 7, count: stored * oh * ow)
    l.input.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { out in
        conv.bytes(
          input.baseAddress!, height: c.height, width: c.width, quantization: output,
          storedOutputChannels: stored, into: out.baseAddress!)
      }
    }
    var exact = 0
    var total = 0
    for y in 0..<oh {
      for x in 0..<ow {
        for o in 0..<stored {
          let got = Int(out[(y * ow + x) * stored + o])
          guard o < c.outputs else {
            #expect(got == 128, "padding channel \(o) holds \(got)")
            continue
          }
          let (value, _) = Self.reference(c, l, o: o, y: y, x: x)
          let level = value / Double(output.steps[o]) + Double(output.zeroPoints[o])
          let expected = min(255, max(0, Int(level.rounded())))
          #expect(abs(got - expected) <= 1, "o \(o) y \(y) x \(x): \(got) vs \(expected)")
          exact += got == expected ? 1 : 0
          total += 1
        }
      }
    }
    // Off by one only where the value lies within float rounding of a half step.
    #expect(Double(exact) / Double(total) > 0.99)
  }

  @Test func rangesGiveStepsAndZeroPointsThatHoldZero() {
    let q = ByteQuantization(minimum: [-1, 0, 2, 0], maximum: [2.5, 5.1, 3, 0])
    let steps: [Float] = [3.5 / 255, 5.1 / 255, 3 / 255, 1]
    let first: Float = (1 / steps[0]).rounded()
    let zeroPoints: [Float] = [first, 0, 0, 0]
    #expect(q.steps == steps)
    #expect(q.zeroPoints == zeroPoints)
  }

  @Test func quantizingRoundsClampsAndFillsThePadding() {
    // Two planes of 1×4 values at step 0.5, zero points 128 and 100: bytes value/0.5 + zero
    // point, rounded half up, clamped.
    let values: [Float] = [0, 0.74, -0.76, 200, -1.0, 63.4, -64.2, -70]
    var out = [UInt8](repeating: 0, count: 4 * 3)
    values.withUnsafeBufferPointer { v in
      out.withUnsafeMutableBufferPointer { o in
        ByteActivations.quantize(
          height: 1, width: 4, from: v.baseAddress!, rowStride: 4, planeStride: 4,
          quantization: ByteQuantization(steps: [0.5, 0.5], zeroPoints: [128, 100]), channels: 3,
          into: o.baseAddress!)
      }
    }
    #expect(out == [128, 98, 128, 129, 227, 128, 126, 0, 128, 255, 0, 128])
  }

  /// The strided form writes the same bytes as the packed one, inside a padded buffer whose
  /// border and spare bytes it leaves alone.
  @Test func stridedBytesLandInsideAPaddedBuffer() {
    let c = Self.cases.last!
    let l = Self.layer(c, seed: 14)
    let conv = Self.convolution(c, l)
    let (oh, ow) = conv.outputSize(height: c.height, width: c.width)
    let output = ByteQuantization(
      steps: (0..<c.outputs).map { Float($0 % 7 + 1) * 0.05 },
      zeroPoints: [Float](repeating: 0, count: c.outputs))
    var packed = [UInt8](repeating: 0, count: oh * ow * c.outputs)
    let stride = c.outputs + 4
    let row = (ow + 2) * stride
    var padded = [UInt8](repeating: 7, count: (oh + 2) * row)
    l.input.withUnsafeBufferPointer { input in
      packed.withUnsafeMutableBufferPointer { out in
        conv.bytes(
          input.baseAddress!, height: c.height, width: c.width, quantization: output,
          storedOutputChannels: c.outputs, into: out.baseAddress!)
      }
      padded.withUnsafeMutableBufferPointer { out in
        conv.bytes(
          input.baseAddress!, height: c.height, width: c.width, quantization: output,
          into: out.baseAddress! + row + stride, rowStride: row, pixelStride: stride)
      }
    }
    for y in 0..<(oh + 2) {
      for x in 0..<(ow + 2) {
        for k in 0..<stride {
          let got = padded[y * row + x * stride + k]
          if (1...oh).contains(y), (1...ow).contains(x), k < c.outputs {
            #expect(got == packed[((y - 1) * ow + x - 1) * c.outputs + k])
          } else {
            #expect(got == 7, "y \(y) x \(x) byte \(k) was overwritten")
          }
        }
      }
    }
  }

  @Test func maxPoolingTakesEachWindowsLargestByte() {
    let (h, w, channels) = (5, 7, 12)
    var random = SplitMix64(seed: 15)
    let input = (0..<(h * w * channels)).map { _ in UInt8(random.next() % 256) }
    let rowStride = (w / 2 + 1) * channels
    var out = [UInt8](repeating: 9, count: (h / 2) * rowStride)
    input.withUnsafeBufferPointer { i in
      out.withUnsafeMutableBufferPointer { o in
        ByteActivations.maxPool2(
          i.baseAddress!, height: h, width: w, channels: channels, into: o.baseAddress!,
          rowStride: rowStride)
      }
    }
    for y in 0..<(h / 2) {
      for x in 0..<(w / 2 + 1) {
        for c in 0..<channels {
          let got = out[y * rowStride + x * channels + c]
          guard x < w / 2 else {
            #expect(got == 9)
            continue
          }
          let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map {
            input[((2 * y + $0.0) * w + 2 * x + $0.1) * channels + c]
          }
          #expect(got == window.max()!)
        }
      }
    }
  }

  /// MTCNN's pools (`ceil_mode`): 3×3 stride 2 on 22, 9, 46, 21 and 2×2 stride 2 on 8, and a
  /// 2×2 stride 2 on 7, whose last window is cut by the edge.
  @Test(arguments: [
    (22, 3, 2, 11), (9, 3, 2, 4), (46, 3, 2, 23), (21, 3, 2, 10), (8, 2, 2, 4), (7, 2, 2, 4),
  ])
  func ceilPoolingTakesEachClippedWindowsLargestByte(
    _ side: Int, _ kernel: Int, _ stride: Int, _ out: Int
  ) {
    let channels = 8
    var random = SplitMix64(seed: UInt64(side * 10 + kernel))
    let input = (0..<(side * (side + 1) * channels)).map { _ in UInt8(random.next() % 256) }
    // Rows of `side + 1` pixels, `side` rows: a non-square map.
    let (h, w) = (side, side + 1)
    // PyTorch's ceil_mode length: ⌈(n − kernel) / stride⌉ + 1, less one if that window starts
    // past the end.
    func length(_ n: Int) -> Int {
      let l = (n - kernel + stride - 1) / stride + 1
      return (l - 1) * stride >= n ? l - 1 : l
    }
    let (oh, ow) = (length(h), length(w))
    #expect(oh == out)
    var pooled = [UInt8](repeating: 0, count: oh * ow * channels)
    input.withUnsafeBufferPointer { i in
      pooled.withUnsafeMutableBufferPointer { o in
        ByteActivations.maxPool(
          i.baseAddress!, height: h, width: w, channels: channels, kernel: kernel,
          stride: stride, outHeight: oh, outWidth: ow, into: o.baseAddress!)
      }
    }
    for y in 0..<oh {
      for x in 0..<ow {
        for c in 0..<channels {
          var best: UInt8 = 0
          for dy in 0..<kernel where y * stride + dy < h {
            for dx in 0..<kernel where x * stride + dx < w {
              best = max(best, input[((y * stride + dy) * w + x * stride + dx) * channels + c])
            }
          }
          #expect(pooled[(y * ow + x) * channels + c] == best, "(\(y), \(x), \(c))")
        }
      }
    }
  }
}
