import Foundation

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
