/// A strict parser for the `boxes` query value, `[[x,y,w,h],...]`: JSON arrays of arrays of
/// non-negative integers, with optional white space. Anything else (booleans, strings, nulls,
/// signs, fractions, exponents, nesting deeper than two, trailing bytes) is nil, so no value is
/// coerced into a box. Numbers are capped at 9 digits while parsing, so nothing overflows.
enum BoxListParser {
  static func parse(_ bytes: [UInt8]) -> [[Int]]? {
    var i = 0
    func skipSpace() {
      while i < bytes.count,
        bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A
          || bytes[i] == 0x0D
      {
        i += 1
      }
    }
    func expect(_ byte: UInt8) -> Bool {
      skipSpace()
      guard i < bytes.count, bytes[i] == byte else { return false }
      i += 1
      return true
    }
    func peek(_ byte: UInt8) -> Bool {
      skipSpace()
      return i < bytes.count && bytes[i] == byte
    }
    func number() -> Int? {
      skipSpace()
      let start = i
      var value = 0
      while i < bytes.count, (0x30...0x39).contains(bytes[i]) {
        guard i - start < 9 else { return nil }
        value = value * 10 + Int(bytes[i] - 0x30)
        i += 1
      }
      // JSON forbids leading zeros ("007"); an empty run is no number.
      guard i > start, !(i - start > 1 && bytes[start] == 0x30) else { return nil }
      return value
    }
    func list<T>(_ element: () -> T?) -> [T]? {
      guard expect(0x5B) else { return nil }  // [
      var items: [T] = []
      if peek(0x5D) {  // ]
        i += 1
        return items
      }
      repeat {
        guard let item = element() else { return nil }
        items.append(item)
      } while expect(0x2C)  // ,
      return expect(0x5D) ? items : nil
    }
    guard let boxes = list({ list(number) }) else { return nil }
    skipSpace()
    return i == bytes.count ? boxes : nil
  }
}
