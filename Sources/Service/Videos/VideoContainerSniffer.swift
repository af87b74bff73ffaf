/// Recognises video containers by their first bytes, so that an upload that is plainly not a
/// video is refused at once (415) instead of queueing a job that can only fail. The decoder
/// still has the last word: a file that passes here but cannot be decoded fails its job with
/// the decoder's message.
enum VideoContainerSniffer {
  /// Bytes read before deciding: two MPEG-TS packets' sync bytes (0 and 188) must be seen.
  static let prefixLength = 189

  /// The container's name, or nil when the bytes (the first `prefixLength`, or the whole file
  /// when shorter) start no container Emocl reads.
  static func container(_ prefix: [UInt8]) -> String? {
    guard prefix.count >= 12 else { return nil }
    let box = String(decoding: prefix[4..<8], as: UTF8.self)
    // ISO base media (MP4, MOV, 3GP): a box size, then a box type; QuickTime files may start
    // with other top-level boxes than `ftyp`.
    if ["ftyp", "moov", "mdat", "free", "wide", "skip", "pnot"].contains(box) { return "MP4/MOV" }
    // Matroska and WebM: the EBML magic.
    if prefix[0..<4] == [0x1A, 0x45, 0xDF, 0xA3] { return "Matroska/WebM" }
    // AVI: RIFF....AVI␠
    if prefix[0..<4] == Array("RIFF".utf8)[...], prefix[8..<12] == Array("AVI ".utf8)[...] {
      return "AVI"
    }
    // MPEG transport stream: a sync byte every 188 bytes.
    if prefix.count >= 189, prefix[0] == 0x47, prefix[188] == 0x47 { return "MPEG-TS" }
    // FLV and MPEG program streams are not taken: the reader (CVideo) opens only the
    // containers above, so such an upload would be accepted and its job fail.
    return nil
  }
}
