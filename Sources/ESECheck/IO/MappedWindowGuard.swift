// The SIGBUS guard of mapped reads. Besides `SystemCalls` and `Locked`, the only file that
// talks to the C library: the signal handler must call `mmap`, `sigaction` and `raise` directly, because
// nothing else is safe inside a signal handler.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Keeps a mapped read from killing the process when the file shrinks underneath it.
///
/// Touching a mapped page past the end of a file that was truncated after it was mapped
/// raises `SIGBUS`, whose default action ends the process. While at least one window is
/// watched, a process-wide `SIGBUS` handler is installed (`SA_SIGINFO | SA_ONSTACK`; on
/// Darwin also for `SIGSEGV`, which some file systems raise there instead). When the
/// faulting address lies in a watched window, the handler maps anonymous zero pages over
/// the rest of that window, marks the window failed and returns, so the faulting load reads
/// zeros; the reader then reports the window instead of trusting it. A fault anywhere else
/// goes to the handler the process had before (a `SA_SIGINFO` or plain handler is called;
/// `SIG_DFL` is restored and the signal raised again; `SIG_IGN` ignores a sent signal, and a
/// real fault gets the default action, as the kernel would give it). The previous handler is
/// restored when the last window closes, unless someone replaced ours meanwhile.
///
/// The handler takes no lock and allocates nothing: windows live in a fixed table of atomic
/// slots (base, length, failed), claimed by compare-and-exchange.
enum MappedWindowGuard {
    /// Windows that can be watched at once; a reader that finds no free slot reads with
    /// `pread` instead.
    static let capacity = 256

    /// The fixed, never-freed state the handler reads.
    private final class Table: @unchecked Sendable {
        /// Window start addresses; 0 = free, 1 = being claimed.
        let bases: UnsafeMutablePointer<Atomic<UInt>>
        /// Window lengths in bytes (whole memory pages).
        let lengths: UnsafeMutablePointer<Atomic<UInt>>
        /// Set by the handler when a load in the window faulted.
        let failed: UnsafeMutablePointer<Atomic<Bool>>
        /// The handlers the process had, one per guarded signal, read by the handler (written
        /// under `users`' lock before ours is installed).
        let previous: UnsafeMutablePointer<sigaction>
        let memoryPageSize = UInt(SystemCalls.memoryPageSize)

        init() {
            bases = .allocate(capacity: capacity)
            lengths = .allocate(capacity: capacity)
            failed = .allocate(capacity: capacity)
            for index in 0..<capacity {
                (bases + index).initialize(to: Atomic(0))
                (lengths + index).initialize(to: Atomic(0))
                (failed + index).initialize(to: Atomic(false))
            }
            previous = .allocate(capacity: guardedSignals.count)
            previous.initialize(repeating: sigaction(), count: guardedSignals.count)
            _ = MappedWindowGuard.entry  // initialised here, never first inside the handler
        }
    }

    private static let table = Table()

    /// Watched windows (the handler is installed while this is above zero).
    private static let users = Locked(0)

    /// The signals a file truncated under a mapping raises.
    #if canImport(Darwin)
    static let guardedSignals: [Int32] = [SIGBUS, SIGSEGV]
    #else
    static let guardedSignals: [Int32] = [SIGBUS]
    #endif

    /// The position of `signal` in `guardedSignals` (no array access: used by the handler).
    private static func signalIndex(_ signal: Int32) -> Int? {
        #if canImport(Darwin)
        signal == SIGBUS ? 0 : signal == SIGSEGV ? 1 : nil
        #else
        signal == SIGBUS ? 0 : nil
        #endif
    }

    /// Starts watching `length` bytes mapped at `base` (page-aligned), installing the handler
    /// if it is not installed. Returns the window's slot, or nil when every slot is taken.
    static func watch(_ base: UnsafeRawPointer, length: Int) -> Int? {
        let table = self.table
        guard let slot = (0..<capacity).first(where: {
            table.bases[$0].compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged
        }) else { return nil }
        users.withLock { count in
            if count == 0 { install() }
            count += 1
        }
        let pageSize = table.memoryPageSize
        table.lengths[slot].store((UInt(length) + pageSize - 1) / pageSize * pageSize, ordering: .relaxed)
        table.failed[slot].store(false, ordering: .relaxed)
        table.bases[slot].store(UInt(bitPattern: base), ordering: .releasing)
        return slot
    }

