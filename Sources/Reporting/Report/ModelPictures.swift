import Classical
import Tensor
import Vision

/// Pictures of what a classical model learned, for reports: logistic-regression weight images,
/// eigenfaces and the explained-variance curve of its PCA.
public enum ModelPictures {
  /// Each class's logistic-regression weight vector as a `width × height` tile, all classes in
  /// one row (in class order), enlarged `zoom` times (nearest neighbour, so pixels stay sharp).
  ///
  /// The weights are the coefficients of the standardised pixels. Colours are diverging: white
  /// is 0, red positive (the pixel being brighter than average speaks for the class), blue
  /// negative; each tile is scaled by its own largest |weight|. Nil unless the pipeline is a
  /// logistic regression directly on the pixels (no PCA) and has `width × height` features.
  public static func weightGrid(
    _ pipeline: ClassicalPipeline, width: Int, height: Int, zoom: Int = 3
  ) throws -> Image? {
    guard pipeline.pca == nil, case .logisticRegression(let model) = pipeline.classifier,
      model.featureCount == width * height
    else { return nil }
    let d = width * height
    let tiles = (0..<model.classCount).map { c -> Image in
      let w = model.coefficients.storage[(c * d)..<((c + 1) * d)]
      let largest = w.reduce(Float(0)) { max($0, $1.isFinite ? abs($1) : 0) }
      var pixels = [UInt8]()
      pixels.reserveCapacity(3 * d)
      for v in w {
        let t = largest > 0 && v.isFinite ? v / largest : 0
        pixels += diverging(t)
      }
      return Image(width: width, height: height, channels: 3, pixels: pixels)
    }
    let grid = try ImageGrid.compose(images: tiles, columns: tiles.count, padding: 2)
    return zoomed(grid, by: zoom)
  }

  /// The first `count` principal axes of the pipeline's PCA as `width × height` grey tiles,
  /// `columns` per row, enlarged `zoom` times. The PCA ran on standardised pixels; each axis is
  /// mapped back to pixel space (multiplied by the scaler's per-pixel standard deviation) and
  /// scaled to its own range (black = most negative, white = most positive; a component's
  /// sign is arbitrary). Nil when the pipeline has no PCA or its features are not
  /// `width × height` pixels.
  public static func eigenfaceGrid(
    _ pipeline: ClassicalPipeline, width: Int, height: Int, count: Int = 16, columns: Int = 8,
    zoom: Int = 3
  ) throws -> Image? {
    guard let pca = pipeline.pca, pca.featureCount == width * height, count > 0 else {
      return nil
    }
    let d = width * height
    let shown = min(count, pca.componentCount)
    let scale = pipeline.scaler.scale
    let tiles = (0..<shown).map { k in
      (0..<d).map { j in pca.components.storage[k * d + j] * scale[j] }
    }
    let grid = try ImageGrid.compose(
      tiles: tiles, tileWidth: width, tileHeight: height, columns: min(columns, shown),
      padding: 2, scaling: .perTile)
    return zoomed(grid, by: zoom)
  }

  /// The share of the (standardised) pixel variance kept by the first k components, for
  /// k = 1 … all stored components, as an SVG line chart on a 0…1 scale.
  public static func explainedVarianceChart(_ pca: PCA, title: String) throws -> String {
    var cumulative: [Double] = []
    var sum = 0.0
    for ratio in pca.explainedVarianceRatio {
      sum += Double(ratio)
      cumulative.append(sum)
    }
    let chart = LineChart(
      title: title, xLabel: "principal components kept",
      yLabel: "cumulative explained variance ratio",
      series: [LineChart.Series(name: "cumulative explained variance", y: cumulative)],
      yRange: 0...1)
    return try chart.svg()
  }

  /// White (0) → red (+1) or blue (−1), for `t` in −1…1.
  static func diverging(_ t: Float) -> [UInt8] {
    let white: [Float] = [247, 247, 247]
    let end: [Float] = t >= 0 ? [178, 24, 43] : [33, 102, 172]
    let a = min(1, abs(t))
    return (0..<3).map { UInt8((white[$0] + (end[$0] - white[$0]) * a).rounded()) }
  }

  /// `image` enlarged `factor` times by repeating pixels.
  static func zoomed(_ image: Image, by factor: Int) -> Image {
    guard factor > 1 else { return image }
    let (w, h, c) = (image.width, image.height, image.channels)
    var pixels = [UInt8](repeating: 0, count: w * factor * h * factor * c)
    for y in 0..<(h * factor) {
      let source = (y / factor) * w
      for x in 0..<(w * factor) {
        let from = (source + x / factor) * c
        let to = (y * w * factor + x) * c
        for k in 0..<c { pixels[to + k] = image.pixels[from + k] }
      }
    }
    return Image(width: w * factor, height: h * factor, channels: c, pixels: pixels)
  }
}
