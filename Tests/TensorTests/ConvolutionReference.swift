import Tensor

/// Convolutions and pools in double precision, the oracle of the planar and pixel-major kernels.
enum ConvolutionReference {
  /// Valid, stride-1 convolution of `input` (`[inputs][height][width]`) with `weights`
  /// (`[outputs][inputs][kernel][kernel]`), plus `bias`, then a PReLU with `slopes` when given:
  /// `[outputs][height − kernel + 1][width − kernel + 1]`.
  static func convolution(
    _ input: [Float], inputs: Int, height: Int, width: Int, weights: [Float], bias: [Float],
    slopes: [Float]?, kernel: Int
  ) -> [Double] {
    let outputs = bias.count
    let (outH, outW) = (height - kernel + 1, width - kernel + 1)
    var result = [Double](repeating: 0, count: outputs * outH * outW)
    for o in 0..<outputs {
      for y in 0..<outH {
        for x in 0..<outW {
          var sum = Double(bias[o])
          for i in 0..<inputs {
            for ky in 0..<kernel {
              for kx in 0..<kernel {
                sum +=
                  Double(weights[((o * inputs + i) * kernel + ky) * kernel + kx])
                  * Double(input[(i * height + y + ky) * width + x + kx])
              }
            }
          }
          if let slopes, sum < 0 { sum *= Double(slopes[o]) }
          result[(o * outH + y) * outW + x] = sum
        }
      }
    }
    return result
  }

  /// Max pooling of `[channels][height][width]` with a `kernel × kernel` window every `stride`
  /// pixels, windows past the edge clipped (ceil mode): `[channels][outHeight][outWidth]`.
  static func maxPool(
    _ input: [Float], channels: Int, height: Int, width: Int, kernel: Int, stride: Int,
    outHeight: Int, outWidth: Int
  ) -> [Float] {
    var result = [Float](repeating: 0, count: channels * outHeight * outWidth)
    for c in 0..<channels {
      for y in 0..<outHeight {
        for x in 0..<outWidth {
          var best = -Float.infinity
          for dy in 0..<kernel where y * stride + dy < height {
            for dx in 0..<kernel where x * stride + dx < width {
              best = max(best, input[(c * height + y * stride + dy) * width + x * stride + dx])
            }
          }
          result[(c * outHeight + y) * outWidth + x] = best
        }
      }
    }
    return result
  }

  /// `count` values in −scale…scale from `seed`.
  static func values(_ count: Int, seed: UInt64, scale: Double = 1) -> [Float] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      Float((Double(random.next() >> 11) / Double(1 << 53) * 2 - 1) * scale)
    }
  }
}
