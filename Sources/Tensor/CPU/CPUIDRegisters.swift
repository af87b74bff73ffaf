/// The four registers one CPUID leaf returns.
package struct CPUIDRegisters: Sendable, Equatable {
  package var eax: UInt32
  package var ebx: UInt32
  package var ecx: UInt32
  package var edx: UInt32

  package init(eax: UInt32 = 0, ebx: UInt32 = 0, ecx: UInt32 = 0, edx: UInt32 = 0) {
    self.eax = eax
    self.ebx = ebx
    self.ecx = ecx
    self.edx = edx
  }
}
