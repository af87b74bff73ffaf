import Foundation

extension ImageError: LocalizedError {
  /// The same text as ``description``, for `error.localizedDescription`.
  public var errorDescription: String? { description }
}
