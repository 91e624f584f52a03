import ESEFormat

extension ReplayPlan {
    /// `{"anchor", "currentGeneration", "start", "startReason", "end", "generations":{"min","max"},
    /// "checkpoint":{"status","generation","jetError","message"}, "strayLogs", "unreadLowLogs",
    /// "failure", "notes", "approximations"}`: what soft recovery would replay.
    public var json: JSONValue {
        var checkpointJSON: [(String, JSONValue)] = [("status", .string(checkpoint.name))]
        switch checkpoint {
        case .used(let generation): checkpointJSON.append(("generation", .number(generation)))
        case .ignored(let error, let message):
            checkpointJSON.append(("jetError", error.json))
            checkpointJSON.append(("message", .string(message)))
        }
        let range: JSONValue = generations.map { JSONValue.object(["min": .number($0.lowerBound), "max": .number($0.upperBound)]) } ?? .null
        let pairs: [(String, JSONValue)] = [
            ("anchor", anchor.map(JSONValue.string) ?? .null),
            ("currentGeneration", currentGeneration.map { JSONValue.number($0) } ?? .null),
            ("signature", signature?.json ?? .null),
            ("start", start.map { JSONValue.number($0) } ?? .null),
            ("startReason", startReason.map { JSONValue.string($0.rawValue) } ?? .null),
            ("end", end.map { JSONValue.number($0) } ?? .null),
            ("generations", range),
            ("checkpoint", .object(checkpointJSON)),
            ("strayLogs", .array(strayLogs.map(JSONValue.string))),
            ("unreadLowLogs", .array(unreadLowLogs.map(JSONValue.string))),
            ("failure", failure?.json ?? .null),
            ("notes", .array(notes.map(\.json))),
            ("approximations", .array(approximations.map(JSONValue.string))),
        ]
        return .object(pairs)
    }
}

extension RecoveryFailure {
    /// `{"code", "jetError", "underlyingJetError", "generation", "file", "message", "lostGenerations"}`.
    public var json: JSONValue {
        .object([
            "code": .string(code.rawValue),
            "jetError": jetError.json,
            "underlyingJetError": underlyingError?.json,
            "generation": generation.map { .number($0) } ?? .null,
            "file": file.map { .string($0) } ?? .null,
            "message": .string(message),
            "lostGenerations": lostGenerations.map { .object(["min": .number($0.lowerBound), "max": .number($0.upperBound)]) } ?? .null,
        ])
    }
}

extension Remedy {
    /// `{"code", "message", "files"}`.
    public var json: JSONValue {
        .object(["code": .string(code.rawValue), "message": .string(message), "files": .array(files.map { .string($0) })])
    }
}

extension RecoveryDecision {
    /// `{"outcome", "attach", "basis", "lostGenerations"}`: how recovery treats the database.
    public var json: JSONValue {
        .object([
            "outcome": .string(outcome.rawValue),
            "attach": .string(attach.rawValue),
            "basis": .string(usedApproximation ? "headerApproximation" : usedRecords ? "logRecords" : "headers"),
            "lostGenerations": lostGenerations.map { .object(["min": .number($0.lowerBound), "max": .number($0.upperBound)]) } ?? .null,
        ])
    }
}
