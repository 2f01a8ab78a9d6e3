namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// The part of an object whose ownership a write records. Upstream strips apiVersion, kind and the metadata only the
/// server sets before tracking (fieldmanager's stripMeta), and leaves out the fields the strategy resets for the
/// endpoint written: status for the resource itself, everything but status for /status.
/// </summary>
internal sealed class FieldScope
{
    private static readonly HashSet<string> _serverMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "selfLink", "managedFields",
    };

    private readonly Func<string, bool> _includesRoot;

    private FieldScope(Func<string, bool> includesRoot) => _includesRoot = includesRoot;

    /// <summary>Writes to the resource itself.</summary>
    public static FieldScope Resource { get; } = new(name => name is not ("apiVersion" or "kind" or "status"));

    /// <summary>Writes to /status.</summary>
    public static FieldScope Status { get; } = new(name => name == "status");

    public static FieldScope For(string? subresource) => subresource == "status" ? Status : Resource;

    public bool IncludesRoot(string field) => _includesRoot(field);

    public static bool IncludesMetadata(string field) => !_serverMetadata.Contains(field);
}
