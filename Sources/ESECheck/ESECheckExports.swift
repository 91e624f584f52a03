// `import ESECheck` is all a client writes: the ESEFormat types the API hands out (JetError,
// PageCheck, PageOutcome, DatabaseHeader, Signature, LogPosition, ...) come with it.
@_exported import ESEFormat
