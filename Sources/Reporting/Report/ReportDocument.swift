import Foundation

/// A file of a rendered report besides its HTML page (each chart as SVG, each picture as PNG,
/// the numbers as JSON).
public struct ReportFile: Sendable, Equatable {
  /// The file name, without folders.
  public var name: String
  /// The contents.
  public var bytes: [UInt8]

  /// A file named `name` holding `bytes`.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }
}

/// A rendered `EvaluationReport`: one self-contained HTML page (inline CSS, charts as inline
/// SVG, pictures as `data:` URIs; it loads nothing else) and the same charts and pictures as
/// separate files.
public struct ReportDocument: Sendable {
  /// The file name of the page.
  public static let pageName = "report.html"
  /// The page.
  public var html: String
  /// The other files, with distinct names.
  public var files: [ReportFile]

  /// A document of `html` and `files`.
  public init(html: String, files: [ReportFile]) {
    self.html = html
    self.files = files
  }

  /// Writes the page (`report.html`) and the files into `directory`, creating it when missing,
  /// and returns the page's URL. Throws `ReportError.cannotWrite` naming the file at fault.
  @discardableResult
  public func write(to directory: URL) throws -> URL {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw ReportError.cannotWrite(path: directory.path, reason: error.localizedDescription)
    }
    for file in files {
      try Self.write(Data(file.bytes), to: directory.appendingPathComponent(file.name))
    }
    let page = directory.appendingPathComponent(Self.pageName)
    try Self.write(Data(html.utf8), to: page)
    return page
  }

  private static func write(_ data: Data, to url: URL) throws {
    do {
      try data.write(to: url, options: .atomic)
    } catch {
      throw ReportError.cannotWrite(path: url.path, reason: error.localizedDescription)
    }
  }
}

/// Why a report could not be produced.
public enum ReportError: Error, Equatable, CustomStringConvertible {
  /// A file or folder could not be written.
  case cannotWrite(path: String, reason: String)
  /// The inputs do not fit together (e.g. counts for another number of classes).
  case invalidInput(String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .invalidInput(let why): return "cannot build the report: \(why)"
    }
  }
}
