import CFreeType
import Foundation

/// A TrueType/OpenType font loaded with FreeType, rendering single-line text into anti-aliased
/// coverage masks (``TextBitmap``).
///
/// FreeType objects are not thread-safe, so every use of the face holds a lock; a `Font` can be
/// shared between tasks.
public final class Font: @unchecked Sendable {
  /// The largest pixel size `render` accepts.
  public static let maxPixelSize = 1024
  /// DejaVu Sans from the Debian package fonts-dejavu-core.
  public static let dejaVuSansPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

  /// The font file.
  public let path: String
  private let library: FT_Library
  private let face: FT_Face
  private let lock = NSLock()

  /// Loads the font file at `path`.
  public init(contentsOfFile path: String) throws(FontError) {
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw .fileNotFound(path: path)
    }
    var library: FT_Library?
    let initError = FT_Init_FreeType(&library)
    guard initError == 0, let library else {
      throw .renderingFailed("cannot initialise FreeType (error \(initError))")
    }
    var face: FT_Face?
    let openError = FT_New_Face(library, path, 0, &face)
    guard openError == 0, let face else {
      FT_Done_FreeType(library)
      throw .unreadableFont(path: path, freeTypeError: openError)
    }
    self.path = path
    self.library = library
    self.face = face
  }

  /// DejaVu Sans (``dejaVuSansPath``).
  public static func dejaVuSans() throws(FontError) -> Font {
    try Font(contentsOfFile: dejaVuSansPath)
  }

  deinit {
    FT_Done_Face(face)
    FT_Done_FreeType(library)
  }

  /// `text` on one line at `pixelSize` (the em size in pixels; DejaVu's capitals are about 0.73
  /// of it). Characters the font lacks render as its missing-glyph box; control characters
  /// are skipped.
  public func render(_ text: String, pixelSize: Int) throws(FontError) -> TextBitmap {
    guard (1...Self.maxPixelSize).contains(pixelSize) else { throw .invalidSize(pixelSize) }
    lock.lock()
    defer { lock.unlock() }
    let sizeError = FT_Set_Pixel_Sizes(face, 0, FT_UInt(pixelSize))
    guard sizeError == 0 else {
      throw .renderingFailed("cannot set size \(pixelSize) (FreeType error \(sizeError))")
    }
    let metrics = face.pointee.size.pointee.metrics
    // 26.6 fixed point: ascender above the baseline, descender (negative) below.
    let ascender = Int((metrics.ascender + 63) >> 6)
    let descender = Int(metrics.descender >> 6)
    let height = max(ascender - descender, 1)

    let hasKerning = (face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING)) != 0
    var placed: [PlacedGlyph] = []
    var pen = 0  // 26.6
    var previous: FT_UInt = 0
    var minX = 0
    var maxX = 0
    for scalar in text.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F {
      let index = FT_Get_Char_Index(face, FT_ULong(scalar.value))
      if hasKerning, previous != 0, index != 0 {
        var delta = FT_Vector()
        if FT_Get_Kerning(face, previous, index, FT_KERNING_DEFAULT.rawValue, &delta) == 0 {
          pen += Int(delta.x)
        }
      }
      let loadError = FT_Load_Glyph(face, index, FT_Int32(FT_LOAD_RENDER))
      guard loadError == 0 else {
        throw .renderingFailed(
          "cannot render U+\(String(scalar.value, radix: 16)) (error \(loadError))")
      }
      let glyph = face.pointee.glyph.pointee
      let (width, rows, pitch, pixels) = Self.greyRows(of: glyph.bitmap)
      let left = (pen >> 6) + Int(glyph.bitmap_left)
      placed.append(
        PlacedGlyph(
          left: left, top: Int(glyph.bitmap_top), width: width, rows: rows, pitch: pitch,
          pixels: pixels))
      if !pixels.isEmpty {
        minX = min(minX, left)
        maxX = max(maxX, left + width)
      }
      pen += Int(glyph.advance.x)
      maxX = max(maxX, (pen + 63) >> 6)
      previous = index
    }
    let width = max(maxX - minX, 1)
    let coverage = Self.composite(
      placed, width: width, height: height, baseline: ascender, originX: minX)
    return TextBitmap(width: width, height: height, baseline: ascender, coverage: coverage)
  }

  /// A rendered glyph placed on the line: `left` from the pen's origin, `top` rows above the
  /// baseline, its coverage `rows × width`, top row first.
  private struct PlacedGlyph {
    var left: Int
    var top: Int
    var width: Int
    var rows: Int
    var pitch: Int
    var pixels: [UInt8]
  }

  /// A FreeType bitmap's size and pitch, and its coverage top row first; no pixels unless it is
  /// a non-empty grey bitmap.
  private static func greyRows(of bitmap: FT_Bitmap)
    -> (width: Int, rows: Int, pitch: Int, pixels: [UInt8])
  {
    let width = Int(bitmap.width)
    let rows = Int(bitmap.rows)
    let pitch = Int(bitmap.pitch)
    var pixels: [UInt8] = []
    if width > 0, rows > 0, let buffer = bitmap.buffer,
      bitmap.pixel_mode == UInt8(FT_PIXEL_MODE_GRAY.rawValue)
    {
      pixels = [UInt8](repeating: 0, count: width * rows)
      for r in 0..<rows {
        // A negative pitch means the rows are stored bottom-up.
        let start = pitch >= 0 ? r * pitch : (rows - 1 - r) * -pitch
        for c in 0..<width { pixels[r * width + c] = buffer[start + c] }
      }
    }
    return (width, rows, pitch, pixels)
  }

  /// The glyphs drawn into one `width × height` coverage mask whose left edge is at `originX`
  /// and whose baseline is row `baseline`.
  private static func composite(
    _ placed: [PlacedGlyph], width: Int, height: Int, baseline: Int, originX: Int
  ) -> [UInt8] {
    var coverage = [UInt8](repeating: 0, count: width * height)
    for glyph in placed where !glyph.pixels.isEmpty {
      for r in 0..<glyph.rows {
        let y = baseline - glyph.top + r
        guard y >= 0, y < height else { continue }
        for c in 0..<glyph.width {
          let x = glyph.left - originX + c
          let value = glyph.pixels[r * glyph.width + c]
          // Overlapping glyphs (kerned pairs) keep the stronger ink.
          coverage[y * width + x] = max(coverage[y * width + x], value)
        }
      }
    }
    return coverage
  }
}
