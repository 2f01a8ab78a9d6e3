using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry;

/// <summary>What a list or watch asks for: selectors (as a compiled filter), paging and resourceVersion semantics.</summary>
public sealed record ListQuery
{
    public static ListQuery All { get; } = new();

    /// <summary>Label and field selectors compiled into one predicate; null = everything.</summary>
    public Func<JsonObject, bool>? Filter { get; init; }

    /// <summary>The metadata.name and metadata.namespace terms of the field selector, decided on keys before decoding.</summary>
    public Func<string?, string, bool>? KeyFilter { get; init; }

    public long Limit { get; init; }

    public string? Continue { get; init; }

    /// <summary>"" = most recent (consistent), "0" = any, otherwise a revision.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>NotOlderThan or Exact (only meaningful with a resourceVersion).</summary>
    public string? ResourceVersionMatch { get; init; }

    /// <summary>timeoutSeconds of a watch as sent (any int64); null = the server's own spread of lifetimes.</summary>
    public long? TimeoutSeconds { get; init; }

    /// <summary>sendInitialEvents of a watch; null = upstream's default for the resourceVersion given.</summary>
    public bool? SendInitialEvents { get; init; }

    public bool AllowWatchBookmarks { get; init; }
}
