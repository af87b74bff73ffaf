/// Alpha is composited over white: decoded images carry no alpha channel, and a white
/// background suits photos and cut-out faces better than black (what dropping the alpha of
/// premultiplied-looking transparent pixels often gives).
enum AlphaCompositing {
  /// Pixels with `colourChannels` colour values followed by one alpha value each, composited
  /// over white: out = (c * a + 255 * (255 - a)) / 255, rounded to nearest.
  static func overWhite(_ pixels: [UInt8], colourChannels: Int) -> [UInt8] {
    let stride = colourChannels + 1
    let count = pixels.count / stride
    return [UInt8](unsafeUninitializedCapacity: count * colourChannels) { out, initialized in
      pixels.withUnsafeBufferPointer { source in
        for i in 0..<count {
          let a = UInt32(source[i * stride + colourChannels])
          let background = 255 * (255 - a) + 127
          for c in 0..<colourChannels {
            out[i * colourChannels + c] = UInt8(
              (UInt32(source[i * stride + c]) * a + background) / 255)
          }
        }
      }
      initialized = count * colourChannels
    }
  }
}
