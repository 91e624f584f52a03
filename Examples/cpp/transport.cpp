// A backup transport in C++17, built from the SDK with pkg-config alone:
//
//   c++ -std=c++17 -O2 transport.cpp $(pkg-config --cflags --libs esecheck) -pthread -o transport
//
// The same flow as Examples/c/transport.c, with RAII and std::thread: the databases are
// streamed (the checker opens none of them), several threads feed 1 MiB chunks in any
// order while the logs are checked, one chunk is skipped and found again through the
// coverage (esecheck_get_missing_pages), one is damaged in transit and resubmitted after a
// second read, and misuse is refused with -1003.
//
// usage: transport LOGDIR BASENAME DATABASE...
// exit: 0 restorable (VSS: SetBackupSucceeded(true)), 1 not restorable, 2 usage or I/O,
//       3 the SDK did not behave as documented.
#include <esecheck.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t chunkSize = 1 << 20;
constexpr size_t leadingSize = 65536;

[[noreturn]] void sdkFailed(const std::string &what) {
    std::fprintf(stderr, "SDK misbehaved: %s\n", what.c_str());
    std::exit(3);
}

// One session, deleted with the object.
struct Session {
    std::unique_ptr<esecheck_session, decltype(&esecheck_delete)> handle{esecheck_new(), &esecheck_delete};
    esecheck_session *get() const { return handle.get(); }
};

// A database file the transport reads; the checker only sees what it is given.
struct Source {
    std::string path;
    int fd = -1;
    uint64_t size = 0;
    std::vector<unsigned char> leading;

    explicit Source(std::string name) : path(std::move(name)) {
        fd = open(path.c_str(), O_RDONLY);
        struct stat info {};
        if (fd < 0 || fstat(fd, &info) != 0) throw std::runtime_error("cannot open " + path);
        size = static_cast<uint64_t>(info.st_size);
        leading.resize(leadingSize);
        ssize_t got = pread(fd, leading.data(), leading.size(), 0);
        if (got < 0) throw std::runtime_error("cannot read " + path);
        leading.resize(static_cast<size_t>(got));
    }
    Source(Source &&other) noexcept : path(std::move(other.path)), fd(other.fd), size(other.size), leading(std::move(other.leading)) {
        other.fd = -1;
    }
    ~Source() { if (fd >= 0) close(fd); }
};

class Transport {
public:
    Transport(Session &session, std::vector<Source> &sources, uint32_t pageSize, uint64_t firstOffset)
        : session_(session), sources_(sources), pageSize_(pageSize), firstOffset_(firstOffset) {}

    // Reads one range and sends it; a copy the checker finds bad is read again and resubmitted.
    void send(uint32_t db, uint64_t offset, size_t size, std::vector<char> &buffer, bool damageInTransit) {
        if (!read(db, offset, size, buffer)) return;
        if (damageInTransit) buffer[100] ^= 0x5A;
        int32_t result = esecheck_check_db_pages(session_.get(), db, offset, buffer.data(), size, nullptr, 0);
        if (result == -1018 || result == -1021) {
            if (!read(db, offset, size, buffer)) return;
            result = esecheck_resubmit_db_pages(session_.get(), db, offset, buffer.data(), size, nullptr, 0);
            ++resubmitted;
            if (result == -1018) ++damagedAtSource;
        }
        if (result != 0 && result != -1018 && result != -535 && result != -4001) ++failed;
    }

    // Several threads take chunks from one counter, in whatever order they get them.
    void streamAll(unsigned threads) {
        uint64_t largest = 0;
        for (const Source &s : sources_) largest = std::max(largest, s.size);
        const uint64_t perDatabase = largest > firstOffset_ ? (largest - firstOffset_ + chunkSize - 1) / chunkSize : 0;
        std::atomic<uint64_t> next{0};
        std::vector<std::thread> workers;
        for (unsigned i = 0; i < threads; i++) {
            workers.emplace_back([&] {
                std::vector<char> buffer(chunkSize);
                for (uint64_t chunk; (chunk = next++) < perDatabase * sources_.size();) {
                    uint32_t db = static_cast<uint32_t>(chunk / perDatabase);
                    uint64_t offset = firstOffset_ + (chunk % perDatabase) * chunkSize;
                    if (offset >= sources_[db].size) continue;
                    if (db == 0 && chunk == 2) continue;  // the skipped chunk
                    send(db, offset, static_cast<size_t>(std::min<uint64_t>(chunkSize, sources_[db].size - offset)), buffer,
                         db == 0 && chunk == 1);          // the chunk damaged in transit
                }
            });
        }
        int32_t onlyUnnecessary = 0;
        logs = esecheck_check_logs(session_.get(), &onlyUnnecessary);  // while the pages stream
        for (std::thread &worker : workers) worker.join();
    }

    // Whatever was never checked is sent before esecheck_term.
    void sendMissing() {
        std::vector<char> buffer(chunkSize);
        for (uint32_t db = 0; db < sources_.size(); db++) {
            std::vector<esecheck_page_range> runs(esecheck_get_missing_pages(session_.get(), db, nullptr, 0));
            esecheck_get_missing_pages(session_.get(), db, runs.data(), static_cast<uint32_t>(runs.size()));
            for (const esecheck_page_range &run : runs) {
                std::printf("%s: pages %u-%u were never checked; sending them\n", sources_[db].path.c_str(), run.first, run.last);
                uint64_t start = firstOffset_ + uint64_t(run.first - 1) * pageSize_, end = firstOffset_ + uint64_t(run.last) * pageSize_;
                for (uint64_t offset = start; offset < end; offset += chunkSize)
                    send(db, offset, static_cast<size_t>(std::min<uint64_t>(chunkSize, end - offset)), buffer, false);
            }
            if (esecheck_get_missing_pages(session_.get(), db, nullptr, 0) != 0) sdkFailed("pages still missing after resending");
        }
    }

