/*
 * A backup transport in C, built from the SDK with pkg-config alone:
 *
 *   cc -std=c11 -O2 transport.c $(pkg-config --cflags --libs esecheck) -lpthread -o transport
 *
 * It streams the databases of a storage group to the checker as it would stream them to
 * backup storage: the checker never opens a database (streamed sources: name, size, first
 * bytes); four threads read 1 MiB chunks in any order and hand each buffer to
 * esecheck_check_db_pages, while the main thread checks the logs. Three things go wrong on
 * purpose, as they do in real transports:
 *
 *   - a skipped chunk: one chunk never reaches the checker. Before esecheck_term the
 *     transport asks which pages were never checked (esecheck_get_missing_pages) and
 *     sends them;
 *   - a damaged page: one chunk is damaged in transit (a byte flipped in the buffer). The
 *     batch returns -1018; the transport reads the range again from the source and
 *     resubmits it (esecheck_resubmit_db_pages). A page damaged at the source stays bad and
 *     the database is "corrupt";
 *   - misuse: calls out of order or with bad arguments return -1003 and change nothing.
 *
 * usage: transport LOGDIR BASENAME DATABASE...
 * exit: 0 restorable (VSS: SetBackupSucceeded(true)), 1 not restorable, 2 usage or I/O,
 *       3 the SDK did not behave as documented.
 */
#define _POSIX_C_SOURCE 200809L
#include <esecheck.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_DATABASES = 16, THREADS = 4, CHUNK = 1 << 20, LEADING = 65536 };

struct database {
    const char *path;
    int fd;
    uint64_t size;
};

struct transport {
    esecheck_session *session;
    struct database databases[MAX_DATABASES];
    uint32_t database_count;
    uint32_t page_size;
    uint64_t first_offset;          /* the first data page: after the header pages */
    uint64_t chunks_per_database;
    atomic_uint_fast64_t next_chunk; /* the work queue: chunk numbers handed out in order */
    atomic_int resubmitted;
    atomic_int damaged_at_source;
    atomic_int failed;
};

#define SDK_FAIL(...) do { fprintf(stderr, "SDK misbehaved: " __VA_ARGS__); fputc('\n', stderr); exit(3); } while (0)

/* Reads `size` bytes at `offset`; reports a failure to the checker, as a transport must. */
static int read_range(struct transport *t, uint32_t db, uint64_t offset, void *buffer, size_t size) {
    ssize_t got = pread(t->databases[db].fd, buffer, size, (off_t)offset);
    if (got == (ssize_t)size) return 0;
    esecheck_read_failed(t->session, db, offset, size, got < 0 ? errno : 0);
    return -1;
}

/* Sends one range; a batch the checker finds bad is read again and resubmitted once. */
static void send_range(struct transport *t, uint32_t db, uint64_t offset, size_t size, char *buffer, int damage_in_transit) {
    if (read_range(t, db, offset, buffer, size) != 0) return;
    if (damage_in_transit) buffer[100] ^= 0x5A;
    int32_t result = esecheck_check_db_pages(t->session, db, offset, buffer, size, NULL, 0);
    if (result == -1018 || result == -1021) {
        /* Bad in this copy: read it again. The new copy replaces the old one. */
        if (read_range(t, db, offset, buffer, size) != 0) return;
        result = esecheck_resubmit_db_pages(t->session, db, offset, buffer, size, NULL, 0);
        atomic_fetch_add(&t->resubmitted, 1);
        if (result == -1018) atomic_fetch_add(&t->damaged_at_source, 1);
    }
    if (result != 0 && result != -1018 && result != -535 && result != -4001) {
        fprintf(stderr, "pages of %s at %llu: %d\n", t->databases[db].path, (unsigned long long)offset, result);
        atomic_fetch_add(&t->failed, 1);
    }
}

static void *worker(void *argument) {
    struct transport *t = argument;
    char *buffer = NULL;
    if (posix_memalign((void **)&buffer, 4096, CHUNK) != 0) { atomic_fetch_add(&t->failed, 1); return NULL; }
    for (;;) {
        uint64_t chunk = atomic_fetch_add(&t->next_chunk, 1);
        if (chunk >= t->chunks_per_database * t->database_count) break;
        uint32_t db = (uint32_t)(chunk / t->chunks_per_database);
        uint64_t offset = t->first_offset + (chunk % t->chunks_per_database) * CHUNK;
        if (offset >= t->databases[db].size) continue;
        uint64_t left = t->databases[db].size - offset;
        size_t size = left < CHUNK ? (size_t)left : CHUNK;
        if (db == 0 && chunk == 2) continue;                 /* the skipped chunk */
        send_range(t, db, offset, size, buffer, db == 0 && chunk == 1);   /* the damaged one */
    }
    free(buffer);
    return NULL;
}

