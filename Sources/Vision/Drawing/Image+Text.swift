extension Image {
  /// Blends `text` onto the image with its top-left corner at (`x`, `y`), in `colour`, each pixel
  /// mixed by the mask's coverage (rounded to nearest). Parts outside the image are ignored.
  public mutating func draw(_ text: TextBitmap, x: Int, y: Int, colour: Colour) {
    guard let (x0, y0, x1, y1) = clippedBounds(x: x, y: y, width: text.width, height: text.height)
    else { return }
    let value = colour.components(channels: channels)
    let c = channels
    let imageWidth = width
    pixels.withUnsafeMutableBufferPointer { out in
      for row in y0..<y1 {
        for column in x0..<x1 {
          let alpha = Int(text.coverage[(row - y) * text.width + (column - x)])
          guard alpha > 0 else { continue }
          let i = (row * imageWidth + column) * c
          for k in 0..<c {
            let mixed = (Int(value[k]) * alpha + Int(out[i + k]) * (255 - alpha) + 127) / 255
            out[i + k] = UInt8(mixed)
          }
        }
      }
    }
  }
}
