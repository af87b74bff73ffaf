import Vision

/// Composes equally sized tiles (weight images, eigenfaces, sample faces) into one `Image`,
/// row by row, with `padding` pixels of `background` around and between tiles. No text: the
/// caller captions the grid elsewhere.
public enum ImageGrid {
  /// How tile values become 0…255 grey levels.
  public enum Scaling: Sendable, Equatable {
    /// Each tile's own minimum → 0 and maximum → 255 (a constant tile becomes 128).
    case perTile
    /// The minimum → 0 and maximum over all tiles → 255, keeping tiles comparable.
    case shared
    /// Values are already grey levels: rounded and clamped to 0…255.
    case clamp
  }

  /// The largest grid dimension accepted, to refuse absurd sizes instead of allocating them.
  public static let maximumSide = 16384

  /// A grey grid of `tiles`, each `tileWidth × tileHeight` values in row-major order, with
  /// `columns` tiles per row (default: as square as possible). Non-finite values count as the
  /// tile's minimum.
  public static func compose(
    tiles: [[Float]], tileWidth: Int, tileHeight: Int, columns: Int? = nil, padding: Int = 2,
    background: UInt8 = 255, scaling: Scaling = .perTile
  ) throws(ChartError) -> Image {
    guard !tiles.isEmpty else { throw .empty("image grid with no tiles") }
    guard tileWidth > 0, tileHeight > 0 else {
      throw .invalidSize("tile size \(tileWidth)x\(tileHeight)")
    }
    for (i, tile) in tiles.enumerated() where tile.count != tileWidth * tileHeight {
      throw .lengthMismatch("tile \(i) has \(tile.count) values for \(tileWidth)x\(tileHeight)")
    }
    let grey = tiles.map { tile in tile.map { $0.isFinite ? $0 : -Float.infinity } }
    func range(_ values: [Float]) -> (Float, Float) {
      let finite = values.filter(\.isFinite)
      return (finite.min() ?? 0, finite.max() ?? 0)
    }
    let sharedRange = scaling == .shared ? range(grey.flatMap { $0 }) : (0, 0)
    let levels: [[UInt8]] = grey.map { tile in
      let (lo, hi): (Float, Float)
      switch scaling {
      case .clamp: (lo, hi) = (0, 255)
      case .shared: (lo, hi) = sharedRange
      case .perTile: (lo, hi) = range(tile)
      }
      return tile.map { v in
        guard hi > lo else { return 128 }
        let x = v.isFinite ? (v - lo) / (hi - lo) * 255 : 0
        return UInt8(min(255, max(0, x.rounded())))
      }
    }
    let layout = try Layout(
      count: tiles.count, width: tileWidth, height: tileHeight, columns: columns, padding: padding)
    var image = Image(width: layout.width, height: layout.height, channels: 1)
    image.pixels = [UInt8](repeating: background, count: layout.width * layout.height)
    for (i, tile) in levels.enumerated() {
      let (x0, y0) = layout.origin(i)
      for y in 0..<tileHeight {
        let row = (y0 + y) * layout.width + x0
        image.pixels.replaceSubrange(
          row..<(row + tileWidth), with: tile[(y * tileWidth)..<((y + 1) * tileWidth)])
      }
    }
    return image
  }

  /// A grid of images that share one size and channel count (e.g. sample faces per class).
  public static func compose(
    images: [Image], columns: Int? = nil, padding: Int = 2, background: UInt8 = 255
  ) throws(ChartError) -> Image {
    guard let first = images.first else { throw .empty("image grid with no images") }
    for (i, im) in images.enumerated()
    where im.width != first.width || im.height != first.height || im.channels != first.channels {
      throw .lengthMismatch(
        "image \(i) is \(im.width)x\(im.height)x\(im.channels), "
          + "the first is \(first.width)x\(first.height)x\(first.channels)")
    }
    guard first.width > 0, first.height > 0 else { throw .invalidSize("empty images") }
    let layout = try Layout(
      count: images.count, width: first.width, height: first.height, columns: columns,
      padding: padding)
    let ch = first.channels
    var image = Image(
      width: layout.width, height: layout.height, channels: ch,
      pixels: [UInt8](repeating: background, count: layout.width * layout.height * ch))
    let rowBytes = first.width * ch
    for (i, tile) in images.enumerated() {
      let (x0, y0) = layout.origin(i)
      for y in 0..<first.height {
        let dst = ((y0 + y) * layout.width + x0) * ch
        image.pixels.replaceSubrange(
          dst..<(dst + rowBytes), with: tile.pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
      }
    }
    return image
  }

  /// Where tiles go: `columns` per row, `padding` around and between.
  private struct Layout {
    let columns: Int
    let tileWidth: Int
    let tileHeight: Int
    let padding: Int
    let width: Int
    let height: Int

    init(count: Int, width: Int, height: Int, columns: Int?, padding: Int) throws(ChartError) {
      let columns = columns ?? Int(Double(count).squareRoot().rounded(.up))
      guard columns > 0, padding >= 0, padding <= 1024 else {
        throw .invalidSize("columns \(columns), padding \(padding)")
      }
      let used = min(columns, count)
      let rows = (count + columns - 1) / columns
      let gridWidth = used * width + (used + 1) * padding
      let gridHeight = rows * height + (rows + 1) * padding
      guard gridWidth <= ImageGrid.maximumSide, gridHeight <= ImageGrid.maximumSide,
        width <= ImageGrid.maximumSide, height <= ImageGrid.maximumSide
      else {
        throw .invalidSize("grid of \(gridWidth)x\(gridHeight) exceeds \(ImageGrid.maximumSide)")
      }
      self.columns = columns
      self.tileWidth = width
      self.tileHeight = height
      self.padding = padding
      self.width = gridWidth
      self.height = gridHeight
    }

    /// Top-left pixel of tile `i`.
    func origin(_ i: Int) -> (Int, Int) {
      let col = i % columns
      let row = i / columns
      return (padding + col * (tileWidth + padding), padding + row * (tileHeight + padding))
    }
  }
}
