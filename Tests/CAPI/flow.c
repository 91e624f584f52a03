/*
 * The whole CHKSGFILES-style flow through the C interface, as a backup tool would run it:
 * the tool reads the database itself (skipping the header pages) and hands page batches to
 * the checker from two threads at once, then checks the logs and asks for the verdict.
 *
 * usage: flow DATABASE LOGDIR BASENAME EXPECTED-VERDICT
 * Exit status 0 when every step behaves as expected; messages on stderr otherwise.
 *
 * Then, on fresh sessions over the same files: logs given but never checked cannot end
 * consistent; a page fed again with other bytes is a conflict (incomplete) until the
 * transport resubmits it.
 */
#define _POSIX_C_SOURCE 200809L
#include "esecheck.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAIL(...) do { fprintf(stderr, "flow: " __VA_ARGS__); fprintf(stderr, "\n"); exit(1); } while (0)

struct worker {
    esecheck_session *session;
    const char *path;
    uint32_t page_size;
    uint64_t first_offset;
    uint64_t end_offset;
    uint64_t stride;        /* bytes between this worker's batches */
    uint64_t batch_bytes;
    uint32_t pages_checked;
    uint32_t bad_pages;
    uint32_t partial_pages;
    int error;
};

static void *run_worker(void *argument) {
    struct worker *w = argument;
    int fd = open(w->path, O_RDONLY);
    if (fd < 0) { w->error = -1; return NULL; }
    void *buffer = NULL;
    if (posix_memalign(&buffer, w->page_size, w->batch_bytes) != 0) { w->error = -2; close(fd); return NULL; }
    uint32_t max_pages = (uint32_t)(w->batch_bytes / w->page_size);
    esecheck_page_info *infos = calloc(max_pages, sizeof(esecheck_page_info));
    for (uint64_t offset = w->first_offset; offset < w->end_offset; offset += w->stride) {
        uint64_t size = w->end_offset - offset < w->batch_bytes ? w->end_offset - offset : w->batch_bytes;
        ssize_t got = pread(fd, buffer, size, (off_t)offset);
        if (got != (ssize_t)size) { w->error = -3; break; }
        /* The last batch may end with the partial last page of the file: one more info. */
        uint32_t pages = (uint32_t)((size + w->page_size - 1) / w->page_size);
        int32_t result = esecheck_check_db_pages(w->session, 0, offset, buffer, size, infos, pages);
        if (result != 0 && result != -1018 && result != -4001) { w->error = result; break; }
        for (uint32_t i = 0; i < pages; i++) {
            if (infos[i].flags & ESECHECK_PAGE_PARTIAL) { w->partial_pages++; continue; }
            if (infos[i].page_number != esecheck_page_number(w->session, 0, offset + (uint64_t)i * w->page_size)) w->error = -4;
            if (infos[i].flags & ESECHECK_PAGE_BAD) w->bad_pages++;
            w->pages_checked++;
        }
    }
    free(infos);
    free(buffer);
    close(fd);
    return NULL;
}

/* Feeds every data page of `path` in batches of 8, single-threaded; returns the number of
 * bad pages, or -1 on error. */
static int feed_all(esecheck_session *session, const char *path, uint32_t page_size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    struct stat info;
    if (fstat(fd, &info) != 0) { close(fd); return -1; }
    size_t batch = (size_t)page_size * 8;
    char *buffer = malloc(batch);
    esecheck_page_info infos[8];
    int bad = 0;
    for (uint64_t offset = (uint64_t)2 * page_size; offset < (uint64_t)info.st_size; offset += batch) {
        size_t size = (uint64_t)info.st_size - offset < batch ? (size_t)((uint64_t)info.st_size - offset) : batch;
        if (pread(fd, buffer, size, (off_t)offset) != (ssize_t)size) { bad = -1; break; }
        uint32_t pages = (uint32_t)((size + page_size - 1) / page_size);
        int32_t result = esecheck_check_db_pages(session, 0, offset, buffer, size, infos, pages);
        if (result != 0 && result != -1018) { bad = -1; break; }
        for (uint32_t i = 0; i < pages; i++) if (infos[i].flags & ESECHECK_PAGE_BAD) bad++;
    }
    free(buffer);
    close(fd);
    return bad;
}

/* A fresh session over DATABASE with the log directory, headers checked. */
static esecheck_session *fresh(const char *database, const char *logs, const char *base, uint32_t *page_size) {
    esecheck_session *session = esecheck_new();
    const char *paths[] = { database };
    if (esecheck_init(session, paths, 1, logs, base) != 0) FAIL("init of a fresh session failed");
    if (esecheck_check_db_headers(session, page_size, NULL, NULL, NULL, NULL) != 0) FAIL("headers of a fresh session failed");
    return session;
}

