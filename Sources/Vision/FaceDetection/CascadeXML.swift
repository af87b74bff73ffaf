/// A minimal XML reader for OpenCV's cascade files: elements, their children and the raw text of
/// leaf elements. Comments, processing instructions and DOCTYPE are skipped; attributes are read
/// past but not kept (the cascade format carries no data in them). Entities are left undecoded:
/// the format's values are numbers and identifiers.
///
/// A hand parser, not FoundationXML: it loads the 930 KB default cascade in a few milliseconds
/// and reports the line of the first malformation.
struct CascadeXML {
  /// One element: its name, its child elements (indices into `nodes`) and, for leaf elements,
  /// the byte range of its text.
  struct Node {
    var name: String
    var children: [Int] = []
    var text: Range<Int>
  }

  /// The file's bytes; `Node.text` indexes into them.
  let bytes: [UInt8]
  /// All elements in document order; `nodes[0]` is the root element.
  private(set) var nodes: [Node] = []

  /// Parses `bytes`; throws `HaarCascadeError.malformedXML` on unbalanced or unterminated markup.
  init(bytes: [UInt8]) throws {
    self.bytes = bytes
    try parse()
  }

  /// The first child of `node` named `name`.
  func child(_ node: Int, _ name: String) -> Int? {
    nodes[node].children.first { nodes[$0].name == name }
  }

  /// The trimmed text of `node`.
  func text(_ node: Int) -> String {
    var range = nodes[node].text
    while let first = range.first, isSpace(bytes[first]) { range = (first + 1)..<range.upperBound }
    while let last = range.last, isSpace(bytes[last]) { range = range.lowerBound..<last }
    return String(decoding: bytes[range], as: UTF8.self)
  }

  /// The whitespace-separated numbers of `node`'s text, or nil when a token is not a finite
  /// decimal number. Tokenised over bytes (splitting Strings into Characters for the ~50 000
  /// numbers of a cascade would dominate the load time); each token is parsed by
  /// `Double.init(_:)`, correctly rounded and independent of the process locale.
  func numbers(_ node: Int) -> [Double]? {
    let range = nodes[node].text
    var values: [Double] = []
    return bytes.withUnsafeBufferPointer { buffer -> [Double]? in
      var index = range.lowerBound
      while index < range.upperBound {
        if isSpace(buffer[index]) {
          index += 1
          continue
        }
        var end = index
        while end < range.upperBound && !isSpace(buffer[end]) { end += 1 }
        let token = String(
          decoding: UnsafeBufferPointer(rebasing: buffer[index..<end]), as: UTF8.self)
        guard let value = Double(token), value.isFinite else { return nil }
        values.append(value)
        index = end
      }
      return values
    }
  }

  private func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
  }

  private func line(at offset: Int) -> Int {
    var count = 1
    for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A { count += 1 }
    return count
  }

  private func fail(_ offset: Int, _ reason: String) -> HaarCascadeError {
    .malformedXML(line: line(at: offset), reason: reason)
  }

  /// Index of the first occurrence of `pattern` at or after `start`, or nil.
  private func find(_ pattern: [UInt8], from start: Int) -> Int? {
    guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
    var index = start
    let last = bytes.count - pattern.count
    while index <= last {
      if bytes[index] == pattern[0] {
        var matched = true
        for k in 1..<pattern.count where bytes[index + k] != pattern[k] {
          matched = false
          break
        }
        if matched { return index }
      }
      index += 1
    }
    return nil
  }

  private func isNameByte(_ byte: UInt8) -> Bool {
    !(isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
      || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "="))
  }

  private mutating func parse() throws {
    var stack: [Int] = []
    var index = 0
    let count = bytes.count
    var sawRoot = false
    while index < count {
      guard bytes[index] == UInt8(ascii: "<") else {
        if stack.isEmpty && !isSpace(bytes[index]) {
          throw fail(index, "text outside the root element")
        }
        index += 1
        continue
      }
      let next = index + 1 < count ? bytes[index + 1] : 0
      if next == UInt8(ascii: "?") {
        guard let end = find(Array("?>".utf8), from: index + 2) else {
          throw fail(index, "unterminated processing instruction")
        }
        index = end + 2
      } else if next == UInt8(ascii: "!") {
        if find(Array("<!--".utf8), from: index) == index {
          guard let end = find(Array("-->".utf8), from: index + 4) else {
            throw fail(index, "unterminated comment")
          }
          index = end + 3
        } else {
          guard let end = find([UInt8(ascii: ">")], from: index + 2) else {
            throw fail(index, "unterminated declaration")
          }
          index = end + 1
        }
      } else if next == UInt8(ascii: "/") {
        var nameEnd = index + 2
        while nameEnd < count && isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        let name = String(decoding: bytes[(index + 2)..<nameEnd], as: UTF8.self)
        guard let close = find([UInt8(ascii: ">")], from: nameEnd) else {
          throw fail(index, "unterminated end tag </\(name)>")
        }
        guard let open = stack.popLast() else { throw fail(index, "unexpected end tag </\(name)>") }
        guard nodes[open].name == name else {
          throw fail(index, "end tag </\(name)> does not match <\(nodes[open].name)>")
        }
        if nodes[open].children.isEmpty {
          nodes[open].text = nodes[open].text.lowerBound..<index
        }
        index = close + 1
      } else {
        var nameEnd = index + 1
        while nameEnd < count && isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        guard nameEnd > index + 1 else { throw fail(index, "empty element name") }
        let name = String(decoding: bytes[(index + 1)..<nameEnd], as: UTF8.self)
        // Skip attributes, honouring quotes (a quoted value may hold '>').
        var cursor = nameEnd
        var quote: UInt8 = 0
        while cursor < count {
          let byte = bytes[cursor]
          if quote != 0 {
            if byte == quote { quote = 0 }
          } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            quote = byte
          } else if byte == UInt8(ascii: ">") {
            break
          }
          cursor += 1
        }
        guard cursor < count else { throw fail(index, "unterminated start tag <\(name)>") }
        let selfClosing = bytes[cursor - 1] == UInt8(ascii: "/")
        if stack.isEmpty {
          if sawRoot { throw fail(index, "a second root element <\(name)>") }
          sawRoot = true
        }
        let nodeIndex = nodes.count
        nodes.append(Node(name: name, text: (cursor + 1)..<(cursor + 1)))
        if let parent = stack.last { nodes[parent].children.append(nodeIndex) }
        if !selfClosing { stack.append(nodeIndex) }
        index = cursor + 1
      }
    }
    if let open = stack.last { throw fail(count, "element <\(nodes[open].name)> is not closed") }
    if !sawRoot { throw fail(0, "no root element") }
  }
}
