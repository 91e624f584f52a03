/*
 * esecheck.h - the C interface of ESECheck, for backup tools written in C or C++.
 *
 * It mirrors the flow of Exchange's CHKSGFILES (CCheckSGFiles):
 *
 *   esecheck_new -> esecheck_init -> esecheck_check_db_headers
 *     -> { esecheck_check_db_pages x N (any threads, any order) || esecheck_check_logs x 1 }
 *     -> esecheck_term -> esecheck_delete
 *
 * Return values are JET error numbers (0 = success, negative = error), the numbers
 * CHKSGFILES returns: -1003 invalid parameter / wrong order, -1018 a page checksum failed,
 * -543 required logs missing, -106 not everything was checked (or the logs given were never
 * checked), -1021 pages checked twice with different bytes, -1059 esecheck_term called
 * while checks are running, and other JET errors from the header and log checks.
 *
 * Link with -lESECheckC (the ESECheckC library product of the Swift package).
 */
#ifndef ESECHECK_H
#define ESECHECK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque check session. Create with esecheck_new, free with esecheck_delete. */
typedef struct esecheck_session esecheck_session;

/* Per-page result flags (esecheck_page_info.flags). */
#define ESECHECK_PAGE_INITIALIZED   0x1u  /* the page is not all zero (JET fPageIsInitialized) */
#define ESECHECK_PAGE_CORRECTABLE   0x2u  /* a single-bit error ECC corrects (JET fCorrectableError) */
#define ESECHECK_PAGE_BAD           0x4u  /* checksum failure (-1018) or wrong page number (-1118) */
#define ESECHECK_PAGE_HEADER        0x8u  /* a header-type page: the header and its shadow (file offsets 0 and
                                                one page; page_number 0), or a trailer (patch) page at the end */
#define ESECHECK_PAGE_CONFLICT      0x10u /* checked before with other bytes: not verified until resubmitted
                                                (esecheck_resubmit_db_pages); for a header page, other bytes than
                                                esecheck_check_db_headers read */
#define ESECHECK_PAGE_PARTIAL       0x20u /* the partial last page of a file that is not a whole number of
                                                pages: not checked, reported as partialPage (jet_error -4001) */

/* One page's result: the shape of JET_PAGEINFO2 / CHKSGFILES PAGE_INFO. */
typedef struct esecheck_page_info {
    uint32_t page_number;          /* out: logical page number (0 for header pages) */
    uint32_t flags;                /* out: ESECHECK_PAGE_* */
    uint64_t checksum_stored[4];   /* out: checksums stored on the page ("actual"); [1..3] on 16/32 KiB pages */
    uint64_t checksum_computed[4]; /* out: checksums computed from the bytes ("expected") */
    uint64_t database_time;        /* out: the page's dbtime */
    int32_t  jet_error;            /* out: 0, -1018 or -1118 */
    int32_t  bit_offset;           /* out: the flipped bit when correctable, else -1 */
    uint32_t suspected_page;       /* out: the page number a misplaced page really carries (always a page
                                      of this file: 1 to its number of data pages), else 0 */
    uint32_t reserved;
} esecheck_page_info;

/* Creates a session; NULL when out of memory. */
esecheck_session *esecheck_new(void);

/* Frees a session (never the caller's buffers). */
void esecheck_delete(esecheck_session *session);

/*
 * Caps, per database, the findings the report lists with per-page detail and the page
 * ranges of findings it lists (default 1000); the rest is counted ("findingsOmitted",
 * "findingRangesOmitted" in the JSON report). Before esecheck_init; -1003 after it.
 */
int32_t esecheck_set_max_findings(esecheck_session *session, uint32_t max_findings);

/*
 * Registers what to check: database_count paths (UTF-8), and optionally a log directory
 * and its 3-character base name (base_name may be NULL to infer it; any other length is
 * -1003). Once, first.
 */
int32_t esecheck_init(esecheck_session *session, const char *const *database_paths, uint32_t database_count,
                      const char *log_directory, const char *base_name);

/*
 * Reads and validates every database header. Outputs (each may be NULL): the page size,
 * the number of header pages at the start of each file (2; do not count them as data),
 * the index of the first database whose header failed (0x0FFFFFFF when none), and the
 * log generations the databases require (0 and 0 when none).
 */
int32_t esecheck_check_db_headers(esecheck_session *session, uint32_t *page_size, uint32_t *header_pages,
                                  uint32_t *failed_database, int32_t *required_min, int32_t *required_max);

/*
 * Checks buffer_size bytes of database `database` that the caller read at file_offset.
 * buffer_size must be a whole number of pages, except for the batch that ends at the end
 * of a file whose size is not a whole number of pages: it may end with that partial page,
 * which is reported (ESECHECK_PAGE_PARTIAL, -4001), not refused. info_count is 0 (infos
 * may then be NULL) or the number of pages, a partial one included; infos is filled in
 * file order. NULL infos with a non-zero count, or another count, is -1003 and checks
 * nothing. May be called from many threads at once, in any order.
 *
 * Returns what the final verdict will hold against these pages: -1018 when a data page is
 * bad, -535 for a bad trailer page, -1021 when a page was checked before with other bytes
 * (ESECHECK_PAGE_CONFLICT: not verified until resubmitted), -4001 for a partial last page,
 * 0 otherwise. A bad primary header with a good shadow is flagged ESECHECK_PAGE_BAD in its
 * info but is 0 here: the database is judged on the shadow, as ESE does.
 */
int32_t esecheck_check_db_pages(esecheck_session *session, uint32_t database, uint64_t file_offset,
                                const void *buffer, size_t buffer_size, esecheck_page_info *infos, uint32_t info_count);

/*
 * As esecheck_check_db_pages, for pages the transport read again: this copy replaces the
 * copies checked before (their counts and findings are taken back, not added to) and
 * resolves their conflicts. Pages never checked before are simply checked.
 */
int32_t esecheck_resubmit_db_pages(esecheck_session *session, uint32_t database, uint64_t file_offset,
                                   const void *buffer, size_t buffer_size, esecheck_page_info *infos, uint32_t info_count);

/* The logical page number at a file offset (0 for header pages, bad offsets, and offsets
 * at or past the end of the file's last whole page). */
uint32_t esecheck_page_number(esecheck_session *session, uint32_t database, uint64_t file_offset);

/*
 * Verifies the logs against what the databases need. Once. *only_unnecessary_logs_corrupt
 * is set to 1 when the only damage is in logs older than the earliest needed generation
 * (the result is then 0).
 */
int32_t esecheck_check_logs(esecheck_session *session, int32_t *only_unnecessary_logs_corrupt);

/* Ends the check; returns the overall JET error (0 when every database is restorable). */
int32_t esecheck_term(esecheck_session *session);

/*
 * After esecheck_term: the verdict of database `database` ("consistent", "recoverable",
 * "recoverableWithLoss", "missingLogs", "logsDamaged", "corrupt", "truncated", "signatureMismatch",
 * "notRecoverable", "unreadable", "incomplete", "unusableState", "unsupportedBackup"),
 * copied NUL-terminated into buffer. Returns the length needed. Only "consistent" and
 * "recoverable" are restorable; esecheck_term returns 0 exactly then.
 */
size_t esecheck_database_verdict(esecheck_session *session, uint32_t database, char *buffer, size_t capacity);

/*
 * After esecheck_term: the whole report as JSON (schema "ese-verify/1"), copied
 * NUL-terminated into buffer (truncated to capacity). Returns the length needed.
 */
size_t esecheck_report_json(esecheck_session *session, char *buffer, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* ESECHECK_H */