static void expect_verdict(esecheck_session *session, int32_t expected_term, const char *expected, const char *what) {
    int32_t term = esecheck_term(session);
    char verdict[64];
    esecheck_database_verdict(session, 0, verdict, sizeof verdict);
    printf("%s: term %d, verdict %s\n", what, term, verdict);
    if (term != expected_term || strcmp(verdict, expected) != 0)
        FAIL("%s: term %d verdict %s, expected %d %s", what, term, verdict, expected_term, expected);
}

/* Logs given and never checked; a conflicting copy; the same resolved by a resubmit. */
static void second_sessions(const char *database, const char *logs, const char *base, const char *expected) {
    uint32_t page_size = 0;
    esecheck_session *session = fresh(database, logs, base, &page_size);
    if (feed_all(session, database, page_size) < 0) FAIL("feeding all pages failed");
    expect_verdict(session, -106, "incomplete", "logs never checked");
    esecheck_delete(session);

    /* The first data page that is not blank (a changed blank page would simply be bad). */
    int fd = open(database, O_RDONLY);
    char *page = malloc(page_size), *changed = malloc(page_size);
    uint64_t offset = 0;
    for (uint64_t physical = 2; physical < 64 && offset == 0; physical++) {
        if (pread(fd, page, page_size, (off_t)(physical * page_size)) != (ssize_t)page_size) FAIL("cannot read page %llu", (unsigned long long)physical);
        for (uint32_t i = 0; i < page_size; i++) if (page[i]) { offset = physical * page_size; break; }
    }
    close(fd);
    if (offset == 0) FAIL("no written page among the first 62");
    memcpy(changed, page, page_size);
    changed[200] ^= 0x5A;
    esecheck_page_info info;

    session = fresh(database, logs, base, &page_size);
    if (feed_all(session, database, page_size) < 0) FAIL("feeding all pages failed");
    int32_t result = esecheck_check_db_pages(session, 0, offset, changed, page_size, &info, 1);
    if (result != -1021 || !(info.flags & ESECHECK_PAGE_CONFLICT)) FAIL("a changed copy gave %d, flags 0x%x", result, info.flags);
    esecheck_check_logs(session, NULL);
    expect_verdict(session, -1021, "incomplete", "conflicting copy");
    esecheck_delete(session);

    session = fresh(database, logs, base, &page_size);
    if (feed_all(session, database, page_size) < 0) FAIL("feeding all pages failed");
    esecheck_check_db_pages(session, 0, offset, changed, page_size, &info, 1);
    result = esecheck_resubmit_db_pages(session, 0, offset, page, page_size, &info, 1);
    if (result != 0 || (info.flags & ESECHECK_PAGE_CONFLICT) || info.page_number != esecheck_page_number(session, 0, offset)) FAIL("resubmit gave %d, flags 0x%x", result, info.flags);
    esecheck_check_logs(session, NULL);
    char verdict[64];
    int32_t term = esecheck_term(session);
    esecheck_database_verdict(session, 0, verdict, sizeof verdict);
    printf("resubmitted: term %d, verdict %s\n", term, verdict);
    if (strcmp(verdict, expected) != 0) FAIL("after a resubmit: verdict %s, expected %s", verdict, expected);
    esecheck_delete(session);
    free(page);
    free(changed);
}