    /// Stops watching the window in `slot` (before it is unmapped); returns whether a load
    /// in it faulted — then its bytes were zeros from the fault on, and must not be trusted.
    static func end(_ slot: Int) -> Bool {
        let table = self.table
        let faulted = table.failed[slot].load(ordering: .acquiring)
        table.bases[slot].store(0, ordering: .releasing)
        users.withLock { count in
            count -= 1
            if count == 0 { uninstall() }
        }
        return faulted
    }

    /// The handler's C entry point.
    private static let entry: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
        MappedWindowGuard.handle($0, $1, $2)
    }

    private static func install() {
        let table = self.table
        for (index, signal) in guardedSignals.enumerated() {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_sigaction = entry
            #else
            action.__sigaction_handler.sa_sigaction = entry
            #endif
            action.sa_flags = SA_SIGINFO | SA_ONSTACK
            sigemptyset(&action.sa_mask)
            _ = sigaction(signal, &action, table.previous + index)
        }
    }

    private static func uninstall() {
        let table = self.table
        for (index, signal) in guardedSignals.enumerated() {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, handlerAddress(current) == handlerAddress(entry) else { continue }
            _ = sigaction(signal, table.previous + index, nil)
        }
    }

    /// The raw address of a handler (0 = `SIG_DFL`, 1 = `SIG_IGN`).
    private static func handlerAddress(_ action: sigaction) -> UInt {
        #if canImport(Darwin)
        unsafeBitCast(action.__sigaction_u, to: UInt.self)
        #else
        unsafeBitCast(action.__sigaction_handler, to: UInt.self)
        #endif
    }

    private static func handlerAddress(_ function: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void) -> UInt {
        unsafeBitCast(function, to: UInt.self)
    }

    /// The signal handler. Async-signal-safe: atomics, `mmap`, `sigaction`, `raise` only.
    private static func handle(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        let savedErrno = errno
        defer { errno = savedErrno }
        let table = self.table
        if let info, let address = faultAddress(info) {
            for slot in 0..<capacity {
                let base = table.bases[slot].load(ordering: .acquiring)
                guard base > 1, address >= base else { continue }
                let length = table.lengths[slot].load(ordering: .relaxed)
                guard address - base < length else { continue }
                // Zeros from the faulting page to the end of the window: one fault per window.
                let page = address - address % table.memoryPageSize
                let zeros = mmap(UnsafeMutableRawPointer(bitPattern: page), Int(base + length - page), PROT_READ,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                table.failed[slot].store(true, ordering: .releasing)
                if zeros != MAP_FAILED { return }
                break  // cannot repair the window: let the previous handler decide
            }
        }
        chain(signal, info, context)
    }

    /// The address a fault signal reports, or nil for a signal someone sent.
    private static func faultAddress(_ info: UnsafeMutablePointer<siginfo_t>) -> UInt? {
        guard info.pointee.si_code > 0 else { return nil }  // SI_USER, SI_QUEUE, SI_TKILL are ≤ 0
        #if canImport(Darwin)
        return UInt(bitPattern: info.pointee.si_addr)
        #else
        return UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
        #endif
    }

    /// Hands a signal that is not ours to the handler the process had before.
    private static func chain(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        guard let index = signalIndex(signal) else { return }
        let previous = table.previous[index]
        let address = handlerAddress(previous)
        let sent = (info?.pointee.si_code ?? 0) <= 0
        switch address {
        case 1 where sent:  // SIG_IGN
            return
        case 0, 1:  // SIG_DFL, or a real fault the kernel would not let be ignored
            var defaultAction = sigaction()
            sigemptyset(&defaultAction.sa_mask)
            _ = sigaction(signal, &defaultAction, nil)
            // A sent signal is raised again (it is blocked until the handler returns); a real
            // fault happens again when the load re-executes.
            if sent { _ = raise(signal) }
        default:
            if previous.sa_flags & SA_SIGINFO != 0 {
                let function = unsafeBitCast(address, to: (@convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void).self)
                function(signal, info, context)
            } else {
                let function = unsafeBitCast(address, to: (@convention(c) (Int32) -> Void).self)
                function(signal)
            }
        }
    }
}