/* Before esecheck_term: whatever was never checked is sent now. */
static void send_missing(struct transport *t) {
    char *buffer = malloc(CHUNK);
    for (uint32_t db = 0; db < t->database_count; db++) {
        uint32_t count = esecheck_get_missing_pages(t->session, db, NULL, 0);
        esecheck_page_range *runs = calloc(count ? count : 1, sizeof *runs);
        count = esecheck_get_missing_pages(t->session, db, runs, count);
        for (uint32_t i = 0; i < count; i++) {
            printf("%s: pages %u-%u were never checked; sending them\n", t->databases[db].path, runs[i].first, runs[i].last);
            uint64_t start = t->first_offset + (uint64_t)(runs[i].first - 1) * t->page_size;
            uint64_t end = t->first_offset + (uint64_t)runs[i].last * t->page_size;
            for (uint64_t offset = start; offset < end; offset += CHUNK)
                send_range(t, db, offset, end - offset < CHUNK ? (size_t)(end - offset) : CHUNK, buffer, 0);
        }
        if (esecheck_get_missing_pages(t->session, db, NULL, 0) != 0) SDK_FAIL("pages still missing after resending");
        free(runs);
    }
    free(buffer);
}

/* Misuse: refused with -1003, and the session goes on as if nothing happened. */
static void misuse_before_headers(esecheck_session *session) {
    static char page[8192];
    if (esecheck_check_db_pages(session, 0, 0, page, sizeof page, NULL, 0) != -1003) SDK_FAIL("pages before init accepted");
    if (esecheck_term(session) != -1003) SDK_FAIL("term before init accepted");
    if (esecheck_set_backup_type(session, 7) != -1003) SDK_FAIL("backup type 7 accepted");
    esecheck_summary summary;
    if (esecheck_get_summary(session, &summary) != -1003) SDK_FAIL("a summary before term");
    printf("misuse refused: pages and term before init, an unknown backup type, a summary before term\n");
}

static void misuse_after_headers(struct transport *t) {
    char *page = calloc(1, t->page_size);
    if (esecheck_check_db_pages(t->session, 0, t->first_offset + 100, page, t->page_size, NULL, 0) != -1003)
        SDK_FAIL("a batch off a page boundary accepted");
    if (esecheck_check_db_pages(t->session, t->database_count, t->first_offset, page, t->page_size, NULL, 0) != -1003)
        SDK_FAIL("an unknown database accepted");
    if (esecheck_set_max_findings(t->session, 10) != -1003) SDK_FAIL("a setting after init accepted");
    if (esecheck_set_max_rate(t->session, 1000) != -1003) SDK_FAIL("a rate after init accepted");
    free(page);
    printf("misuse refused: a batch off a page boundary, an unknown database, a setting after init\n");
}

/* Opens the databases and registers them as streams: name, size, first bytes. */
static void open_streams(struct transport *t, int count, char **paths, const char *logs, const char *base) {
    esecheck_source sources[MAX_DATABASES];
    static unsigned char leading[MAX_DATABASES][LEADING];
    for (int i = 0; i < count; i++) {
        struct database *d = &t->databases[i];
        struct stat info;
        d->path = paths[i];
        d->fd = open(d->path, O_RDONLY);
        if (d->fd < 0 || fstat(d->fd, &info) != 0) { perror(d->path); exit(2); }
        d->size = (uint64_t)info.st_size;
        ssize_t got = pread(d->fd, leading[i], LEADING, 0);
        if (got < 0) { perror(d->path); exit(2); }
        sources[i] = (esecheck_source){ .path = NULL, .name = d->path, .file_size = d->size,
                                        .leading_bytes = leading[i], .leading_size = (size_t)got };
    }
    t->database_count = (uint32_t)count;
    if (esecheck_set_backup_type(t->session, ESECHECK_BACKUP_FULL) != 0) SDK_FAIL("set_backup_type");
    /* Spare a production server: the pages handed over are paced to 2 GB/s (header 1.1). */
    if (esecheck_set_max_rate(t->session, 2000000000u) != 0) SDK_FAIL("set_max_rate");
    if (esecheck_init_sources(t->session, sources, (uint32_t)count, logs, base) != 0) SDK_FAIL("init_sources");
}

static const char *verdict_name(int32_t verdict) {
    static const char *names[] = { "consistent", "recoverable", "recoverableWithLoss", "missingLogs", "logsDamaged",
                                   "corrupt", "truncated", "signatureMismatch", "notRecoverable", "unreadable",
                                   "incomplete", "unusableState", "unsupportedBackup", "unstable" };
    return verdict >= 0 && verdict < (int32_t)(sizeof names / sizeof *names) ? names[verdict] : "(newer than this program)";
}

