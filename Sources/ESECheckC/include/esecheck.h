/*
 * esecheck.h - the C interface of ESECheck, for backup tools written in C or C++.
 *
 * It mirrors the flow of Exchange's CHKSGFILES (CCheckSGFiles):
 *
 *   esecheck_new -> [esecheck_set_backup_type, esecheck_set_max_findings]
 *     -> esecheck_init (files) or esecheck_init_sources (files and streams) -> esecheck_check_db_headers
 *     -> { esecheck_check_db_pages / esecheck_resubmit_db_pages / esecheck_read_failed x N
 *          (any threads, any order) || esecheck_check_logs x 1 }
 *     -> esecheck_term -> results (esecheck_get_summary, esecheck_get_database_result,
 *        esecheck_get_structure, ...)
 *     -> esecheck_delete
 *
 * or, for a whole run on a new session (since 1.1): esecheck_new -> [settings] ->
 * esecheck_manifest_directory | esecheck_verify_directory | esecheck_check_tar[_fd] -> results
 * (the same calls, plus esecheck_get_manifest_result / _finding) -> esecheck_delete.
 *
 * Return values are JET error numbers (0 = success, negative = error), the numbers
 * CHKSGFILES returns: -1003 invalid parameter / wrong order, -1018 a page checksum failed,
 * -543 required logs missing, -106 not everything was checked (or the logs given were never
 * checked), -1021 pages checked twice with different bytes, -1059 esecheck_term called
 * while checks are running, and other JET errors from the header and log checks.
 *
 * Building and linking: scripts/build-c-sdk.sh DEST lays out DEST/include/esecheck.h,
 * DEST/lib/libesecheck.so (SONAME libesecheck.so.1; the Swift runtime is linked in, so it
 * needs only glibc, libm, libstdc++ and libgcc), the static archive DEST/lib/libesecheck.a,
 * and DEST/lib/pkgconfig/esecheck.pc and esecheck-static.pc. With PKG_CONFIG_PATH set to
 * DEST/lib/pkgconfig:
 *
 *   cc app.c $(pkg-config --cflags --libs esecheck)           the shared library (rpath set)
 *   cc app.c $(pkg-config --cflags --libs esecheck-static)    the static archive
 *
 * Version and ABI policy. ESECHECK_VERSION_MAJOR is the SONAME's number. Within one major
 * version: no function, type, constant or field is removed, renamed or changes meaning or
 * signature; the structs keep their size and layout (new fields take the place of a
 * `reserved` member, which is zero until then); functions and enum constants may be added
 * (a minor version). A verdict added in a later minor version is a new esecheck_verdict
 * value: treat any value you do not know as not restorable. Strings are UTF-8 (paths: bytes
 * as given). The JSON report's shape is the ese-verify/1 contract: fields are added, never renamed.
 *
 * Threads: a session is shared freely between threads; what may overlap is
 *
 *   call                                   | may run at the same time as
 *   ---------------------------------------+---------------------------------------------------
 *   esecheck_new, esecheck_version         | anything (no session, or a new one)
 *   esecheck_set_*, esecheck_init*,        | nothing else on the same session (call them from one
 *     esecheck_check_db_headers            |   thread, in this order, each once)
 *   esecheck_check_db_pages,               | each other, esecheck_check_logs, esecheck_page_number,
 *     esecheck_resubmit_db_pages,          |   esecheck_get_missing_pages and the other live range
 *     esecheck_read_failed                 |   queries, any number of threads, any database
 *   esecheck_check_logs                    | the page calls (once per session)
 *   esecheck_page_number,                  | anything but esecheck_delete
 *     esecheck_get_*_pages
 *   esecheck_term                          | esecheck_page_number and the range queries; end the
 *                                          |   page and log checks first (still running: -1059,
 *                                          |   nothing ends, call it again once they return)
 *   result calls after esecheck_term       | each other, from any threads
 *   esecheck_delete                        | nothing; once, last (invalidates result strings)
 *
 * Sessions are independent: different sessions may be used at the same time without limit.
 */
