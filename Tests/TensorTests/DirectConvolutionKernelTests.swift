import Tensor
import Testing

/// ``DirectConvolutionKernel`` against the definition summed in `Double`, on parts of the
/// output (a range of channels and of rows), over input planes whose rows and channels are
/// further apart than the rows need (as in a padded or batched layout), for rows of every
/// width class: under 8 columns (scalar), 8 to 15 (8-column blocks) and longer (16-column
/// blocks, the last one overlapping).
@Suite struct DirectConvolutionKernelTests {
  /// One call: `channels` planes of `height × width` inside rows of `rowStride`,
  /// `outputs` channels of which `part` are computed, rows `rows`.
  struct Case: CustomTestStringConvertible, Sendable {
    var channels: Int
    var height: Int
    var width: Int
    var kernel: Int
    var outputs: Int
    var part: Range<Int>
    var rows: Range<Int>
    var testDescription: String {
      "\(channels)→\(outputs) [\(part)] \(kernel)×\(kernel) on \(height)×\(width), rows \(rows)"
    }
  }

  static let cases: [Case] = [
    Case(channels: 3, height: 9, width: 41, kernel: 3, outputs: 10, part: 0..<10, rows: 0..<7),
    Case(channels: 2, height: 8, width: 14, kernel: 3, outputs: 7, part: 2..<7, rows: 1..<5),
    Case(channels: 4, height: 6, width: 6, kernel: 3, outputs: 5, part: 0..<5, rows: 0..<4),
    Case(channels: 5, height: 7, width: 20, kernel: 2, outputs: 4, part: 1..<3, rows: 3..<6),
    Case(channels: 1, height: 5, width: 37, kernel: 5, outputs: 9, part: 4..<9, rows: 0..<1),
    Case(channels: 6, height: 4, width: 24, kernel: 1, outputs: 3, part: 0..<3, rows: 0..<4),
  ]

  @Test(
    "computes the chosen channels and rows of the definition, and nothing else", arguments: cases)
  func matchesDefinition(_ c: Case) {
    let (rowStride, channelStride) = (c.width + 3, (c.width + 3) * (c.height + 2))
    let x = (0..<c.channels * channelStride).map { Float(($0 * 37 + 5) % 31) / 15 - 1 }
    let w = (0..<c.outputs * c.channels * c.kernel * c.kernel).map {
      Float(($0 * 23 + 7) % 19) / 9 - 1
    }
    let (oh, ow) = (c.height - c.kernel + 1, c.width - c.kernel + 1)
    let outputStride = oh * ow + 5
    var y = [Float](repeating: .nan, count: c.outputs * outputStride)
    x.withUnsafeBufferPointer { xp in
      DirectConvolutionKernel.forward(
        DirectConvolutionKernel.Planes(
          base: xp.baseAddress!, channels: c.channels, channelStride: channelStride,
          rowStride: rowStride), kernelHeight: c.kernel, kernelWidth: c.kernel, weight: w,
        outputs: c.part, rows: c.rows, outputWidth: ow, into: &y,
        outputChannelStride: outputStride)
    }
    for o in 0..<c.outputs {
      for oy in 0..<oh {
        for ox in 0..<ow {
          let got = y[o * outputStride + oy * ow + ox]
          guard c.part.contains(o), c.rows.contains(oy) else {
            #expect(got.isNaN, "o \(o) y \(oy) x \(ox) written")
            continue
          }
          var sum = 0.0
          for ch in 0..<c.channels {
            for ky in 0..<c.kernel {
              for kx in 0..<c.kernel {
                let weight = w[((o * c.channels + ch) * c.kernel + ky) * c.kernel + kx]
                let input = x[ch * channelStride + (oy + ky) * rowStride + ox + kx]
                sum += Double(weight) * Double(input)
              }
            }
          }
          #expect(abs(Double(got) - sum) <= 1e-5 * (1 + abs(sum)), "o \(o) y \(oy) x \(ox)")
        }
      }
    }
  }
}
