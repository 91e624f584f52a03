// swift-tools-version: 6.2
// ESECheck: a pure-Swift integrity checker for Microsoft ESE ("JET Blue") databases and logs.
// No package dependencies: the toolchain's stdlib, Foundation, Dispatch, Synchronization, Glibc only.
import PackageDescription

let package = Package(
    name: "ESECheck",
    // Mutex/Atomic (Synchronization) need macOS 15; Linux has no floor.
    platforms: [.macOS(.v15)],
    products: [
        // Parsing and checksums over byte spans; no I/O.
        .library(name: "ESEFormat", targets: ["ESEFormat"]),
        // Files, mapping, parallel checks, reports, the storage-group session.
        .library(name: "ESECheck", targets: ["ESECheck"]),
        // Writes ESE-format corpora of any size with injected faults.
        .library(name: "ESECorpus", targets: ["ESECorpus"]),
        // The C interface (include/esecheck.h) for backup tools written in C and C++.
        .library(name: "ESECheckC", type: .dynamic, targets: ["ESECheckC"]),
        .executable(name: "ese-verify", targets: ["ese-verify"]),
    ],
    targets: [
        .target(name: "ESEFormat"),
        .target(name: "ESECheck", dependencies: ["ESEFormat"]),
        .target(name: "ESECorpus", dependencies: ["ESEFormat", "CorpusManifest"]),
        // Corpus/: the golden scenario manifest, shipped as a resource.
        .target(name: "CorpusManifest", path: "Corpus", exclude: ["README.md"], resources: [.copy("scenarios.json")]),
        .target(name: "ESECheckC", dependencies: ["ESECheck"], exclude: ["include"]),
        .executableTarget(name: "ese-verify", dependencies: ["ESECheck", "ESECorpus"]),
        // Benchmarks/: release-only measurements against a same-run ceiling.
        .executableTarget(name: "ese-bench", dependencies: ["ESECheck", "ESECorpus"], path: "Benchmarks/ese-bench"),
        // Tests/ESETestSupport: what both test targets share (real-corpus locator, seeded
        // randomness, byte editing, sample databases and storage groups). Tests only.
        .target(name: "ESETestSupport", dependencies: ["ESEFormat", "ESECorpus"], path: "Tests/ESETestSupport"),
        .testTarget(name: "ESEFormatTests", dependencies: ["ESEFormat", "ESETestSupport"]),
        .testTarget(name: "ESECheckTests", dependencies: ["ESECheck", "ESECheckC", "ESECorpus", "ese-verify", "ESETestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