#ifndef ESECHECK_H
#define ESECHECK_H

#include <stddef.h>
#include <stdint.h>

/* The version of this header; esecheck_version() gives the library's. */
#define ESECHECK_VERSION_MAJOR 1
#define ESECHECK_VERSION_MINOR 1
#define ESECHECK_VERSION_PATCH 0
#define ESECHECK_VERSION "1.1.0"

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
 * Holds the read rate (--max-rate of ese-verify; since 1.1): at most bytes_per_second bytes
 * a second are checked by esecheck_check_db_pages and esecheck_resubmit_db_pages together,
 * from all threads (one token bucket per session, at most a tenth of a second of credit). A
 * call that would exceed the rate sleeps in the calling thread before it checks, so a
 * transport that reads a batch, then checks it, reads at that rate too. 0 (the default) is no
 * limit. Before esecheck_init; -1003 after it.
 */
int32_t esecheck_set_max_rate(esecheck_session *session, uint64_t bytes_per_second);

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
 * "notRecoverable", "unreadable", "incomplete", "unusableState", "unsupportedBackup", "unstable"),
 * copied NUL-terminated into buffer. Returns the length needed. Only "consistent" and
 * "recoverable" are restorable; esecheck_term returns 0 exactly then.
 */
size_t esecheck_database_verdict(esecheck_session *session, uint32_t database, char *buffer, size_t capacity);

/*
 * After esecheck_term: the whole report as JSON (schema "ese-verify/1"), copied
 * NUL-terminated into buffer (truncated to capacity). Returns the length needed.
 */
size_t esecheck_report_json(esecheck_session *session, char *buffer, size_t capacity);

/* ---- Version ---------------------------------------------------------------------------- */

/* The library's version, "MAJOR.MINOR.PATCH" (static storage). A program built against this
 * header runs with any library of the same major version and at least its minor version. */
const char *esecheck_version(void);

/* ---- Backup type and sources -------------------------------------------------------------- */

/* The backup being verified, as a VSS requester chooses it (VSS_BT_*). */
typedef enum esecheck_backup_type {
    ESECHECK_BACKUP_FULL = 0,         /* databases and logs; logs may be truncated after success */
    ESECHECK_BACKUP_COPY = 1,         /* databases and logs; never truncates */
    ESECHECK_BACKUP_INCREMENTAL = 2,  /* logs since the last full or incremental backup */
    ESECHECK_BACKUP_DIFFERENTIAL = 3  /* logs since the last full backup; never truncates */
} esecheck_backup_type;

/* Sets the backup type (default ESECHECK_BACKUP_FULL). Before esecheck_init; -1003 after it
 * or for an unknown type. */
int32_t esecheck_set_backup_type(esecheck_session *session, int32_t backup_type);

/*
 * One database to check: a file the checker opens for its headers (path set), or a stream
 * the transport supplies (path NULL): its name for the report, its size, and its first
 * bytes - at least both header pages; 65536 covers every page size. The bytes are copied.
 */
typedef struct esecheck_source {
    const char *path;           /* a file, or NULL for a stream */
    const char *name;           /* stream: the name reports use (UTF-8); ignored for a file */
    uint64_t file_size;         /* stream: the database's size in bytes */
    const void *leading_bytes;  /* stream: the first leading_size bytes of the database */
    size_t leading_size;
} esecheck_source;

/* As esecheck_init, with sources that may be streams. A stream without its leading bytes
 * (NULL with a non-zero size, or a NULL name) is -1003. */
int32_t esecheck_init_sources(esecheck_session *session, const esecheck_source *sources, uint32_t source_count,
                              const char *log_directory, const char *base_name);

/*
 * The transport could not read `length` bytes of database `database` at file_offset
 * (os_error: its errno, or 0 when the source ended early). The range counts as never read
 * and the database can be no better than unreadable: a verifier must not certify what it
 * did not see. After esecheck_check_db_headers, before esecheck_term.
 */
int32_t esecheck_read_failed(esecheck_session *session, uint32_t database, uint64_t file_offset, uint64_t length,
                             int32_t os_error);

