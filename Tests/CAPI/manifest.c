/*
 * Manifests and tar streams driven from C: a directory's manifest written, the directory
 * verified against it, and a tar archive of it checked from a file descriptor and from a
 * read callback, with and without the manifest; each result struct written between guard
 * bytes that must stay untouched.
 *
 * usage: manifest write DIRECTORY MANIFEST       (prints "write: ...")
 *        manifest verify DIRECTORY MANIFEST      (prints "verify: ..." and one line per finding)
 *        manifest tar ARCHIVE MANIFEST|-         (prints "fd: ..." and "callback: ...")
 *        manifest session DATABASE:LOGDIR MANIFEST  (a session fed page by page, hashing on,
 *                                                 writes the manifest; prints "session: ...")
 * Exit status 0 when every call behaves as esecheck.h says.
 */
#define _POSIX_C_SOURCE 200809L
#include "esecheck.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAIL(...) do { fprintf(stderr, "manifest: " __VA_ARGS__); fprintf(stderr, "\n"); exit(1); } while (0)
#define GUARD 0xAB

struct guarded { unsigned char before[32]; unsigned char body[128]; unsigned char after[32]; };

static void *guarded_body(struct guarded *g) { memset(g, GUARD, sizeof *g); return g->body; }

static void check_guards(const struct guarded *g, size_t size, const char *what) {
    for (size_t i = 0; i < sizeof g->before; i++) if (g->before[i] != GUARD) FAIL("%s wrote before its struct", what);
    for (size_t i = size; i < sizeof g->body; i++) if (g->body[i] != GUARD) FAIL("%s wrote past its %zu bytes", what, size);
    for (size_t i = 0; i < sizeof g->after; i++) if (g->after[i] != GUARD) FAIL("%s wrote after its struct", what);
}

/* The overall verdict (esecheck_summary), as its name. */
static const char *verdict_of(esecheck_session *session) {
    esecheck_summary summary;
    if (esecheck_get_summary(session, &summary) != 0) return "none";
    switch (summary.verdict) {
    case ESECHECK_VERDICT_CONSISTENT: return "consistent";
    case ESECHECK_VERDICT_RECOVERABLE: return "recoverable";
    case ESECHECK_VERDICT_INCOMPLETE: return "incomplete";
    case ESECHECK_VERDICT_UNREADABLE: return "unreadable";
    default: return "other";
    }
}

/* Prints the comparison and every finding. */
static void print_comparison(esecheck_session *session, const char *label, int32_t term) {
    struct guarded g;
    esecheck_manifest_result *result = guarded_body(&g);
    if (esecheck_get_manifest_result(session, result) != 0) FAIL("%s: no manifest result", label);
    check_guards(&g, sizeof *result, "esecheck_get_manifest_result");
    printf("%s: term %d, verdict %s, compared %d, recorded copy %d, files %u, matched %u, missing %u, extra %u, resized %u, "
           "changed %u, unverified %u\n", label, term, verdict_of(session), result->compared, result->is_recorded_copy,
           result->file_count, result->matched, result->missing_count, result->extra_count, result->resized_count,
           result->changed_count, result->unverified_count);
    uint32_t count = result->finding_count;
    for (uint32_t i = 0; i < count; i++) {
        struct guarded f;
        esecheck_manifest_finding *finding = guarded_body(&f);
        if (esecheck_get_manifest_finding(session, i, finding) != 0) FAIL("finding %u refused", i);
        check_guards(&f, sizeof *finding, "esecheck_get_manifest_finding");
        printf("  finding %s %d recorded %llu found %llu hashes %s %s\n", finding->name, finding->difference,
               (unsigned long long)finding->recorded_size, (unsigned long long)finding->found_size,
               finding->recorded_hash ? finding->recorded_hash : "-", finding->found_hash ? finding->found_hash : "-");
    }
    esecheck_manifest_finding unused;
    if (esecheck_get_manifest_finding(session, count, &unused) != -1003) FAIL("a finding past the end was not refused");
}

/* A read callback over a FILE, in uneven pieces of at most 3000 bytes. */
static int64_t read_file(void *context, void *buffer, size_t capacity) {
    size_t wanted = capacity < 3000 ? capacity : 3000;
    size_t got = fread(buffer, 1, wanted, (FILE *)context);
    return ferror((FILE *)context) ? -1 : (int64_t)got;
}

static int64_t read_failing(void *context, void *buffer, size_t capacity) {
    (void)context; (void)buffer; (void)capacity;
    return -5;
}

/* esecheck_init with the database and log directory of `spec` (DATABASE:LOGDIR), hashing on,
 * every byte of the database fed (header pages included), then the manifest written. */
