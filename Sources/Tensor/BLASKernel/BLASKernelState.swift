/// What one run of Emocl hands to the next when it re-executes itself with another
/// `OPENBLAS_CORETYPE`, in the variable ``BLASKernelState/variable``: the core OpenBLAS chose on
/// its own, the core Emocl set, and the cores that failed the numerical self-test.
package struct BLASKernelState: Sendable, Equatable {
  /// The environment variable carrying the state (and marking the variable
  /// `OPENBLAS_CORETYPE` as Emocl's, not the user's).
  package static let variable = "EMOCL_BLAS_KERNEL_STATE"

  /// The core OpenBLAS chose by itself in the first run.
  package var libraryCore: String
  /// The core Emocl set `OPENBLAS_CORETYPE` to for the next run.
  package var chosen: String
  /// Cores that failed the self-test (or that OpenBLAS did not accept), in the order tried.
  package var failed: [String]

  package init(libraryCore: String, chosen: String, failed: [String] = []) {
    self.libraryCore = libraryCore
    self.chosen = chosen
    self.failed = failed
  }

  /// `library=Prescott;chosen=SkylakeX;failed=Cooperlake`.
  package var encoded: String {
    "library=\(libraryCore);chosen=\(chosen);failed=\(failed.joined(separator: ","))"
  }

  /// The state from ``encoded``; nil if `text` is not one.
  package init?(encoded text: String) {
    var fields: [Substring: Substring] = [:]
    for part in text.split(separator: ";", omittingEmptySubsequences: false) {
      guard let equals = part.firstIndex(of: "=") else { return nil }
      fields[part[..<equals]] = part[part.index(after: equals)...]
    }
    guard fields.count == 3, let library = fields["library"], !library.isEmpty,
      let chosen = fields["chosen"], !chosen.isEmpty, let failed = fields["failed"]
    else { return nil }
    self.init(
      libraryCore: String(library), chosen: String(chosen),
      failed: failed.split(separator: ",").map(String.init))
  }
}
