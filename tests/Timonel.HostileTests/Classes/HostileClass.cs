using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// One class of hostile input: generates its cases, each with upstream's answer, from the target and a random source
/// seeded per class (so the cases are the same on every run). Each class's comment says where upstream decides.
/// </summary>
internal abstract class HostileClass
{
    public abstract string Name { get; }

    public abstract IEnumerable<HostileCase> Cases(SuiteTarget target, Random random);

    /// <summary>Up to <paramref name="count"/> items picked at random, in their original order.</summary>
    protected static IEnumerable<T> Pick<T>(IReadOnlyList<T> items, int count, Random random)
    {
        var indexes = Enumerable.Range(0, items.Count).ToArray();
        random.Shuffle(indexes);
        return indexes.Take(count).Order().Select(i => items[i]);
    }
}