static void run_session(esecheck_session *session, const char *spec, const char *manifest) {
    char database[4096];
    const char *colon = strchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof database) FAIL("bad DATABASE:LOGDIR");
    memcpy(database, spec, (size_t)(colon - spec));
    database[colon - spec] = 0;
    const char *paths[] = {database};
    if (esecheck_write_manifest(session, manifest) != -1003) FAIL("a manifest before esecheck_term");
    if (esecheck_set_hash_files(session, 1) != 0) FAIL("esecheck_set_hash_files refused");
    if (esecheck_init(session, paths, 1, colon + 1, NULL) != 0) FAIL("esecheck_init failed");
    if (esecheck_set_hash_files(session, 0) != -1003) FAIL("esecheck_set_hash_files after esecheck_init");
    uint32_t page_size = 0;
    if (esecheck_check_db_headers(session, &page_size, NULL, NULL, NULL, NULL) != 0 || page_size == 0) FAIL("headers failed");
    FILE *file = fopen(database, "rb");
    if (!file) FAIL("cannot open %s", database);
    size_t chunk = (size_t)page_size * 8;
    unsigned char *buffer = malloc(chunk);
    uint64_t offset = 0;
    size_t got;
    while ((got = fread(buffer, 1, chunk, file)) > 0) {
        if (esecheck_check_db_pages(session, 0, offset, buffer, got, NULL, 0) != 0) FAIL("pages at %llu failed", (unsigned long long)offset);
        offset += got;
    }
    fclose(file);
    free(buffer);
    int32_t only = 0;
    if (esecheck_check_logs(session, &only) != 0) FAIL("logs failed");
    int32_t term = esecheck_term(session);
    printf("session: term %d, verdict %s, write %d\n", term, verdict_of(session), esecheck_write_manifest(session, manifest));
    printf("session unwritable: %d\n", esecheck_write_manifest(session, "/nonexistent/dir/manifest"));
}

int main(int argc, char **argv) {
    if (argc != 4) FAIL("usage: manifest write|verify|tar PATH MANIFEST");
    const char *mode = argv[1], *path = argv[2], *manifest = strcmp(argv[3], "-") == 0 ? NULL : argv[3];
    esecheck_session *session = esecheck_new();
    struct guarded g;
    if (esecheck_get_manifest_result(session, guarded_body(&g)) != -1003) FAIL("a manifest result before any run");
    if (strcmp(mode, "write") == 0) {
        int32_t term = esecheck_manifest_directory(session, path, NULL, manifest);
        char json[16];
        size_t length = esecheck_report_json(session, json, sizeof json);
        char *whole = malloc(length + 1);
        esecheck_report_json(session, whole, length + 1);
        printf("write: term %d, verdict %s, json manifest %s\n", term, verdict_of(session),
               strstr(whole, "\"operation\":\"write\"") ? "yes" : "no");
        free(whole);
        if (esecheck_manifest_directory(session, path, NULL, manifest) != -1003) FAIL("a second run on one session");
        uint32_t page_size;
        if (esecheck_check_db_headers(session, &page_size, NULL, NULL, NULL, NULL) != -1003) FAIL("headers after a whole run");
    } else if (strcmp(mode, "verify") == 0) {
        int32_t term = esecheck_verify_directory(session, manifest, path, NULL);
        print_comparison(session, "verify", term);
        esecheck_session *other = esecheck_new();
        printf("unreadable manifest: %d\n", esecheck_verify_directory(other, "/nonexistent/manifest", path, NULL));
        esecheck_delete(other);
        char garbage[] = "/tmp/esecheck-manifest-XXXXXX";
        int fd = mkstemp(garbage);
        if (fd < 0 || write(fd, "garbage\n", 8) != 8) FAIL("cannot write a temporary file");
        close(fd);
        other = esecheck_new();
        printf("not a manifest: %d\n", esecheck_verify_directory(other, garbage, path, NULL));
        esecheck_delete(other);
        unlink(garbage);
    } else if (strcmp(mode, "tar") == 0) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) FAIL("cannot open %s", path);
        int32_t term = esecheck_check_tar_fd(session, fd, "archive.tar", NULL, manifest);
        close(fd);
        print_comparison(session, "fd", term);
        esecheck_session *second = esecheck_new();
        FILE *file = fopen(path, "rb");
        if (!file) FAIL("cannot open %s", path);
        term = esecheck_check_tar(second, read_file, file, "archive.tar", NULL, manifest);
        fclose(file);
        print_comparison(second, "callback", term);
        esecheck_summary summary;
        if (esecheck_get_summary(second, &summary) != 0) FAIL("no summary after a tar run");
        printf("callback summary: verdict %d, databases %u\n", summary.verdict, summary.database_count);
        esecheck_delete(second);
        esecheck_session *failing = esecheck_new();
        term = esecheck_check_tar(failing, read_failing, NULL, NULL, NULL, NULL);
        printf("failing stream: term %d, verdict %s\n", term, esecheck_get_summary(failing, &summary) == 0 && summary.verdict == ESECHECK_VERDICT_UNREADABLE
               ? "unreadable" : "other");
        esecheck_delete(failing);
        esecheck_session *unused = esecheck_new();
        if (esecheck_check_tar(unused, NULL, NULL, NULL, NULL, NULL) != -1003) FAIL("a NULL read function");
        esecheck_delete(unused);
    } else if (strcmp(mode, "session") == 0) {
        run_session(session, path, manifest);
    } else {
        FAIL("unknown mode %s", mode);
    }
    esecheck_delete(session);
    return 0;
}