/*
 * The flush map (<db>.jfm) of database `database`, for a database whose pages the transport
 * streams (a database file's map is found beside it). At esecheck_term every page that passed
 * its checksum is compared with it: a page that misses a write the map records is ESE's
 * -1119 (JET_errReadLostFlushVerifyFailure) and the database CORRUPT; a map ESE would not use
 * is ignored, one that cannot be parsed is a warning (the JSON report's `flushMap`). Only the
 * map's first 8 KiB + 8 KiB per 32,512 database pages are needed. The bytes are copied.
 * After esecheck_check_db_headers, before esecheck_term; -1003 for an unknown database.
 * Added in 1.1.
 */
int32_t esecheck_provide_flush_map(esecheck_session *session, uint32_t database, const void *buffer, size_t buffer_size);

/* ---- Results ------------------------------------------------------------------------------ */

/*
 * A verdict: one value per verdict of the Swift API (Verdict), never renumbered. Only
 * CONSISTENT and RECOVERABLE are restorable (jet_error 0); treat any other value, and any
 * value added later, as not restorable.
 */
typedef enum esecheck_verdict {
    ESECHECK_VERDICT_CONSISTENT = 0,            /* clean shutdown, every page good */
    ESECHECK_VERDICT_RECOVERABLE = 1,           /* dirty; soft recovery with the logs given succeeds */
    ESECHECK_VERDICT_RECOVERABLE_WITH_LOSS = 2, /* only eseutil /r /a, discarding committed transactions */
    ESECHECK_VERDICT_MISSING_LOGS = 3,          /* required logs are missing */
    ESECHECK_VERDICT_LOGS_DAMAGED = 4,          /* needed logs are damaged or broken */
    ESECHECK_VERDICT_CORRUPT = 5,               /* bad pages */
    ESECHECK_VERDICT_TRUNCATED = 6,             /* the file is shorter than the database */
    ESECHECK_VERDICT_SIGNATURE_MISMATCH = 7,    /* database and logs of different sequences */
    ESECHECK_VERDICT_NOT_RECOVERABLE = 8,       /* soft recovery fails for another reason */
    ESECHECK_VERDICT_UNREADABLE = 9,            /* no valid header, or ranges could not be read */
    ESECHECK_VERDICT_INCOMPLETE = 10,           /* pages never checked, conflicting copies, logs not checked */
    ESECHECK_VERDICT_UNUSABLE_STATE = 11,       /* a state ESE will not attach */
    ESECHECK_VERDICT_UNSUPPORTED_BACKUP = 12,   /* the backup type cannot be taken (circular logging, no base) */
    ESECHECK_VERDICT_UNSTABLE = 13              /* pages read differently on re-reading: a live file was copied */
} esecheck_verdict;

/* The whole check, after esecheck_term. */
typedef struct esecheck_summary {
    int32_t verdict;            /* esecheck_verdict: the worst database's */
    int32_t jet_error;          /* what esecheck_term returned */
    int32_t restorable;         /* 1 when every database is restorable and the files belong together */
    int32_t backup_type;        /* esecheck_backup_type */
    uint32_t database_count;
    int32_t truncate_below;     /* after this backup succeeds, log generations below it may be
                                   deleted; 0 when none may (not restorable, copy, differential) */
    uint32_t reserved[10];
} esecheck_summary;

/* Fills *summary after esecheck_term; -1003 before it or for NULL. */
int32_t esecheck_get_summary(esecheck_session *session, esecheck_summary *summary);

