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

    /// <summary>
    /// A copy for a what-if (preemption's dry run, nominated pods added): values that are <see cref="ICloneable"/>
    /// are cloned, so a PreFilter extension can change the copy's without touching this cycle's (upstream Clone).
    /// </summary>
    public CycleState Clone()
    {
        var copy = new CycleState { FiltersToRun = FiltersToRun };
        foreach (var (key, value) in _data)
        {
            copy._data[key] = value is ICloneable cloneable ? cloneable.Clone() : value;
        }

        copy.SkipFilterPlugins.UnionWith(SkipFilterPlugins);
        copy.SkipScorePlugins.UnionWith(SkipScorePlugins);
        return copy;
    }

    /// <summary>The value written under <paramref name="key"/>, or null when absent or of another type.</summary>
    public T? Read<T>(string key)
        where T : class => _data.TryGetValue(key, out var value) ? value as T : null;
}
