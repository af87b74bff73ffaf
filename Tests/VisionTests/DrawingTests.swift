import Foundation
import TestSupport
import Testing
import Vision

@Suite struct DrawingTests {
  func painted(_ image: Image) -> Set<Int> {
    Set(image.pixels.indices.filter { image.pixels[$0] != 0 })
  }

  @Test func fillIsClippedToTheImage() {
    var image = Image(width: 20, height: 10, channels: 1)
    image.fillRectangle(x: -5, y: -5, width: 10, height: 8, colour: .white)
    var expected = Set<Int>()
    for y in 0..<3 { for x in 0..<5 { expected.insert(y * 20 + x) } }
    #expect(painted(image) == expected)
    #expect(image.pixels[0] == 255)
  }

  @Test func strokeDrawsABorderOfTheGivenThickness() {
    var image = Image(width: 12, height: 10, channels: 3)
    let colour = Colour(red: 10, green: 20, blue: 30)
    image.strokeRectangle(x: 2, y: 1, width: 8, height: 7, thickness: 2, colour: colour)
    for y in 0..<10 {
      for x in 0..<12 {
        let inside = x >= 2 && x < 10 && y >= 1 && y < 8
        let interior = x >= 4 && x < 8 && y >= 3 && y < 6
        let i = (y * 12 + x) * 3
        let expected: [UInt8] = inside && !interior ? [10, 20, 30] : [0, 0, 0]
        #expect(Array(image.pixels[i..<(i + 3)]) == expected, "(\(x), \(y))")
      }
    }
  }

  @Test func greyImagesGetTheColoursLuma() {
    var image = Image(width: 4, height: 4, channels: 1)
    image.fillRectangle(
      x: 0, y: 0, width: 4, height: 4, colour: Colour(red: 255, green: 0, blue: 0))
    // BT.601: 0.299 * 255 = 76.2.
    #expect(image.pixels.allSatisfy { $0 == 76 })
  }

  @Test func extremeRectanglesNeverTrap() {
    var image = Image(width: 8, height: 8, channels: 3)
    image.strokeRectangle(
      x: Int.min, y: Int.min, width: Int.max, height: Int.max, thickness: 3, colour: .red)
    image.strokeRectangle(x: Int.max, y: 0, width: Int.max, height: 5, thickness: 1, colour: .red)
    image.fillRectangle(x: 3, y: 3, width: Int.max, height: Int.max, colour: .blue)
    image.strokeRectangle(x: 0, y: 0, width: 8, height: 8, thickness: 0, colour: .green)
    image.strokeRectangle(x: -2, y: -2, width: 12, height: 12, thickness: Int.max, colour: .green)
    #expect(image.pixels.count == 8 * 8 * 3)
    // A stroke hanging 2 px off every edge still paints the visible rim.
    var rim = Image(width: 8, height: 8, channels: 1)
    rim.strokeRectangle(x: -2, y: -2, width: 12, height: 12, thickness: 3, colour: .white)
    #expect(rim.pixels[0] == 255 && rim.pixels[7 * 8 + 7] == 255)
    #expect(rim.pixels[2 * 8 + 2] == 0 && rim.pixels[1 * 8 + 3] == 0)
  }

  @Test func textRendersAntiAliasedInk() throws {
    let font = try Font.dejaVuSans()
    let text = try font.render("Happy 0.82", pixelSize: 20)
    // DejaVu Sans at 20 px: ascender to descender is about 24 px; ten glyphs are over 80 px wide.
    #expect((22...26).contains(text.height), "height \(text.height)")
    #expect(text.width > 80 && text.width < 140, "width \(text.width)")
    #expect(text.baseline > 12 && text.baseline < text.height)
    #expect(text.coverage.contains(255))
    #expect(text.coverage.contains { $0 > 0 && $0 < 255 })
    // "y" and "p" reach below the baseline; capitals do not.
    let belowBaseline = text.coverage[(text.baseline + 2) * text.width..<(text.height * text.width)]
    #expect(belowBaseline.contains { $0 > 128 })
    let capitals = try font.render("HAE", pixelSize: 20)
    let below = capitals.coverage[
      (capitals.baseline + 1) * capitals.width..<(capitals.height * capitals.width)]
    #expect(!below.contains { $0 > 0 })
    let empty = try font.render("", pixelSize: 12)
    #expect(empty.coverage.allSatisfy { $0 == 0 })
  }

  @Test func textBlendsOntoImages() throws {
    let font = try Font.dejaVuSans()
    let text = try font.render("X", pixelSize: 16)
    var image = Image(width: 30, height: 30, channels: 3)
    image.draw(text, x: 5, y: 5, colour: .white)
    let lit = image.pixels.filter { $0 > 128 }.count
    #expect(lit > 30, "\(lit) lit channel values")
    // Nothing outside the text's rectangle changes; drawing off the image is ignored.
    for y in 0..<30 {
      for x in 0..<30 where x < 5 || y < 5 || x >= 5 + text.width || y >= 5 + text.height {
        #expect(image.pixels[(y * 30 + x) * 3] == 0)
      }
    }
    image.draw(text, x: -1000, y: Int.max, colour: .white)
  }

  @Test func fontErrorsAreTyped() throws {
    #expect(throws: FontError.fileNotFound(path: "/nonexistent/font.ttf")) {
      try Font(contentsOfFile: "/nonexistent/font.ttf")
    }
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let notAFont = dir.url.appendingPathComponent("font.ttf")
    try Data("not a font".utf8).write(to: notAFont)
    #expect(throws: FontError.self) { try Font(contentsOfFile: notAFont.path) }
    let font = try Font.dejaVuSans()
    #expect(throws: FontError.invalidSize(0)) { try font.render("a", pixelSize: 0) }
    #expect(throws: FontError.invalidSize(5000)) { try font.render("a", pixelSize: 5000) }
  }
}