/* One database, after esecheck_term. Generations are 0 when the header is unreadable. */
typedef struct esecheck_database_result {
    int32_t verdict;            /* esecheck_verdict */
    int32_t jet_error;          /* what CHKSGFILES would return for it; 0 exactly when restorable */
    int32_t restorable;         /* 1 for CONSISTENT and RECOVERABLE */
    uint32_t reason_count;      /* reasons and warnings: esecheck_get_reason */
    int32_t required_min;       /* log generations it requires (ESE lGenMinRequired-lGenMaxRequired); */
    int32_t required_max;       /*   0 and 0 when it needs none */
    int32_t committed_max;      /* highest generation holding its committed data (lGenMaxCommitted;
                                   eseutil prints "Log Committed: 0-committed_max") */
    uint32_t page_size;         /* 0 when no header is valid */
    uint64_t file_size;
    uint64_t pages_expected;    /* data pages of the file */
    uint64_t pages_checked;     /* data pages checked at least once */
    uint64_t pages_bad;         /* checksum failures and misplaced pages */
    uint64_t pages_correctable; /* single-bit errors ECC corrects */
    uint32_t missing_range_count;    /* esecheck_get_missing_pages */
    uint32_t duplicated_range_count; /* esecheck_get_duplicated_pages */
    uint32_t conflicting_range_count;/* esecheck_get_conflicting_pages */
    uint32_t reserved[11];
} esecheck_database_result;

/* Fills *result for database `database` after esecheck_term; -1003 before it, for an unknown
 * database or NULL. */
int32_t esecheck_get_database_result(esecheck_session *session, uint32_t database, esecheck_database_result *result);

/* One reason behind a verdict, or a warning beside it. The strings belong to the session
 * and stay valid until esecheck_delete. */
typedef struct esecheck_reason {
    const char *code;           /* a stable machine name: "badPages", "requiredLogsMissing", ... */
    const char *message;        /* one line for people */
    int32_t jet_error;          /* the JET error ESE would return for it; 0 when none */
    int32_t is_warning;         /* 1 when the verdict does not depend on it */
} esecheck_reason;

/* Fills *reason with reason `index` (0 to reason_count - 1) of database `database`. */
int32_t esecheck_get_reason(esecheck_session *session, uint32_t database, uint32_t index, esecheck_reason *reason);

/* A run of logical page numbers, first to last inclusive (page 1 follows the two header pages). */
typedef struct esecheck_page_range {
    uint32_t first;
    uint32_t last;
} esecheck_page_range;

/*
 * Page coverage of database `database`: runs of pages never checked (missing), checked more
 * than once (duplicated), or checked with different bytes and not resubmitted (conflicting).
 * Copies up to `capacity` runs into `ranges` (NULL with capacity 0 asks for the count) and
 * returns how many there are. Live: after esecheck_check_db_headers, so a transport can find
 * and resend what it skipped before esecheck_term; after it, the final coverage. 0 for an
 * unknown database or before the headers.
 */
uint32_t esecheck_get_missing_pages(esecheck_session *session, uint32_t database, esecheck_page_range *ranges,
                                    uint32_t capacity);
uint32_t esecheck_get_duplicated_pages(esecheck_session *session, uint32_t database, esecheck_page_range *ranges,
                                       uint32_t capacity);
uint32_t esecheck_get_conflicting_pages(esecheck_session *session, uint32_t database, esecheck_page_range *ranges,
                                        uint32_t capacity);

/* Why soft recovery starts where it does (esecheck_replay_plan.start_reason). */
typedef enum esecheck_replay_start {
    ESECHECK_REPLAY_START_UNKNOWN = 0,
    ESECHECK_REPLAY_START_CHECKPOINT = 1,          /* the checkpoint's generation */
    ESECHECK_REPLAY_START_LOWEST_ARCHIVED_LOG = 2, /* no usable checkpoint: the lowest archived log */
    ESECHECK_REPLAY_START_CURRENT_LOG = 3          /* no usable checkpoint, no archived log */
} esecheck_replay_start;