int main(int argc, char **argv) {
    if (argc != 5) FAIL("usage: flow DATABASE LOGDIR BASENAME EXPECTED-VERDICT");
    const char *database = argv[1];

    esecheck_session *session = esecheck_new();
    if (!session) FAIL("esecheck_new returned NULL");

    /* Misuse before init and before the headers: JET_errInvalidParameter, never a crash. */
    if (esecheck_check_db_headers(session, NULL, NULL, NULL, NULL, NULL) != -1003) FAIL("headers before init must fail");
    const char *paths[] = { database };
    if (esecheck_init(session, paths, 1, argv[2], "E0") != -1003) FAIL("a 2-character base name must fail");
    if (esecheck_init(session, paths, 1, argv[2], "E000") != -1003) FAIL("a 4-character base name must fail");
    if (esecheck_set_max_findings(session, 500) != 0) FAIL("set_max_findings before init failed");
    if (esecheck_init(session, paths, 1, argv[2], argv[3]) != 0) FAIL("init failed");
    if (esecheck_set_max_findings(session, 500) != -1003) FAIL("set_max_findings after init must fail");
    if (esecheck_init(session, paths, 1, argv[2], argv[3]) != -1003) FAIL("a second init must fail");
    static char page[32768];
    if (esecheck_check_db_pages(session, 0, 0, page, sizeof page, NULL, 0) != -1003) FAIL("pages before headers must fail");

    uint32_t page_size = 0, header_pages = 0, failed = 0;
    int32_t required_min = -1, required_max = -1;
    int32_t result = esecheck_check_db_headers(session, &page_size, &header_pages, &failed, &required_min, &required_max);
    if (result != 0) FAIL("check_db_headers returned %d (failed database %u)", result, failed);
    if (header_pages != 2 || failed != 0x0FFFFFFF) FAIL("header pages %u, failed %u", header_pages, failed);
    printf("page size %u, header pages %u, required generations %d-%d\n", page_size, header_pages, required_min, required_max);

    /* A batch that is not whole pages, or pages of an unknown database: invalid parameter. */
    if (esecheck_check_db_pages(session, 0, (uint64_t)2 * page_size, page, 100, NULL, 0) != -1003) FAIL("partial page must fail");
    if (esecheck_check_db_pages(session, 9, (uint64_t)2 * page_size, page, page_size, NULL, 0) != -1003) FAIL("unknown database must fail");

    struct stat info;
    if (stat(database, &info) != 0) FAIL("cannot stat %s", database);
    /* NULL infos with a count, or a count that is not the number of pages: nothing is checked. */
    if (esecheck_check_db_pages(session, 0, (uint64_t)2 * page_size, page, page_size, NULL, 1) != -1003) FAIL("NULL infos with a count must fail");
    /* Past the end of the file there is no page. */
    if (esecheck_page_number(session, 0, (uint64_t)info.st_size) != 0) FAIL("page number at the end of the file must be 0");
    uint64_t last_page = ((uint64_t)info.st_size / page_size - 1) * page_size;   /* the last whole page */
    if (esecheck_page_number(session, 0, last_page) == 0) FAIL("the last page must have a number");
    if (esecheck_page_number(session, 0, last_page + page_size) != 0) FAIL("no page number after the last whole page");
    uint64_t first = (uint64_t)header_pages * page_size;   /* CHKSGFILES: do not pass the header pages */
    uint64_t batch = (uint64_t)page_size * 16;
    struct worker workers[2];
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        workers[i] = (struct worker){ session, database, page_size, first + (uint64_t)i * batch, (uint64_t)info.st_size,
                                      2 * batch, batch, 0, 0, 0, 0 };
        pthread_create(&threads[i], NULL, run_worker, &workers[i]);
    }
    int32_t only_unnecessary = -1;
    int32_t logs = esecheck_check_logs(session, &only_unnecessary);   /* concurrently with the page checks */
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < 2; i++) if (workers[i].error) FAIL("worker %d failed: %d", i, workers[i].error);
    uint32_t checked = workers[0].pages_checked + workers[1].pages_checked;
    printf("pages checked %u, bad %u, partial %u, logs %d (only unnecessary corrupt: %d)\n",
           checked, workers[0].bad_pages + workers[1].bad_pages, workers[0].partial_pages + workers[1].partial_pages,
           logs, only_unnecessary);
    if (esecheck_check_logs(session, NULL) != -1003) FAIL("a second check_logs must fail");

    int32_t overall = esecheck_term(session);
    char verdict[64];
    esecheck_database_verdict(session, 0, verdict, sizeof verdict);
    size_t length = esecheck_report_json(session, NULL, 0);
    char *json = malloc(length + 1);
    esecheck_report_json(session, json, length + 1);
    printf("term %d, verdict %s, report %zu bytes\n", overall, verdict, length);
    if (strcmp(verdict, argv[4]) != 0) FAIL("verdict %s, expected %s", verdict, argv[4]);
    if (strstr(json, "\"schema\":\"ese-verify/1\"") == NULL) FAIL("the JSON report lacks its schema");
    if (strstr(json, "\"findingsOmitted\":") == NULL || strstr(json, "\"findingRanges\":") == NULL)
        FAIL("the JSON report lacks findingsOmitted or findingRanges");
    if (esecheck_term(session) != -1003) FAIL("a second term must fail");
    free(json);
    esecheck_delete(session);
    if (strcmp(argv[4], "recoverable") == 0 || strcmp(argv[4], "consistent") == 0) second_sessions(database, argv[2], argv[3], argv[4]);
    return 0;
}