static int report(struct transport *t, int32_t term) {
    esecheck_summary summary;
    esecheck_replay_plan plan;
    if (esecheck_get_summary(t->session, &summary) != 0 || esecheck_get_replay_plan(t->session, &plan) != 0) SDK_FAIL("results");
    if (summary.jet_error != term) SDK_FAIL("summary %d, term %d", summary.jet_error, term);
    for (uint32_t db = 0; db < summary.database_count; db++) {
        esecheck_database_result r;
        if (esecheck_get_database_result(t->session, db, &r) != 0) SDK_FAIL("database result");
        char text[64];
        esecheck_database_verdict(t->session, db, text, sizeof text);
        if (strcmp(text, verdict_name(r.verdict)) != 0) SDK_FAIL("verdict %d is '%s'", r.verdict, text);
        printf("%s: %s (JET %d), pages %llu of %llu checked, %llu bad; logs required %d-%d\n", t->databases[db].path,
               text, r.jet_error, (unsigned long long)r.pages_checked, (unsigned long long)r.pages_expected,
               (unsigned long long)r.pages_bad, r.required_min, r.required_max);
        for (uint32_t i = 0; i < r.reason_count; i++) {
            esecheck_reason reason;
            if (esecheck_get_reason(t->session, db, i, &reason) != 0) SDK_FAIL("reason");
            printf("  %s %s: %s\n", reason.is_warning ? "warning" : "reason", reason.code, reason.message);
        }
        /* The B-tree and space-tree walk: an all-zero page a tree uses passes every checksum. */
        esecheck_structure structure;
        if (esecheck_get_structure(t->session, db, &structure) != 0) SDK_FAIL("structure");
        if (structure.checked)
            printf("  structure: %u trees, %llu pages in use, %llu free, %u findings\n", structure.trees,
                   (unsigned long long)structure.pages_in_use, (unsigned long long)structure.pages_free,
                   structure.finding_count + structure.findings_omitted);
        else
            printf("  structure: not verified (scope %d)\n", structure.scope);
        for (uint32_t i = 0; i < structure.finding_count; i++) {
            esecheck_structure_finding finding;
            if (esecheck_get_structure_finding(t->session, db, i, &finding) != 0) SDK_FAIL("structure finding");
            printf("  page %u of tree %u: %s (JET %d)\n", finding.page, finding.tree, finding.message, finding.jet_error);
        }
    }
    if (plan.known) printf("replay: generations %d-%d, failure %d\n", plan.start, plan.end, plan.failure_jet_error);
    printf("resubmitted %d batches, %d damaged at the source\n", atomic_load(&t->resubmitted), atomic_load(&t->damaged_at_source));
    printf("verdict %s, JET %d: SetBackupSucceeded(%s)\n", verdict_name(summary.verdict), term,
           summary.restorable ? "true" : "false");
    if (summary.restorable && summary.truncate_below > 0)
        printf("logs below generation %d may be truncated\n", summary.truncate_below);
    return summary.restorable ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc - 3 > MAX_DATABASES) {
        fprintf(stderr, "usage: %s LOGDIR BASENAME DATABASE...\n", argv[0]);
        return 2;
    }
    printf("esecheck %s (header %s)\n", esecheck_version(), ESECHECK_VERSION);
    if (strcmp(esecheck_version(), ESECHECK_VERSION) != 0) SDK_FAIL("library and header versions differ");
    static struct transport t;
    t.session = esecheck_new();
    if (!t.session) return 2;
    misuse_before_headers(t.session);
    open_streams(&t, argc - 3, argv + 3, argv[1], argv[2]);
    uint32_t header_pages = 0;
    int32_t result = esecheck_check_db_headers(t.session, &t.page_size, &header_pages, NULL, NULL, NULL);
    if (result != 0) printf("database headers: JET %d (the verdict will say why)\n", result);
    if (t.page_size == 0) t.page_size = 32768;
    t.first_offset = (uint64_t)header_pages * t.page_size;
    uint64_t largest = 0;
    for (uint32_t i = 0; i < t.database_count; i++) if (t.databases[i].size > largest) largest = t.databases[i].size;
    t.chunks_per_database = largest > t.first_offset ? (largest - t.first_offset + CHUNK - 1) / CHUNK : 0;
    if (result == 0) misuse_after_headers(&t);

    pthread_t threads[THREADS];
    int started = result == 0 ? THREADS : 0;        /* no page can be checked without a valid header */
    for (int i = 0; i < started; i++) pthread_create(&threads[i], NULL, worker, &t);
    int32_t only_unnecessary = 0;
    int32_t logs = esecheck_check_logs(t.session, &only_unnecessary);   /* while the pages stream */
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    printf("logs: JET %d%s\n", logs, only_unnecessary ? " (only logs recovery does not need are damaged)" : "");
    if (atomic_load(&t.failed)) return 2;
    if (result == 0) send_missing(&t);

    int32_t term = esecheck_term(t.session);
    if (esecheck_term(t.session) != -1003) SDK_FAIL("a second term accepted");
    int status = report(&t, term);
    esecheck_delete(t.session);
    for (uint32_t i = 0; i < t.database_count; i++) close(t.databases[i].fd);
    return status;
}