/* What soft recovery would replay, as ESE computes it, after esecheck_term. */
typedef struct esecheck_replay_plan {
    int32_t known;              /* 1 when the logs were judged (else every other field is 0) */
    int32_t start;              /* first generation replayed; 0 when unknown */
    int32_t end;                /* last generation replayed, or the last good one before a failure */
    int32_t start_reason;       /* esecheck_replay_start */
    int32_t current_generation; /* the current log's (E00.log) generation; 0 when it is absent */
    int32_t checkpoint_generation; /* the checkpoint's generation when it is used, else 0 */
    int32_t checkpoint_error;   /* why the checkpoint was ignored (-542 missing, -533 corrupt,
                                   -532 another sequence); 0 when used */
    int32_t failure_jet_error;  /* the first failure of recovery of the set as copied; 0 when none */
    int32_t failure_generation; /* the generation it fails at; 0 when none or unknown */
    int32_t lost_min;           /* generations eseutil /r /a would discard (RECOVERABLE_WITH_LOSS); */
    int32_t lost_max;           /*   0 and 0 when none */
    uint32_t stray_log_count;   /* archived logs above the current one: never replayed */
    uint32_t remedy_count;      /* changes that would make recovery succeed (see the JSON "remedies") */
    uint32_t reserved[7];
} esecheck_replay_plan;

/* Fills *plan after esecheck_term; -1003 before it or for NULL. */
int32_t esecheck_get_replay_plan(esecheck_session *session, esecheck_replay_plan *plan);

/* ---- Structure (added in 1.1) ------------------------------------------------------------ */

/*
 * Whether the B-tree and space-tree walk ran (esecheck_structure.scope). An all-zero page
 * passes every checksum check; only the walk finds one that a tree still references.
 */
typedef enum esecheck_structure_scope {
    ESECHECK_STRUCTURE_NONE = 0,                   /* no walk result for this database */
    ESECHECK_STRUCTURE_WALKED = 1,                 /* every tree reachable from the root and the catalog was walked */
    ESECHECK_STRUCTURE_SKIPPED = 2,                /* the walk was turned off (ese-verify --no-structure): the
                                                      verdict carries the warning reason structureNotVerified */
    ESECHECK_STRUCTURE_TREES_NOT_DISCOVERABLE = 3, /* the database root (pgno 1) or the catalog root (pgno 4) is not a
                                                      good tree root: the trees cannot be found */
    ESECHECK_STRUCTURE_STATE_LIMIT = 4,            /* the walk's evidence outgrew its memory bound (8 bytes a page) */
    ESECHECK_STRUCTURE_NOT_EXAMINED = 5            /* the pages were not examined (no valid header, a logs-only backup) */
} esecheck_structure_scope;

/* The structure walk of one database, after esecheck_term: the JSON report's "structure". */
typedef struct esecheck_structure {
    int32_t checked;            /* 1 when the walk ran (scope ESECHECK_STRUCTURE_WALKED) */
    int32_t scope;              /* esecheck_structure_scope */
    uint32_t trees;             /* trees walked: database root, catalog, tables, indexes, long values, space trees */
    uint32_t finding_count;     /* findings listed: esecheck_get_structure_finding */
    uint64_t pages_in_use;      /* pages the walk reached */
    uint64_t pages_free;        /* pages the AvailExt trees list as free */
    uint32_t last_owned_page;   /* the last page the database root owns; 0 when not read */
    uint32_t trailing_pages;    /* pages of the file past the owned space (ESE extends files ahead: not damage) */
    uint32_t highest_referenced_page; /* the highest page a tree names past the end of the file (the file is
                                         truncated); 0 when none */
    uint32_t pages_not_supplied;/* pages a tree references that were never checked */
    uint32_t findings_omitted;  /* findings past the esecheck_set_max_findings cap, counted only */
    int32_t jet_error;          /* -1019 when a tree references an all-zero page, else -1206 for structural
                                   damage; 0 when no tree is damaged */
    uint32_t reserved[10];
} esecheck_structure;

/* Fills *structure for database `database` after esecheck_term; -1003 before it, for an unknown
 * database or NULL. A database without a walk result reads scope ESECHECK_STRUCTURE_NONE. */
int32_t esecheck_get_structure(esecheck_session *session, uint32_t database, esecheck_structure *structure);

/* One damaged place in a tree. The message belongs to the session and stays valid until
 * esecheck_delete. */
typedef struct esecheck_structure_finding {
    const char *message;        /* one line for people */
    uint32_t page;              /* the page (pgno) */
    uint32_t tree;              /* the tree it was reached from (objidFDP) */
    int32_t jet_error;          /* -1019 (an all-zero page a tree references) or -1206 (structural damage) */
    uint32_t reserved;
} esecheck_structure_finding;

