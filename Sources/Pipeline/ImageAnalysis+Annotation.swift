import Datasets
import Vision

extension ImageAnalysis {
  /// The colour each emotion's boxes and labels are drawn in.
  public static func colour(for emotion: Emotion) -> Colour {
    switch emotion {
    case .angry: return .red
    case .disgust: return .green
    case .fear: return .purple
    case .happy: return .yellow
    case .neutral: return .grey
    case .sad: return .blue
    case .surprise: return .orange
    }
  }

  /// `image` (the analysed picture, upright; grey is converted to RGB) with each face's box
  /// drawn in its dominant emotion's colour and, when `font` is given, a label such as
  /// `happy 0.82` on a filled band above the box (inside its top when there is no room above).
  /// Line width and text size grow with the image: `max(2, shorter side / 200)` and
  /// `clamp(shorter side / 32, 12, 64)` pixels.
  public func annotated(_ image: Image, font: Font?) throws(FontError) -> Image {
    var canvas = image.channels == 3 ? image : image.rgb()
    let shorter = min(canvas.width, canvas.height)
    let thickness = max(2, shorter / 200)
    let textSize = min(max(shorter / 32, 12), 64)
    // Smaller faces last, so that their labels stay visible over larger faces' boxes.
    for face in faces.reversed() {
      let colour = Self.colour(for: face.dominant)
      let box = face.box
      canvas.strokeRectangle(
        x: box.x, y: box.y, width: box.width, height: box.height, thickness: thickness,
        colour: colour)
      guard let font else { continue }
      let label =
        "\(face.dominant.rawValue) \(PredictionRecord.fixed(face.emotions[face.dominant]))"
      let text = try font.render(label, pixelSize: textSize)
      let pad = max(1, textSize / 8)
      let bandHeight = text.height + 2 * pad
      let bandWidth = text.width + 2 * pad
      let top = box.y - bandHeight >= 0 ? box.y - bandHeight : box.y
      canvas.fillRectangle(x: box.x, y: top, width: bandWidth, height: bandHeight, colour: colour)
      let ink: Colour = colour.luma > 140 ? .black : .white
      canvas.draw(text, x: box.x + pad, y: top + pad, colour: ink)
    }
    return canvas
  }
}
