/*
 * The SDK calls beyond CHKSGFILES' flow, driven from C: the version, streamed sources, a
 * range the transport could not read, the backup type, and the result accessors (summary,
 * per database result, reasons, page runs live and final, replay plan), each struct
 * written between guard bytes that must stay untouched.
 *
 * usage: results DATABASE LOGDIR BASENAME   (a dirty database whose logs make it recoverable)
 * Prints one line per session; exit status 0 when everything behaves as esecheck.h says.
 */
#define _POSIX_C_SOURCE 200809L
#include "esecheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAIL(...) do { fprintf(stderr, "results: " __VA_ARGS__); fprintf(stderr, "\n"); exit(1); } while (0)
#define GUARD 0xAB

static const char *database, *logs, *base;
static uint64_t file_size;
static uint32_t page_size;
static int32_t required_min, required_max;

/* A result struct with guard bytes on both sides. */
struct guarded { unsigned char before[32]; unsigned char body[256]; unsigned char after[32]; };

static void *guarded_body(struct guarded *g) { memset(g, GUARD, sizeof *g); return g->body; }

static void check_guards(const struct guarded *g, size_t size, const char *what) {
    for (size_t i = 0; i < sizeof g->before; i++) if (g->before[i] != GUARD) FAIL("%s wrote before its struct", what);
    for (size_t i = size; i < sizeof g->body; i++) if (g->body[i] != GUARD) FAIL("%s wrote past its %zu bytes", what, size);
}

/* Feeds data pages [first_page, end_page) (logical numbers) from the file, 8 at a time. */
static void feed(esecheck_session *session, uint32_t first_page, uint32_t end_page) {
    int fd = open(database, O_RDONLY);
    char *buffer = malloc((size_t)page_size * 8);
    for (uint32_t page = first_page; page < end_page; page += 8) {
        uint32_t count = end_page - page < 8 ? end_page - page : 8;
        uint64_t offset = (uint64_t)(page + 1) * page_size;
        if (pread(fd, buffer, (size_t)count * page_size, (off_t)offset) != (ssize_t)count * page_size) FAIL("read failed");
        int32_t result = esecheck_check_db_pages(session, 0, offset, buffer, (size_t)count * page_size, NULL, 0);
        if (result != 0) FAIL("pages %u+%u: %d", page, count, result);
    }
    free(buffer);
    close(fd);
}

static esecheck_session *files_session(int32_t backup_type) {
    esecheck_session *session = esecheck_new();
    if (esecheck_set_backup_type(session, backup_type) != 0) FAIL("backup type %d refused", backup_type);
    const char *paths[] = { database };
    if (esecheck_init(session, paths, 1, logs, base) != 0) FAIL("init failed");
    if (esecheck_set_backup_type(session, ESECHECK_BACKUP_FULL) != -1003) FAIL("a backup type after init must fail");
    esecheck_check_db_headers(session, &page_size, NULL, NULL, &required_min, &required_max);
    return session;
}

static esecheck_database_result result_of(esecheck_session *session) {
    struct guarded g;
    esecheck_database_result *r = guarded_body(&g);
    if (esecheck_get_database_result(session, 0, r) != 0) FAIL("get_database_result failed");
    check_guards(&g, sizeof *r, "esecheck_get_database_result");
    for (size_t i = 0; i < sizeof r->reserved / sizeof r->reserved[0]; i++) if (r->reserved[i]) FAIL("reserved not zero");
    char text[64];
    esecheck_database_verdict(session, 0, text, sizeof text);
    static const char *names[] = { "consistent", "recoverable", "recoverableWithLoss", "missingLogs", "logsDamaged",
                                   "corrupt", "truncated", "signatureMismatch", "notRecoverable", "unreadable",
                                   "incomplete", "unusableState", "unsupportedBackup", "unstable" };
    if (r->verdict < 0 || r->verdict > 13 || strcmp(names[r->verdict], text) != 0) FAIL("verdict %d is '%s'", r->verdict, text);
    if (r->restorable != (r->verdict <= ESECHECK_VERDICT_RECOVERABLE) || (r->jet_error == 0) != r->restorable)
        FAIL("verdict %d, restorable %d, jet %d", r->verdict, r->restorable, r->jet_error);
    return *r;
}

static int has_reason(esecheck_session *session, uint32_t count, const char *code, int32_t jet_error) {
    int found = 0;
    for (uint32_t i = 0; i < count; i++) {
        struct guarded g;
        esecheck_reason *reason = guarded_body(&g);
        if (esecheck_get_reason(session, 0, i, reason) != 0) FAIL("reason %u", i);
        check_guards(&g, sizeof *reason, "esecheck_get_reason");
        if (!reason->code || !reason->message || !*reason->message) FAIL("reason %u without text", i);
        if (strcmp(reason->code, code) == 0 && reason->jet_error == jet_error) found = 1;
    }
    esecheck_reason reason;
    if (esecheck_get_reason(session, 0, count, &reason) != -1003) FAIL("a reason past the count must fail");
    return found;
}

