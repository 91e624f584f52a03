/*
 * A backup manifest at backup time, and the archive checked against it at restore time,
 * with the C SDK:
 *
 *   tar_verify write DIRECTORY MANIFEST     check the storage group in DIRECTORY and write its
 *                                           manifest (every file's size and whole-file hash)
 *   tar_verify verify MANIFEST [ARCHIVE]    check the tar archive ARCHIVE (standard input when
 *                                           absent or "-") against MANIFEST: read once, nothing
 *                                           extracted, through a read callback - any byte stream
 *                                           the transport has (a socket, a decompressor, an
 *                                           object store download) fits the same callback
 *
 * Exit status: 0 restorable (and, for verify, the very copy the manifest recorded),
 * 1 not, 2 usage or I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <esecheck.h>

#include <stdio.h>
#include <string.h>

/* The transport's stream: here a FILE, read in whatever pieces it gives. */
static int64_t read_stream(void *context, void *buffer, size_t capacity) {
    size_t got = fread(buffer, 1, capacity, (FILE *)context);
    return ferror((FILE *)context) ? -1 : (int64_t)got;
}

static const char *difference_name(int32_t difference) {
    switch (difference) {
    case ESECHECK_MANIFEST_MISSING: return "missing";
    case ESECHECK_MANIFEST_EXTRA: return "extra";
    case ESECHECK_MANIFEST_RESIZED: return "resized";
    case ESECHECK_MANIFEST_CHANGED: return "changed";
    case ESECHECK_MANIFEST_UNVERIFIED: return "unverified";
    default: return "different";
    }
}

/* Prints the verdict of every database. */
static void print_databases(esecheck_session *session) {
    esecheck_summary summary;
    if (esecheck_get_summary(session, &summary) != 0) return;
    for (uint32_t i = 0; i < summary.database_count; i++) {
        char verdict[64];
        esecheck_database_verdict(session, i, verdict, sizeof verdict);
        esecheck_database_result result;
        if (esecheck_get_database_result(session, i, &result) == 0) {
            printf("database %u: %s (JET %d), pages %llu of %llu checked, %llu bad\n", i, verdict, result.jet_error,
                   (unsigned long long)result.pages_checked, (unsigned long long)result.pages_expected,
                   (unsigned long long)result.pages_bad);
        }
    }
}

static int verify(const char *manifest, const char *archive) {
    FILE *stream = strcmp(archive, "-") == 0 ? stdin : fopen(archive, "rb");
    if (!stream) { fprintf(stderr, "tar_verify: cannot open %s\n", archive); return 2; }
    esecheck_session *session = esecheck_new();
    int32_t term = esecheck_check_tar(session, read_stream, stream, archive, NULL, manifest);
    if (stream != stdin) fclose(stream);
    if (term == -1812 || term == -1022 || term == -1003) {
        fprintf(stderr, "tar_verify: the manifest %s cannot be used (JET %d)\n", manifest, term);
        esecheck_delete(session);
        return 2;
    }
    print_databases(session);
    esecheck_manifest_result result;
    esecheck_get_manifest_result(session, &result);
    printf("manifest: %u files recorded, %u equal, %s\n", result.file_count, result.matched,
           result.is_recorded_copy ? "the archive holds the recorded copy" : "the archive differs from the recorded copy");
    for (uint32_t i = 0; i < result.finding_count; i++) {
        esecheck_manifest_finding finding;
        if (esecheck_get_manifest_finding(session, i, &finding) == 0) {
            printf("  %s %s: %s\n", difference_name(finding.difference), finding.name, finding.detail);
        }
    }
    printf("result: JET %d, %s\n", term, term == 0 ? "restorable" : "not restorable");
    esecheck_delete(session);
    return term == 0 && result.is_recorded_copy ? 0 : 1;
}

static int write_manifest(const char *directory, const char *manifest) {
    esecheck_session *session = esecheck_new();
    int32_t term = esecheck_manifest_directory(session, directory, NULL, manifest);
    if (term == -1022 || term == -1003) {
        fprintf(stderr, "tar_verify: cannot write %s (JET %d)\n", manifest, term);
        esecheck_delete(session);
        return 2;
    }
    print_databases(session);
    printf("manifest written: %s, result: JET %d, %s\n", manifest, term, term == 0 ? "restorable" : "not restorable");
    esecheck_delete(session);
    return term == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "write") == 0) return write_manifest(argv[2], argv[3]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "verify") == 0) return verify(argv[2], argc == 4 ? argv[3] : "-");
    fprintf(stderr, "usage: tar_verify write DIRECTORY MANIFEST | tar_verify verify MANIFEST [ARCHIVE|-]\n");
    return 2;
}
