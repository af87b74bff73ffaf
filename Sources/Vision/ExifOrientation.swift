/// The EXIF orientation tag (0x0112): how the stored pixels must be turned to show the picture
/// upright. Case names follow Apple's `CGImagePropertyOrientation`; raw values are the EXIF values.
public enum ExifOrientation: Int, Sendable, Equatable, CaseIterable {
  /// 1: stored upright.
  case up = 1
  /// 2: mirrored left to right.
  case upMirrored = 2
  /// 3: rotated 180 degrees.
  case down = 3
  /// 4: mirrored top to bottom.
  case downMirrored = 4
  /// 5: transposed (mirrored along the top-left to bottom-right diagonal).
  case leftMirrored = 5
  /// 6: must be rotated 90 degrees clockwise to be upright (typical of phone portraits).
  case right = 6
  /// 7: transversed (mirrored along the top-right to bottom-left diagonal).
  case rightMirrored = 7
  /// 8: must be rotated 90 degrees counter-clockwise to be upright.
  case left = 8

  /// True when the upright picture swaps width and height (orientations 5 to 8).
  public var swapsSides: Bool { rawValue >= 5 }

  /// The orientation stored in a JPEG's APP1 Exif segment (either TIFF byte order), or nil when
  /// there is none, it is malformed, or its value is not 1...8.
  public init?(jpeg bytes: [UInt8]) {
    guard let value = bytes.withUnsafeBytes({ Self.parse(jpeg: $0) }) else { return nil }
    self = value
  }

  /// The orientation stored in a JPEG's APP1 Exif segment, or nil.
  public init?(jpeg bytes: UnsafeRawBufferPointer) {
    guard let value = Self.parse(jpeg: bytes) else { return nil }
    self = value
  }

  /// Walks the marker segments before the first scan looking for `APP1 "Exif\0\0"`.
  private static func parse(jpeg data: UnsafeRawBufferPointer) -> ExifOrientation? {
    guard data.count >= 4, data[0] == 0xFF, data[1] == 0xD8 else { return nil }
    var i = 2
    while i + 4 <= data.count {
      guard data[i] == 0xFF else { return nil }
      let marker = data[i + 1]
      if marker == 0xFF {  // fill byte
        i += 1
        continue
      }
      if marker == 0x01 || (0xD0...0xD8).contains(marker) {  // markers without a length
        i += 2
        continue
      }
      if marker == 0xDA || marker == 0xD9 { return nil }  // start of scan / end of image
      let length = Int(data[i + 2]) << 8 | Int(data[i + 3])
      guard length >= 2, i + 2 + length <= data.count else { return nil }
      let payload = UnsafeRawBufferPointer(rebasing: data[(i + 4)..<(i + 2 + length)])
      if marker == 0xE1, payload.count > 6, payload.prefix(6).elementsEqual(exifHeader),
        let orientation = parse(tiff: UnsafeRawBufferPointer(rebasing: payload[6...]))
      {
        return orientation
      }
      i += 2 + length
    }
    return nil
  }

  private static let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]  // "Exif\0\0"

  /// Reads tag 0x0112 from IFD0 of a TIFF block ("II*\0" little- or "MM\0*" big-endian).
  private static func parse(tiff: UnsafeRawBufferPointer) -> ExifOrientation? {
    guard tiff.count >= 8 else { return nil }
    let littleEndian: Bool
    if tiff[0] == 0x49, tiff[1] == 0x49 {
      littleEndian = true
    } else if tiff[0] == 0x4D, tiff[1] == 0x4D {
      littleEndian = false
    } else {
      return nil
    }
    func u16(_ at: Int) -> Int {
      let a = Int(tiff[at])
      let b = Int(tiff[at + 1])
      return littleEndian ? a | b << 8 : a << 8 | b
    }
    func u32(_ at: Int) -> Int {
      littleEndian ? u16(at) | u16(at + 2) << 16 : u16(at) << 16 | u16(at + 2)
    }
    guard u16(2) == 42 else { return nil }
    let ifd = u32(4)
    guard ifd >= 8, ifd + 2 <= tiff.count else { return nil }
    let entries = u16(ifd)
    for k in 0..<entries {
      let entry = ifd + 2 + 12 * k
      guard entry + 12 <= tiff.count else { return nil }
      guard u16(entry) == 0x0112 else { continue }
      let type = u16(entry + 2)
      let value: Int
      switch type {
      case 3: value = u16(entry + 8)  // SHORT, left-justified in the 4-byte value field
      case 4: value = u32(entry + 8)  // LONG, seen in some writers
      default: return nil
      }
      return ExifOrientation(rawValue: value)
    }
    return nil
  }
}
