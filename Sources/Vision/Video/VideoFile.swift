import Foundation

/// Tells a video file from a photo without decoding it, for commands that accept both.
public enum VideoFile {
  /// File name extensions taken for video.
  public static let extensions: Set<String> = [
    "mp4", "m4v", "mov", "mkv", "webm", "avi", "ts", "mts", "ivf",
  ]

  /// True when the file at `path` is a video: its first bytes are an MP4/MOV (`ftyp` box of a
  /// non-image brand, or `moov`/`mdat`/`wide`/`free`), Matroska/WebM (EBML), AVI (`RIFF…AVI `)
  /// or IVF header; or, when they say nothing (unreadable, too short), its extension is one of
  /// `extensions`. A JPEG, PNG or WebP is never a video.
  public static func isVideo(path: String) -> Bool {
    if let head = leadingBytes(path), !head.isEmpty {
      if ImageFormat.detect(head) != nil { return false }
      if let verdict = sniff(head) { return verdict }
    }
    return extensions.contains((path as NSString).pathExtension.lowercased())
  }

  /// The verdict of the first bytes, or nil when they do not tell.
  static func sniff(_ head: [UInt8]) -> Bool? {
    func text(_ range: Range<Int>) -> String? {
      guard head.count >= range.upperBound else { return nil }
      return String(decoding: head[range], as: UTF8.self)
    }
    if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return true }  // EBML: Matroska, WebM
    if text(0..<4) == "RIFF", text(8..<12) == "AVI " { return true }
    if text(0..<4) == "DKIF" { return true }  // IVF
    switch text(4..<8) {
    case "ftyp":
      // HEIF and AVIF stills are ISO-BMFF too.
      let stills: Set<String> = ["heic", "heix", "mif1", "msf1", "avif", "avis", "heim", "heis"]
      return !stills.contains(text(8..<12) ?? "")
    case "moov", "mdat", "wide", "free", "skip": return true
    default: return nil
    }
  }

  /// The first 16 bytes of a regular file; nil for anything else. Opened without blocking and
  /// checked before reading: opening a FIFO for reading waits for a writer, for ever.
  private static func leadingBytes(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, FileKind(info) == .regular else { return nil }
    var head = [UInt8](repeating: 0, count: 16)
    let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
    return n >= 0 ? Array(head.prefix(n)) : nil
  }
}
