namespace Timonel.ApiServer.Registry;

/// <summary>
/// The strategies of the built-in kinds. Kinds not listed behave as <see cref="DefaultStrategies"/> says:
/// with spec and status unless they are data-only.
/// </summary>
public sealed class BuiltInStrategies : IResourceStrategyProvider
{
    private static readonly HashSet<string> DataOnlyKinds =
    [
        "ConfigMap", "Secret", "Endpoints", "Event", "ServiceAccount", "LimitRange", "ControllerRevision", "IngressClass",
        "StorageClass", "Lease", "EndpointSlice", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
    ];

    private readonly Dictionary<(string Group, string Kind), IResourceStrategy> _specific = [];

    public IResourceStrategy For(string group, string kind) =>
        _specific.TryGetValue((group, kind), out var strategy) ? strategy
        : DataOnlyKinds.Contains(kind) ? DefaultStrategies.DataOnly : DefaultStrategies.SpecAndStatus;
}
