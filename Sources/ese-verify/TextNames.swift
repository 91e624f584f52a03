import ESECheck
import ESEFormat

/// Reports made safe to print as text: every file name, path and base name in them escaped
/// with `PathEncoding.displayed`, so that no name (with a newline, a carriage return or an
/// escape sequence in it) can forge a line such as `Result: consistent`.
///
/// The text renderers of the storage-group and log-set reports print names as they are;
/// the CLI prints copies made by these functions. `DatabaseReport.text` and `HeaderDump.text`
/// escape their own path.
enum TextNames {
    /// A copy of `report` with its names escaped, for `StorageGroupReport.text`.
    static func escaped(_ report: StorageGroupReport) -> StorageGroupReport {
        var copy = report
        for index in copy.databases.indices {
            copy.databases[index].report.path = PathEncoding.displayed(copy.databases[index].report.path)
        }
        copy.skippedFiles = copy.skippedFiles.map(PathEncoding.displayed)
        if let set = copy.logs?.report { copy.logs?.report = escaped(set) }
        return copy
    }

    /// A copy of `report` with its names escaped, for `LogSetReport.text`.
    static func escaped(_ report: LogSetReport) -> LogSetReport {
        var copy = report
        copy.directory = PathEncoding.displayed(copy.directory)
        copy.baseName = PathEncoding.displayed(copy.baseName)
        for index in copy.files.indices {
            copy.files[index].path = PathEncoding.displayed(copy.files[index].path)
            copy.files[index].name = escaped(copy.files[index].name)
        }
        for index in copy.auxiliary.indices {
            copy.auxiliary[index].path = PathEncoding.displayed(copy.auxiliary[index].path)
            copy.auxiliary[index].name = escaped(copy.auxiliary[index].name)
        }
        if let path = copy.checkpoint?.path { copy.checkpoint?.path = PathEncoding.displayed(path) }
        for index in copy.breaks.indices {
            copy.breaks[index].file = copy.breaks[index].file.map(PathEncoding.displayed)
        }
        for index in copy.errors.indices {
            copy.errors[index].path = PathEncoding.displayed(copy.errors[index].path)
            copy.errors[index].message = PathEncoding.displayed(copy.errors[index].message)
        }
        return copy
    }

    static func escaped(_ name: LogFileName) -> LogFileName {
        var copy = name
        copy.fileName = PathEncoding.displayed(name.fileName)
        copy.baseName = PathEncoding.displayed(name.baseName)
        return copy
    }
}