/* Fills *finding with finding `index` (0 to finding_count - 1) of database `database`, after
 * esecheck_term; -1003 before it, past the count, for an unknown database or NULL. */
int32_t esecheck_get_structure_finding(esecheck_session *session, uint32_t database, uint32_t index,
                                       esecheck_structure_finding *finding);

/* ---- Manifests and tar streams (since 1.1) ------------------------------------------------ */

/*
 * The calls below but the first two run a whole check on a new session instead of esecheck_init ...
 * esecheck_term (settings made before it with esecheck_set_backup_type and
 * esecheck_set_max_findings apply), once per session; a session already initialized or run
 * is -1003. Afterwards the result calls (esecheck_get_summary, esecheck_get_database_result,
 * esecheck_get_reason, esecheck_get_replay_plan, page runs, esecheck_database_verdict,
 * esecheck_report_json) read its report, and esecheck_get_manifest_result and
 * esecheck_get_manifest_finding its comparison with a manifest. The return value is what
 * esecheck_term would return for the report (0 exactly when restorable; a copy that differs
 * from its manifest is never restorable: -106 when its files alone are), or:
 * -1003 a NULL argument or misuse; -1022 the manifest cannot be read or written, or the
 * archive cannot be opened; -1812 the manifest is not a valid manifest (its checksum does not
 * match: changed, cut or not a manifest). Manifest format: docs/manifest.md. After a
 * manifest or verify run, esecheck_report_json holds the report with its "manifest" object
 * (docs/json-schema.md).
 */

/* Before esecheck_init: with on = 1 the session hashes every byte it checks (off by default:
 * it costs time), so that esecheck_write_manifest can record it after esecheck_term. -1003
 * after esecheck_init. */
int32_t esecheck_set_hash_files(esecheck_session *session, int32_t on);

/*
 * After esecheck_term of a session fed by esecheck_init / esecheck_init_sources: writes the
 * manifest of what it checked to manifest_path - each database (a file under its path, a
 * stream under its name) and every file of the log set its log check examined - as
 * `ese-verify manifest` writes a manifest of files (verify it with `ese-verify verify
 * --manifest FILE FILE...`). With esecheck_set_hash_files a database's hash is formed from
 * the batches checked (a stream's needs every byte fed, header pages included, else it has
 * none); without it, database files are read again whole and streams have no hash. Logs are
 * read again. 0, -1022 when the manifest cannot be written, -1003 before esecheck_term.
 */
int32_t esecheck_write_manifest(esecheck_session *session, const char *manifest_path);

/* Checks the storage group in `directory` (base_name NULL to infer it) and writes its
 * manifest to manifest_path (`ese-verify manifest --out manifest_path directory`). */
int32_t esecheck_manifest_directory(esecheck_session *session, const char *directory, const char *base_name,
                                    const char *manifest_path);

/* Checks the copy in `directory` against the manifest at manifest_path
 * (`ese-verify verify --manifest manifest_path directory`). */
int32_t esecheck_verify_directory(esecheck_session *session, const char *manifest_path, const char *directory,
                                  const char *base_name);

/*
 * A byte stream the caller has: reads up to `capacity` bytes into `buffer` and returns how
 * many (fewer is fine), 0 at the end of the stream, or a negative value on failure (the
 * archive is then unreadable). Called from the thread that called esecheck_check_tar, in
 * order, never after it returns.
 */
typedef int64_t (*esecheck_read_fn)(void *context, void *buffer, size_t capacity);

/*
 * Checks the storage group inside a tar archive (ustar, pax, GNU) that `read` streams, read
 * once, nothing extracted (`ese-verify check --tar`); `name` (may be NULL: "stream") names
 * the archive in reports. With manifest_path (else NULL) the members are also compared with
 * that manifest as they pass (`ese-verify verify --manifest manifest_path --tar`).
 */
int32_t esecheck_check_tar(esecheck_session *session, esecheck_read_fn read, void *context, const char *name,
                           const char *base_name, const char *manifest_path);

