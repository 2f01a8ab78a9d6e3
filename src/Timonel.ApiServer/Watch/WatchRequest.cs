using System.Text.Json.Nodes;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Watch;

/// <summary>A watch as the client asked for it.</summary>
public sealed record WatchRequest
{
    public required ResourceDefinition Definition { get; init; }

    public string? Namespace { get; init; }

    public Func<JsonObject, bool>? Filter { get; init; }

    /// <summary>
    /// What of <see cref="Filter"/> the key alone decides (metadata.name and metadata.namespace terms, and the name a
    /// single-object watch is for): events it refuses are skipped before any decoding. Null = no such terms.
    /// </summary>
    public Func<string?, string, bool>? KeyFilter { get; init; }

    /// <summary>"" or "0" start with the current state as ADDED events (unless sendInitialEvents=false); else a revision.</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowBookmarks { get; init; }

    /// <summary>sendInitialEvents: null = upstream's default for the resourceVersion given.</summary>
    public bool? SendInitialEvents { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>When set, every event's object is a one-row Table (kubectl get -w).</summary>
    public TableRequest? Table { get; init; }

    /// <summary>
    /// When set (meta.k8s.io/v1 or v1beta1), every event's object is a PartialObjectMetadata of that version: what
    /// metadata-only informers (the garbage collector's) ask for, so they are not sent whole objects.
    /// </summary>
    public string? PartialMetadataVersion { get; init; }
}
