#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-file reads and writes through POSIX calls: no Foundation `Data` in between, and errors
/// come back as `strerror` text.
enum PosixFile {
  /// Why a read failed.
  struct Failure: Error {
    var reason: String
  }

  /// The bytes of the file at `path` (the cache; dataset images go through Vision's
  /// `ImageFile.read`). Files larger than `limit` bytes fail instead of being allocated.
  static func read(path: String, limit: Int) throws(Failure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw Failure(reason: errnoText()) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw Failure(reason: errnoText()) }
    guard status.st_mode & S_IFMT == S_IFREG else { throw Failure(reason: "not a regular file") }
    let size = Int(status.st_size)
    guard size <= limit else {
      throw Failure(reason: "file of \(size) bytes is larger than the \(limit)-byte limit")
    }
    var failure: String?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
      var offset = 0
      while offset < size {
        let got = Glibc.read(descriptor, buffer.baseAddress! + offset, size - offset)
        if got < 0 && errno == EINTR { continue }
        if got < 0 {
          failure = errnoText()
          break
        }
        if got == 0 {
          failure = "file shrank while being read"
          break
        }
        offset += got
      }
      initialized = offset
    }
    if let failure { throw Failure(reason: failure) }
    return bytes
  }

  /// Writes `bytes` to `path` through a temporary file in the same folder renamed over `path`,
  /// so a reader sees either the old or the whole new file. Returns the failure text, if any.
  static func writeAtomically(_ bytes: [UInt8], to path: String, temporary: String) -> String? {
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return "cannot create \(temporary): \(errnoText())" }
    var failure: String?
    bytes.withUnsafeBytes { buffer in
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
    if close(descriptor) != 0, failure == nil {
      failure = "cannot close \(temporary): \(errnoText())"
    }
    if failure == nil, rename(temporary, path) != 0 {
      failure = "cannot rename \(temporary) to \(path): \(errnoText())"
    }
    if failure != nil { unlink(temporary) }
    return failure
  }

  /// The text of the current `errno`.
  static func errnoText() -> String { String(cString: strerror(errno)) }
}
