namespace Timonel.Scheduler.Framework;

/// <summary>
/// What plugins pass to themselves through one pod's scheduling cycle (upstream framework/cycle_state.go): PreFilter
/// writes, Filter reads from many threads at once (no writes happen while filters run), and the sets of plugins whose
/// Filter or Score is skipped because their PreFilter or PreScore answered Skip.
/// </summary>
public sealed class CycleState
{
    private readonly Dictionary<string, object> _data = new(StringComparer.Ordinal);

    public HashSet<string> SkipFilterPlugins { get; } = new(StringComparer.Ordinal);

    public HashSet<string> SkipScorePlugins { get; } = new(StringComparer.Ordinal);

    /// <summary>The Filter plugins not skipped, worked out once per cycle rather than once per node.</summary>
    internal IFilterPlugin[]? FiltersToRun { get; set; }

    public void Write(string key, object value) => _data[key] = value;

    /// <summary>The value written under <paramref name="key"/>, or null when absent or of another type.</summary>
    public T? Read<T>(string key)
        where T : class => _data.TryGetValue(key, out var value) ? value as T : null;
}
