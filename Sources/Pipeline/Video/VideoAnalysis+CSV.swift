import Datasets
import Foundation

extension VideoAnalysis {
  /// The CSV header of `csv()`.
  public static let csvHeader =
    (["video", "time", "track", "x", "y", "box_width", "box_height"]
    + Emotion.allCases.map(\.rawValue) + ["dominant"]).joined(separator: ",")

  /// CSV (RFC 4180, CRLF line ends): one row per face per analysed frame with the frame's time
  /// (seconds) and the face's track, box, smoothed probabilities and dominant emotion; a frame
  /// without faces has one row with only `video` and `time` filled, so that "no face" stays
  /// distinguishable from "not analysed".
  public func csv() -> String {
    let name = CSVCell.text(video)
    var lines = [Self.csvHeader]
    lines.reserveCapacity(frames.count + 1)
    for frame in frames {
      let time = String(frame.time)
      if frame.faces.isEmpty {
        lines.append(
          ([name, time] + [String](repeating: "", count: 5 + 7 + 1)).joined(separator: ","))
      }
      for face in frame.faces {
        let b = face.box
        let row =
          [
            name, time, String(face.track), String(b.x), String(b.y), String(b.width),
            String(b.height),
          ] + face.emotions.values.map { String($0) } + [face.dominant.rawValue]
        lines.append(row.joined(separator: ","))
      }
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }
}