/* As esecheck_check_tar, reading the archive from file descriptor `fd` (a file, a pipe, a
 * socket) until its end; the descriptor is not closed. */
int32_t esecheck_check_tar_fd(esecheck_session *session, int fd, const char *name, const char *base_name,
                              const char *manifest_path);

/* After esecheck_verify_directory or esecheck_check_tar with a manifest: the comparison. */
typedef struct esecheck_manifest_result {
    int32_t compared;           /* 1 when the session compared a copy with a manifest (else all 0) */
    int32_t is_recorded_copy;   /* 1 when every recorded file is there with its size and hash, and no other */
    uint32_t file_count;        /* files the manifest records */
    uint32_t matched;           /* files found equal */
    uint32_t finding_count;     /* files that differ: esecheck_get_manifest_finding */
    uint32_t missing_count;     /* recorded, not in the copy */
    uint32_t extra_count;       /* in the copy, not recorded */
    uint32_t resized_count;     /* another size */
    uint32_t changed_count;     /* the same size, another hash */
    uint32_t unverified_count;  /* a hash could not be computed on one side */
    uint32_t reserved[6];
} esecheck_manifest_result;

/* Fills *result; -1003 before a manifest run or for NULL (a plain esecheck_check_tar run
 * fills it with zeros and returns 0). */
int32_t esecheck_get_manifest_result(esecheck_session *session, esecheck_manifest_result *result);

/* What differs for one file (esecheck_manifest_finding.difference). */
typedef enum esecheck_manifest_difference {
    ESECHECK_MANIFEST_MISSING = 0,
    ESECHECK_MANIFEST_EXTRA = 1,
    ESECHECK_MANIFEST_RESIZED = 2,
    ESECHECK_MANIFEST_CHANGED = 3,
    ESECHECK_MANIFEST_UNVERIFIED = 4
} esecheck_manifest_difference;

/* One file that differs. The strings belong to the session until esecheck_delete. */
typedef struct esecheck_manifest_finding {
    const char *name;           /* as the manifest names it (an extra tar member: its path in the archive) */
    const char *detail;         /* one line for people */
    const char *recorded_hash;  /* the manifest's hash of it, or NULL; opaque text of the manifest's algorithm */
    const char *found_hash;     /* the copy's, or NULL */
    int32_t difference;         /* esecheck_manifest_difference */
    uint32_t reserved;
    uint64_t recorded_size;     /* 0 for an extra file */
    uint64_t found_size;        /* 0 for a missing file */
} esecheck_manifest_finding;

/* Fills *finding with finding `index` (0 to finding_count - 1), in name order. */
int32_t esecheck_get_manifest_finding(esecheck_session *session, uint32_t index, esecheck_manifest_finding *finding);

/* The layouts above are part of the ABI (LP64: Linux and macOS on 64-bit machines). */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define ESECHECK_STATIC_ASSERT(condition, message) static_assert(condition, message)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define ESECHECK_STATIC_ASSERT(condition, message) _Static_assert(condition, message)
#else
#define ESECHECK_STATIC_ASSERT(condition, message)
#endif
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
ESECHECK_STATIC_ASSERT(sizeof(esecheck_page_info) == 96, "esecheck_page_info is 96 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_source) == 40, "esecheck_source is 40 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_summary) == 64, "esecheck_summary is 64 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_database_result) == 128, "esecheck_database_result is 128 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_reason) == 24, "esecheck_reason is 24 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_page_range) == 8, "esecheck_page_range is 8 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_replay_plan) == 80, "esecheck_replay_plan is 80 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_structure) == 96, "esecheck_structure is 96 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_structure_finding) == 24, "esecheck_structure_finding is 24 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_manifest_result) == 64, "esecheck_manifest_result is 64 bytes");
ESECHECK_STATIC_ASSERT(sizeof(esecheck_manifest_finding) == 56, "esecheck_manifest_finding is 56 bytes");
#endif

#ifdef __cplusplus
}
#endif

#endif /* ESECHECK_H */
