extension Image {
  /// Paints the `width` × `height` rectangle at (`x`, `y`) with `colour`. Parts outside the image
  /// are ignored; an empty or negative size draws nothing.
  public mutating func fillRectangle(x: Int, y: Int, width w: Int, height h: Int, colour: Colour) {
    guard let (x0, y0, x1, y1) = clippedBounds(x: x, y: y, width: w, height: h) else { return }
    let value = colour.components(channels: channels)
    let c = channels
    let imageWidth = width
    pixels.withUnsafeMutableBufferPointer { out in
      for row in y0..<y1 {
        var i = (row * imageWidth + x0) * c
        for _ in x0..<x1 {
          for k in 0..<c { out[i + k] = value[k] }
          i += c
        }
      }
    }
  }

  /// Draws the outline of the `width` × `height` rectangle at (`x`, `y`), `thickness` pixels wide
  /// and lying inside the rectangle (its outer edge is the rectangle's edge). Parts outside the
  /// image are ignored; a thickness below 1 draws nothing.
  public mutating func strokeRectangle(
    x: Int, y: Int, width w: Int, height h: Int, thickness: Int, colour: Colour
  ) {
    guard thickness >= 1, w > 0, h > 0, clippedBounds(x: x, y: y, width: w, height: h) != nil
    else { return }
    let t = min(thickness, (min(w, h) + 1) / 2)
    // Edges further than t outside the image are invisible: moving them to just outside keeps
    // every sum below in range without changing a visible pixel.
    let (right, rightOverflow) = x.addingReportingOverflow(w)
    let (bottom, bottomOverflow) = y.addingReportingOverflow(h)
    let left = max(x, -t - 1)
    let top = max(y, -t - 1)
    let r = rightOverflow ? width + t + 1 : min(right, width + t + 1)
    let b = bottomOverflow ? height + t + 1 : min(bottom, height + t + 1)
    let (cw, ch) = (r - left, b - top)
    fillRectangle(x: left, y: top, width: cw, height: t, colour: colour)
    fillRectangle(x: left, y: b - t, width: cw, height: t, colour: colour)
    fillRectangle(x: left, y: top + t, width: t, height: ch - 2 * t, colour: colour)
    fillRectangle(x: r - t, y: top + t, width: t, height: ch - 2 * t, colour: colour)
  }

  /// The part of a rectangle inside the image as half-open bounds, or nil when none is.
  func clippedBounds(x: Int, y: Int, width w: Int, height h: Int) -> (Int, Int, Int, Int)? {
    guard w > 0, h > 0 else { return nil }
    // w, h > 0, so a sum can only overflow upwards: past the image either way.
    let (right, rightOverflow) = x.addingReportingOverflow(w)
    let (bottom, bottomOverflow) = y.addingReportingOverflow(h)
    let x0 = min(max(x, 0), width)
    let y0 = min(max(y, 0), height)
    let x1 = rightOverflow ? width : min(max(right, 0), width)
    let y1 = bottomOverflow ? height : min(max(bottom, 0), height)
    guard x1 > x0, y1 > y0 else { return nil }
    return (x0, y0, x1, y1)
  }
}
