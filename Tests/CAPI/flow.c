/*
 * The whole CHKSGFILES-style flow through the C interface, as a backup tool would run it:
 * the tool reads the database itself (skipping the header pages) and hands page batches to
 * the checker from two threads at once, then checks the logs and asks for the verdict.
 *
 * usage: flow DATABASE LOGDIR BASENAME EXPECTED-VERDICT
 * Exit status 0 when every step behaves as expected; messages on stderr otherwise.
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
        uint32_t pages = (uint32_t)(size / w->page_size);
        int32_t result = esecheck_check_db_pages(w->session, 0, offset, buffer, size, infos, pages);
        if (result != 0 && result != -1018) { w->error = result; break; }
        for (uint32_t i = 0; i < pages; i++) {
            if (infos[i].page_number != esecheck_page_number(w->session, 0, offset + (uint64_t)i * w->page_size)) w->error = -4;
            if (infos[i].flags & ESECHECK_PAGE_BAD) w->bad_pages++;
        }
        w->pages_checked += pages;
    }
    free(infos);
    free(buffer);
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) FAIL("usage: flow DATABASE LOGDIR BASENAME EXPECTED-VERDICT");
    const char *database = argv[1];

    esecheck_session *session = esecheck_new();
    if (!session) FAIL("esecheck_new returned NULL");

    /* Misuse before init and before the headers: JET_errInvalidParameter, never a crash. */
    if (esecheck_check_db_headers(session, NULL, NULL, NULL, NULL, NULL) != -1003) FAIL("headers before init must fail");
    const char *paths[] = { database };
    if (esecheck_init(session, paths, 1, argv[2], argv[3]) != 0) FAIL("init failed");
    if (esecheck_init(session, paths, 1, argv[2], argv[3]) != -1003) FAIL("a second init must fail");
    char page[4096] = { 0 };
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
    uint64_t first = (uint64_t)header_pages * page_size;   /* CHKSGFILES: do not pass the header pages */
    uint64_t batch = (uint64_t)page_size * 16;
    struct worker workers[2];
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        workers[i] = (struct worker){ session, database, page_size, first + (uint64_t)i * batch, (uint64_t)info.st_size,
                                      2 * batch, batch, 0, 0, 0 };
        pthread_create(&threads[i], NULL, run_worker, &workers[i]);
    }
    int32_t only_unnecessary = -1;
    int32_t logs = esecheck_check_logs(session, &only_unnecessary);   /* concurrently with the page checks */
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < 2; i++) if (workers[i].error) FAIL("worker %d failed: %d", i, workers[i].error);
    uint32_t checked = workers[0].pages_checked + workers[1].pages_checked;
    printf("pages checked %u, bad %u, logs %d (only unnecessary corrupt: %d)\n",
           checked, workers[0].bad_pages + workers[1].bad_pages, logs, only_unnecessary);
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
    if (esecheck_term(session) != -1003) FAIL("a second term must fail");
    free(json);
    esecheck_delete(session);
    return 0;
}
