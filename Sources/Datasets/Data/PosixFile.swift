import Vision

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Cache-file reads and writes through POSIX calls: no Foundation `Data` in between, and errors
/// come back as `strerror` text.
enum PosixFile {
  /// Writes `parts`, one after the other, to `path` through a temporary file in the same folder
  /// renamed over `path`, so a reader sees either the old or the whole new file. Returns the
  /// failure text, if any.
  static func writeAtomically(_ parts: [[UInt8]], to path: String, temporary: String) -> String? {
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return "cannot create \(temporary): \(errnoText())" }
    var failure: String?
    for part in parts where failure == nil {
      part.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
          let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
          if written < 0 && errno == EINTR { continue }
          if written < 0 {
            failure = "cannot write \(temporary): \(errnoText())"
            return
          }
          offset += written
        }
      }
    }
    if close(descriptor) != 0, failure == nil {
      failure = "cannot close \(temporary): \(errnoText())"
    }
    if failure == nil, rename(temporary, path) != 0 {
      failure = "cannot rename \(temporary) to \(path): \(errnoText())"
    }
    if failure != nil { unlink(temporary) }
    return failure
  }

  /// A file open for sequential reading; closed when the last reference goes.
  final class Input {
    private let descriptor: Int32
    /// The file's size in bytes when opened.
    let size: Int

    /// Opens the regular file at `path`, or nil when it cannot be opened or is not a regular
    /// file (opened without blocking: opening a FIFO for reading waits for a writer).
    init?(path: String) {
      descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
      guard descriptor >= 0 else { return nil }
      var status = stat()
      guard fstat(descriptor, &status) == 0, FileKind(status) == .regular else {
        close(descriptor)
        return nil
      }
      size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// The next `count` bytes, read straight into a new array; nil at a short read or error.
    func read(count: Int) -> [UInt8]? {
      guard count >= 0 else { return nil }
      var complete = true
      let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        var offset = 0
        while offset < count {
          let got = Glibc.read(descriptor, buffer.baseAddress! + offset, count - offset)
          if got < 0 && errno == EINTR { continue }
          if got <= 0 { break }
          offset += got
        }
        complete = offset == count
        initialized = offset
      }
      return complete ? bytes : nil
    }
  }

  /// The text of the current `errno`.
  static func errnoText() -> String { String(cString: strerror(errno)) }
}
