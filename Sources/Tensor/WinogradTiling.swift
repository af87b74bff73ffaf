/// What ``Winograd`` F(2×2, 3×3) and ``Winograd4`` F(4×4, 3×3) have in common: tiles of the
/// output, `points` transformed points per tile, and the three transforms. The forward pass
/// over chunks of images is written once, here, for both.
public protocol WinogradTiling {
  /// Points of a transformed tile: 16 for F(2×2, 3×3), 36 for F(4×4, 3×3).
  static var points: Int { get }
  /// Whether `g` is a convolution these transforms compute.
  static func supports(_ g: ConvGeometry) -> Bool
  /// Output tiles per image.
  static func tilesPerImage(_ g: ConvGeometry) -> Int
  /// The smallest row stride of a transformed buffer for `images` images.
  static func rowStride(_ g: ConvGeometry, images: Int) -> Int
  /// Floats of the plane scratch the input and output transforms need.
  static func planeSize(_ g: ConvGeometry) -> Int
  /// `U = G w Gᵀ` of `[outputs, channels, 3, 3]` kernels into `u` `[points][outputs][channels]`.
  static func transformWeights(
    _ w: UnsafePointer<Float>, outputs: Int, channels: Int, into u: UnsafeMutablePointer<Float>)
  /// `V = Bᵀ d B` of every input tile into `v` `[points][g.channels][rowStride]`.
  static func transformInput(
    _ input: UnsafePointer<Float>, geometry g: ConvGeometry, images: Int, channelStride: Int,
    imageStride: Int, channels: Range<Int>, into v: UnsafeMutablePointer<Float>, rowStride: Int,
    plane: UnsafeMutablePointer<Float>)
  /// `Y = Aᵀ M A` of the products `m` `[points][totalOutputs][rowStride]` into the output planes.
  static func transformOutput(
    _ m: UnsafePointer<Float>, rowStride: Int, totalOutputs: Int, geometry g: ConvGeometry,
    outputs: Range<Int>, images: Int, into y: UnsafeMutablePointer<Float>, channelStride: Int,
    imageStride: Int, plane: UnsafeMutablePointer<Float>)
}

extension WinogradTiling {
  /// Floats of the scratch ``forward(_:batch:geometry:transformedWeights:outputs:chunk:into:scratch:)``
  /// needs for chunks of `images` images: `V` `[points][C][stride]`, `M`
  /// `[points][Cout][stride]` and a plane for the transforms.
  public static func tileScratch(_ g: ConvGeometry, outputs: Int, images: Int) -> Int {
    points * (g.channels + outputs) * rowStride(g, images: images) + planeSize(g)
  }

  /// The convolution of `n` images `x` (`[C][n][H·W]`, channel planes `n·H·W` apart) with
  /// kernels already transformed into `u` (`[points][Cout][C]`), into `y` (`[Cout][n][OH·OW]`),
  /// `chunk` images at a time on one thread: per chunk the input transform, one GEMM per point
  /// `M_ξ[Cout, tiles] = U_ξ[Cout, C] · V_ξ[C, tiles]`, and the output transform. `scratch`
  /// holds ``tileScratch(_:outputs:images:)`` floats for `chunk` images.
  public static func forward(
    _ x: UnsafePointer<Float>, batch n: Int, geometry g: ConvGeometry,
    transformedWeights u: UnsafePointer<Float>, outputs: Int, chunk: Int,
    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    let inPlane = g.height * g.width
    let outPlane = g.outputHeight * g.outputWidth
    var first = 0
    while first < n {
      let images = min(chunk, n - first)
      let stride = rowStride(g, images: images)
      let tiles = images * tilesPerImage(g)
      let v = scratch
      let m = v + points * c * stride
      let plane = m + points * outputs * stride
      transformInput(
        x + first * inPlane, geometry: g, images: images, channelStride: n * inPlane,
        imageStride: inPlane, channels: 0..<c, into: v, rowStride: stride, plane: plane)
      for xi in 0..<points {
        sgemm(
          .none, .none, m: outputs, n: tiles, k: c, a: u + xi * outputs * c, lda: c,
          b: v + xi * c * stride, ldb: stride, beta: 0, c: m + xi * outputs * stride,
          ldc: stride)
      }
      transformOutput(
        m, rowStride: stride, totalOutputs: outputs, geometry: g, outputs: 0..<outputs,
        images: images, into: y + first * outPlane, channelStride: n * outPlane,
        imageStride: outPlane, plane: plane)
      first += images
    }
  }
}

extension Winograd: WinogradTiling {
  /// 4×4 transformed points per 2×2 output tile.
  public static var points: Int { 16 }
}

extension Winograd4: WinogradTiling {
  /// 6×6 transformed points per 4×4 output tile.
  public static var points: Int { 36 }
}
