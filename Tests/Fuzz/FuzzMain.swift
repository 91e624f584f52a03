// The libFuzzer entry point: compiled together with the ESEFormat sources (one module) by
// run-fuzzers.sh; FUZZ_TARGET names the parser (see FuzzEntryPoints.all).

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var selectedTarget: (@Sendable ([UInt8]) -> Void)?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if selectedTarget == nil {
        let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzEntryPoints.all[name] else {
            fputs("FUZZ_TARGET must be one of: \(FuzzEntryPoints.all.keys.sorted().joined(separator: ", "))\n", stderr)
            exit(2)
        }
        selectedTarget = target
    }
    selectedTarget!(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