/* Pages skipped and pages fed twice: named live, before term, and in the final result. */
static void coverage_session(uint32_t pages) {
    esecheck_session *session = files_session(ESECHECK_BACKUP_FULL);
    feed(session, 1, 17);
    feed(session, 25, pages + 1);
    feed(session, 41, 49);                       /* 41-48 twice, the same bytes */
    esecheck_page_range runs[4];
    memset(runs, GUARD, sizeof runs);
    if (esecheck_get_missing_pages(session, 0, runs, 1) != 1 || runs[0].first != 17 || runs[0].last != 24) FAIL("live missing runs");
    if (runs[1].first != 0xABABABABu) FAIL("a run written past the capacity");
    esecheck_summary summary;
    if (esecheck_get_summary(session, &summary) != -1003) FAIL("a summary before term must fail");
    esecheck_check_logs(session, NULL);
    int32_t term = esecheck_term(session);
    esecheck_database_result r = result_of(session);
    if (r.verdict != ESECHECK_VERDICT_INCOMPLETE || term != r.jet_error || r.pages_checked != pages - 8 || r.pages_expected != pages)
        FAIL("coverage: verdict %d term %d checked %llu of %llu", r.verdict, term, (unsigned long long)r.pages_checked,
             (unsigned long long)r.pages_expected);
    if (r.missing_range_count != 1 || r.duplicated_range_count != 1 || r.conflicting_range_count != 0) FAIL("range counts");
    if (esecheck_get_duplicated_pages(session, 0, runs, 4) != 1 || runs[0].first != 41 || runs[0].last != 48) FAIL("duplicated runs");
    if (esecheck_get_missing_pages(session, 0, NULL, 0) != 1) FAIL("final missing count");
    if (!has_reason(session, r.reason_count, "pagesNotChecked", -106)) FAIL("no pagesNotChecked reason");
    printf("coverage: verdict %d, missing 17-24, duplicated 41-48, term %d\n", r.verdict, term);
    esecheck_delete(session);
}

/* A recoverable database streamed (the checker never opens it): every accessor. */
static void stream_session(uint32_t pages) {
    esecheck_session *session = esecheck_new();
    static unsigned char leading[65536];
    int fd = open(database, O_RDONLY);
    ssize_t got = pread(fd, leading, sizeof leading, 0);
    close(fd);
    esecheck_source bad = { NULL, NULL, file_size, leading, (size_t)got };
    if (esecheck_init_sources(session, &bad, 1, logs, base) != -1003) FAIL("a stream without a name must fail");
    bad = (esecheck_source){ NULL, "x", file_size, NULL, 10 };
    if (esecheck_init_sources(session, &bad, 1, logs, base) != -1003) FAIL("a stream without its bytes must fail");
    esecheck_source source = { NULL, "streamed.edb", file_size, leading, (size_t)got };
    if (esecheck_init_sources(session, &source, 1, logs, base) != 0) FAIL("init_sources failed");
    int32_t low = 0, high = 0;
    if (esecheck_check_db_headers(session, NULL, NULL, NULL, &low, &high) != 0) FAIL("stream headers failed");
    feed(session, 1, pages + 1);
    esecheck_check_logs(session, NULL);
    int32_t term = esecheck_term(session);
    esecheck_database_result r = result_of(session);
    if (term != 0 || r.verdict != ESECHECK_VERDICT_RECOVERABLE || r.required_min != low || r.required_max != high
        || r.committed_max < r.required_max || r.page_size != page_size || r.file_size != file_size || r.pages_checked != pages)
        FAIL("stream: term %d verdict %d required %d-%d committed %d", term, r.verdict, r.required_min, r.required_max, r.committed_max);
    struct guarded g;
    esecheck_summary *summary = guarded_body(&g);
    if (esecheck_get_summary(session, summary) != 0) FAIL("summary");
    check_guards(&g, sizeof *summary, "esecheck_get_summary");
    if (summary->verdict != r.verdict || summary->jet_error != 0 || !summary->restorable || summary->database_count != 1
        || summary->backup_type != ESECHECK_BACKUP_FULL || summary->truncate_below <= 0 || summary->truncate_below > low)
        FAIL("summary: verdict %d truncate below %d", summary->verdict, summary->truncate_below);
    esecheck_replay_plan *plan = guarded_body(&g);
    if (esecheck_get_replay_plan(session, plan) != 0) FAIL("replay plan");
    check_guards(&g, sizeof *plan, "esecheck_get_replay_plan");
    if (!plan->known || plan->start > low || plan->end < high || plan->failure_jet_error != 0 || plan->current_generation != plan->end
        || plan->start_reason != ESECHECK_REPLAY_START_CHECKPOINT || plan->checkpoint_generation != plan->start)
        FAIL("plan: %d-%d reason %d current %d checkpoint %d", plan->start, plan->end, plan->start_reason, plan->current_generation,
             plan->checkpoint_generation);
    if (esecheck_get_database_result(session, 1, &r) != -1003) FAIL("an unknown database must fail");
    printf("stream: verdict %d, required %d-%d, committed to %d, replay %d-%d, truncate below %d\n", r.verdict, r.required_min,
           r.required_max, r.committed_max, plan->start, plan->end, summary->truncate_below);
    esecheck_delete(session);
}

