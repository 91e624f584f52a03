/*
 * The SDK calls beyond CHKSGFILES' flow, driven from C: the version, streamed sources, a
 * range the transport could not read, the backup type, and the result accessors (summary,
 * per database result, reasons, page runs live and final, replay plan, structure walk and its
 * findings), each struct written between guard bytes that must stay untouched.
 *
 * usage: results DATABASE LOGDIR BASENAME ZEROPAGE   (a dirty database whose logs make it
 *        recoverable, and a page one of its trees uses, fed as zeros in the last session)
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

/* The structure walk's result, between guard bytes, with its invariants. */
static esecheck_structure structure_of(esecheck_session *session) {
    struct guarded g;
    esecheck_structure *s = guarded_body(&g);
    if (esecheck_get_structure(session, 0, s) != 0) FAIL("get_structure failed");
    check_guards(&g, sizeof *s, "esecheck_get_structure");
    for (size_t i = 0; i < sizeof s->reserved / sizeof s->reserved[0]; i++) if (s->reserved[i]) FAIL("structure reserved not zero");
    if (s->checked != (s->scope == ESECHECK_STRUCTURE_WALKED)) FAIL("structure checked %d, scope %d", s->checked, s->scope);
    if ((s->jet_error == 0) != (s->finding_count == 0 && s->findings_omitted == 0)) FAIL("structure jet %d", s->jet_error);
    esecheck_structure_finding finding;
    if (esecheck_get_structure_finding(session, 0, s->finding_count, &finding) != -1003) FAIL("a finding past the count must fail");
    if (esecheck_get_structure(session, 1, s) != -1003 || esecheck_get_structure(session, 0, NULL) != -1003)
        FAIL("an unknown database or NULL must fail");
    return *s;
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
    esecheck_structure structure = structure_of(session);
    if (!structure.checked || structure.scope != ESECHECK_STRUCTURE_WALKED || structure.trees < 3 || structure.finding_count != 0
        || structure.pages_in_use < 4 || structure.pages_in_use > pages || structure.last_owned_page == 0 || structure.jet_error != 0)
        FAIL("stream structure: scope %d trees %u in use %llu findings %u", structure.scope, structure.trees,
             (unsigned long long)structure.pages_in_use, structure.finding_count);
    printf("structure: walked, %u trees, %llu pages in use, %llu free, %u findings\n", structure.trees,
           (unsigned long long)structure.pages_in_use, (unsigned long long)structure.pages_free, structure.finding_count);
    printf("stream: verdict %d, required %d-%d, committed to %d, replay %d-%d, truncate below %d\n", r.verdict, r.required_min,
           r.required_max, r.committed_max, plan->start, plan->end, summary->truncate_below);
    esecheck_delete(session);
}

/* Pages fed whole, but page zero_page (one a tree uses) as zeros: it passes every checksum
 * check, and only the structure walk finds it (-1019), listed through esecheck_get_structure_finding. */
static void structure_session(uint32_t pages, uint32_t zero_page) {
    esecheck_session *session = files_session(ESECHECK_BACKUP_FULL);
    esecheck_structure before;
    if (esecheck_get_structure(session, 0, &before) != -1003) FAIL("a structure before term must fail");
    feed(session, 1, zero_page);
    char *zeros = calloc(1, page_size);
    if (esecheck_check_db_pages(session, 0, (uint64_t)(zero_page + 1) * page_size, zeros, page_size, NULL, 0) != 0)
        FAIL("an all-zero page is no checksum failure");
    free(zeros);
    feed(session, zero_page + 1, pages + 1);
    esecheck_check_logs(session, NULL);
    esecheck_term(session);
    esecheck_database_result r = result_of(session);
    esecheck_structure s = structure_of(session);
    if (!s.checked || s.finding_count < 1 || s.jet_error != -1019) FAIL("zeroed page: checked %d findings %u jet %d",
                                                                        s.checked, s.finding_count, s.jet_error);
    int found = 0;
    for (uint32_t i = 0; i < s.finding_count; i++) {
        struct guarded g;
        esecheck_structure_finding *finding = guarded_body(&g);
        if (esecheck_get_structure_finding(session, 0, i, finding) != 0) FAIL("finding %u", i);
        check_guards(&g, sizeof *finding, "esecheck_get_structure_finding");
        if (!finding->message || !*finding->message || finding->reserved != 0) FAIL("finding %u without text", i);
        if (finding->page == zero_page && finding->jet_error == -1019 && finding->tree != 0) found = 1;
    }
    if (!found) FAIL("no -1019 finding for page %u", zero_page);
    /* A dirty database is read by ESE only after redo, which may repair it: a warning, not corrupt. */
    if (!has_reason(session, r.reason_count, "treeDamagedBeforeReplay", 0)) FAIL("no treeDamagedBeforeReplay warning");
    printf("zeroed page %u: structure finding -1019, verdict %d\n", zero_page, r.verdict);
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
    if (argc != 5) FAIL("usage: results DATABASE LOGDIR BASENAME ZEROPAGE");
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
    structure_session(pages, (uint32_t)strtoul(argv[4], NULL, 10));
    return 0;
}