    std::atomic<int> resubmitted{0}, damagedAtSource{0}, failed{0};
    int32_t logs = 0;

private:
    bool read(uint32_t db, uint64_t offset, size_t size, std::vector<char> &buffer) {
        ssize_t got = pread(sources_[db].fd, buffer.data(), size, static_cast<off_t>(offset));
        if (got == static_cast<ssize_t>(size)) return true;
        esecheck_read_failed(session_.get(), db, offset, size, got < 0 ? errno : 0);  // never certified
        return false;
    }

    Session &session_;
    std::vector<Source> &sources_;
    uint32_t pageSize_;
    uint64_t firstOffset_;
};

void expectMisuseRefused(Session &session) {
    char page[8192] = {};
    if (esecheck_check_db_pages(session.get(), 0, 0, page, sizeof page, nullptr, 0) != -1003) sdkFailed("pages before init");
    if (esecheck_init_sources(session.get(), nullptr, 1, nullptr, nullptr) != -1003) sdkFailed("NULL sources accepted");
    if (esecheck_term(session.get()) != -1003) sdkFailed("term before init");
    std::printf("misuse refused: pages before init, NULL sources, term before init\n");
}

int report(Session &session, const std::vector<Source> &sources, int32_t term, const Transport &transport) {
    esecheck_summary summary{};
    if (esecheck_get_summary(session.get(), &summary) != 0 || summary.jet_error != term) sdkFailed("summary");
    for (uint32_t db = 0; db < summary.database_count; db++) {
        esecheck_database_result result{};
        if (esecheck_get_database_result(session.get(), db, &result) != 0) sdkFailed("database result");
        char verdict[64];
        esecheck_database_verdict(session.get(), db, verdict, sizeof verdict);
        std::printf("%s: %s (JET %d), pages %llu of %llu checked, %llu bad\n", sources[db].path.c_str(), verdict, result.jet_error,
                    static_cast<unsigned long long>(result.pages_checked), static_cast<unsigned long long>(result.pages_expected),
                    static_cast<unsigned long long>(result.pages_bad));
        for (uint32_t i = 0; i < result.reason_count; i++) {
            esecheck_reason reason{};
            if (esecheck_get_reason(session.get(), db, i, &reason) != 0) sdkFailed("reason");
            std::printf("  %s %s: %s\n", reason.is_warning ? "warning" : "reason", reason.code, reason.message);
        }
        esecheck_structure structure{};
        if (esecheck_get_structure(session.get(), db, &structure) != 0) sdkFailed("structure");
        std::printf("  structure: %s, %u trees, %u findings\n", structure.checked ? "walked" : "not verified", structure.trees,
                    structure.finding_count + structure.findings_omitted);
        for (uint32_t i = 0; i < structure.finding_count; i++) {
            esecheck_structure_finding finding{};
            if (esecheck_get_structure_finding(session.get(), db, i, &finding) != 0) sdkFailed("structure finding");
            std::printf("  page %u of tree %u: %s (JET %d)\n", finding.page, finding.tree, finding.message, finding.jet_error);
        }
    }
    std::printf("resubmitted %d batches, %d damaged at the source\n", transport.resubmitted.load(), transport.damagedAtSource.load());
    std::printf("JET %d: SetBackupSucceeded(%s)\n", term, summary.restorable ? "true" : "false");
    if (summary.restorable && summary.truncate_below > 0) std::printf("logs below generation %d may be truncated\n", summary.truncate_below);
    return summary.restorable ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s LOGDIR BASENAME DATABASE...\n", argv[0]);
        return 2;
    }
    std::printf("esecheck %s (header %s)\n", esecheck_version(), ESECHECK_VERSION);
    Session session;
    if (!session.get()) return 2;
    expectMisuseRefused(session);
    std::vector<Source> sources;
    std::vector<esecheck_source> streams;
    try {
        for (int i = 3; i < argc; i++) sources.emplace_back(argv[i]);
    } catch (const std::exception &error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 2;
    }
    for (const Source &s : sources) streams.push_back({nullptr, s.path.c_str(), s.size, s.leading.data(), s.leading.size()});
    if (esecheck_init_sources(session.get(), streams.data(), static_cast<uint32_t>(streams.size()), argv[1], argv[2]) != 0)
        sdkFailed("init_sources");
    uint32_t pageSize = 0, headerPages = 0;
    int32_t headers = esecheck_check_db_headers(session.get(), &pageSize, &headerPages, nullptr, nullptr, nullptr);
    if (headers != 0) std::printf("database headers: JET %d (the verdict will say why)\n", headers);
    if (pageSize == 0) pageSize = 32768;
    Transport transport(session, sources, pageSize, uint64_t(headerPages) * pageSize);
    if (headers == 0) {
        transport.streamAll(std::max(2u, std::thread::hardware_concurrency()));
        if (transport.failed) return 2;
        transport.sendMissing();
    } else {
        transport.logs = esecheck_check_logs(session.get(), nullptr);
    }
    std::printf("logs: JET %d\n", transport.logs);
    return report(session, sources, esecheck_term(session.get()), transport);
}
