/// The four registers one CPUID leaf returns.
public struct CPUIDRegisters: Sendable, Equatable {
  public var eax: UInt32
  public var ebx: UInt32
  public var ecx: UInt32
  public var edx: UInt32

  public init(eax: UInt32 = 0, ebx: UInt32 = 0, ecx: UInt32 = 0, edx: UInt32 = 0) {
    self.eax = eax
    self.ebx = ebx
    self.ecx = ecx
    self.edx = edx
  }
}