/* A range the transport could not read: never certified. */
static void read_failure_session(uint32_t pages) {
    esecheck_session *session = esecheck_new();
    if (esecheck_read_failed(session, 0, 0, 1, EIO) != -1003) FAIL("read_failed before init must fail");
    if (esecheck_provide_flush_map(session, 0, "x", 1) != -1003) FAIL("provide_flush_map before init must fail");
    esecheck_delete(session);
    session = files_session(ESECHECK_BACKUP_FULL);
    feed(session, 1, 9);
    feed(session, 17, pages + 1);
    if (esecheck_read_failed(session, 0, (uint64_t)10 * page_size, (uint64_t)8 * page_size, EIO) != 0) FAIL("read_failed refused");
    if (esecheck_read_failed(session, 5, 0, page_size, EIO) != -1003) FAIL("read_failed of an unknown database must fail");
    if (esecheck_read_failed(session, 0, 0, 0, EIO) != -1003) FAIL("an empty failed range must fail");
    static const uint8_t short_map[3] = {1, 2, 3};   /* a flush map too short to parse: a warning, not a finding */
    if (esecheck_provide_flush_map(session, 0, short_map, sizeof short_map) != 0) FAIL("provide_flush_map refused");
    if (esecheck_provide_flush_map(session, 5, short_map, sizeof short_map) != -1003) FAIL("a flush map for an unknown database must fail");
    if (esecheck_provide_flush_map(session, 0, NULL, 0) != -1003) FAIL("a NULL flush map must fail");
    esecheck_check_logs(session, NULL);
    int32_t term = esecheck_term(session);
    if (esecheck_read_failed(session, 0, 0, page_size, EIO) != -1003) FAIL("read_failed after term must fail");
    if (esecheck_provide_flush_map(session, 0, short_map, sizeof short_map) != -1003) FAIL("provide_flush_map after term must fail");
    esecheck_database_result r = result_of(session);
    if (r.verdict != ESECHECK_VERDICT_UNREADABLE || term == 0 || !has_reason(session, r.reason_count, "readFailed", -1022))
        FAIL("read failure: verdict %d term %d", r.verdict, term);
    printf("read failure: verdict %d, term %d\n", r.verdict, term);
    esecheck_delete(session);
}

/* An incremental backup checks logs only; the summary says which backup it was. */
static void incremental_session(void) {
    esecheck_session *session = esecheck_new();
    if (esecheck_set_backup_type(session, 4) != -1003 || esecheck_set_backup_type(session, -1) != -1003) FAIL("bad backup types");
    esecheck_delete(session);
    session = files_session(ESECHECK_BACKUP_INCREMENTAL);
    esecheck_check_logs(session, NULL);
    int32_t term = esecheck_term(session);
    esecheck_summary summary;
    if (esecheck_get_summary(session, &summary) != 0 || summary.backup_type != ESECHECK_BACKUP_INCREMENTAL) FAIL("incremental summary");
    esecheck_database_result r = result_of(session);
    printf("incremental: verdict %d, term %d\n", r.verdict, term);
    esecheck_delete(session);
}

int main(int argc, char **argv) {
    if (argc != 4) FAIL("usage: results DATABASE LOGDIR BASENAME");
    database = argv[1], logs = argv[2], base = argv[3];
    if (strcmp(esecheck_version(), ESECHECK_VERSION) != 0) FAIL("library %s, header %s", esecheck_version(), ESECHECK_VERSION);
    char major[16];
    snprintf(major, sizeof major, "%d.", ESECHECK_VERSION_MAJOR);
    if (strncmp(esecheck_version(), major, strlen(major)) != 0) FAIL("major version");
    struct stat info;
    if (stat(database, &info) != 0) FAIL("cannot stat %s", database);
    file_size = (uint64_t)info.st_size;
    esecheck_session *probe = files_session(ESECHECK_BACKUP_FULL);
    esecheck_delete(probe);
    uint32_t pages = (uint32_t)(file_size / page_size) - 2;
    if (pages < 64) FAIL("the database needs 64 pages at least");
    printf("version %s\n", esecheck_version());
    coverage_session(pages);
    stream_session(pages);
    read_failure_session(pages);
    incremental_session();
    return 0;
}
