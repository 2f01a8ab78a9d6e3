namespace Timonel.ApiServer.Registry;

/// <summary>The plain behaviours for kinds that need nothing of their own (yet).</summary>
public static class DefaultStrategies
{
    /// <summary>A kind with spec and status (generation counts spec changes, status belongs to controllers).</summary>
    public static IResourceStrategy SpecAndStatus { get; } = new SpecAndStatusStrategy();

    /// <summary>A kind that is all data (ConfigMap, Role, ...): no status reset, no generation.</summary>
    public static IResourceStrategy DataOnly { get; } = new DataOnlyStrategy();

    private sealed class SpecAndStatusStrategy : ResourceStrategyBase;

    private sealed class DataOnlyStrategy : ResourceStrategyBase
    {
        protected override bool HasSpecAndStatus => false;
    }
}
