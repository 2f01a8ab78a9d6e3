using System.Text;

namespace Timonel.Storage.Tests;

/// <summary>
/// The behaviour every backend must share; one subclass per backend supplies the store. Each test works under
/// its own key prefix, so backends that share one server between tests (etcd) stay isolated.
/// </summary>
public abstract class StorageBackendConformanceTests : IAsyncLifetime
{
    private readonly List<IStorageBackend> _opened = [];

    /// <summary>This test's key prefix.</summary>
    protected string P { get; } = $"/registry/t{Guid.NewGuid():N}/";

    /// <summary>Why this backend cannot run here (the tests then skip with this reason), or null.</summary>
    protected virtual string? SkipReason => null;

    /// <summary>Whether this backend's watches can mark progress (see IStorageBackend.RequestWatchProgressAsync).</summary>
    protected virtual Task<bool> ReportsWatchProgressAsync() => Task.FromResult(true);

    /// <summary>Whether <see cref="RestartAsync"/> brings back the same data.</summary>
    protected virtual bool IsDurable => true;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task CreateAsync_KeyAbsent_CreatesWithEqualCreateAndModRevision()
    {
        var store = await OpenAsync();

        var created = await store.CreateAsync(P + "a", B("one"));

        Assert.True(created.Succeeded);
        Assert.Equal(created.Revision, created.Current!.CreateRevision);
        Assert.Equal(created.Revision, created.Current.ModRevision);
        Assert.Equal(created.Revision, await store.CurrentRevisionAsync());
        var read = await store.GetAsync(P + "a");
        Assert.Equal("one", S(read!.Value));
        Assert.Equal(created.Revision, read.ModRevision);
    }

    [SkippableFact]
    public async Task CreateAsync_KeyPresent_FailsAndReturnsCurrent()
    {
        var store = await OpenAsync();
        var first = await store.CreateAsync(P + "a", B("one"));

        var second = await store.CreateAsync(P + "a", B("two"));

        Assert.False(second.Succeeded);
        Assert.Equal("one", S(second.Current!.Value));
        Assert.Equal(first.Revision, second.Current.ModRevision);
        Assert.Equal(first.Revision, second.Revision);
    }

    [SkippableFact]
    public async Task GetAsync_MissingOrDeletedKey_ReturnsNull()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("one"));
        await store.DeleteAsync(P + "a", created.Revision);

        Assert.Null(await store.GetAsync(P + "a"));
        Assert.Null(await store.GetAsync(P + "never"));
    }

    [SkippableFact]
    public async Task UpdateAsync_MatchingRevision_ReplacesValueAndKeepsCreateRevision()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("one"));

        var updated = await store.UpdateAsync(P + "a", B("two"), created.Revision);

        Assert.True(updated.Succeeded);
        Assert.True(updated.Revision > created.Revision);
        Assert.Equal(created.Revision, updated.Current!.CreateRevision);
        Assert.Equal(updated.Revision, updated.Current.ModRevision);
        Assert.Equal("two", S((await store.GetAsync(P + "a"))!.Value));
    }

    [SkippableFact]
    public async Task UpdateAsync_StaleRevision_FailsAndReturnsCurrent()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("1"));
        var updated = await store.UpdateAsync(P + "a", B("2"), created.Revision);

        var stale = await store.UpdateAsync(P + "a", B("3"), created.Revision);

        Assert.True(updated.Succeeded);
        Assert.False(stale.Succeeded);
        Assert.Equal("2", S(stale.Current!.Value));
        Assert.Equal(updated.Revision, stale.Current.ModRevision);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task UpdateAsync_KeyAbsent_FailsWithNoCurrent(long expectedRevision)
    {
        var store = await OpenAsync();

        var result = await store.UpdateAsync(P + "missing", B("x"), expectedRevision);

        Assert.False(result.Succeeded);
        Assert.Null(result.Current);
        Assert.Null(await store.GetAsync(P + "missing"));
    }

    [SkippableFact]
    public async Task UpdateAsync_ConcurrentCasWriters_FinalValueEqualsSuccesses()
    {
        var store = await OpenAsync();
        await store.CreateAsync(P + "counter", B("0"));
        const int writers = 16;
        const int attemptsEach = 15;

        var successes = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var won = 0;
            for (var attempt = 0; attempt < attemptsEach; attempt++)
            {
                var current = (await store.GetAsync(P + "counter"))!;
                var next = int.Parse(S(current.Value)) + 1;
                if ((await store.UpdateAsync(P + "counter", B(next.ToString()), current.ModRevision)).Succeeded)
                {
                    won++;
                }
            }

            return won;
        })));

        var total = successes.Sum();
        Assert.True(total > 0);
        Assert.Equal(total, int.Parse(S((await store.GetAsync(P + "counter"))!.Value)));
    }

    [SkippableFact]
    public async Task DeleteAsync_MatchingRevision_ReturnsDeletedValue()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("gone"));

        var deleted = await store.DeleteAsync(P + "a", created.Revision);

        Assert.True(deleted.Succeeded);
        Assert.True(deleted.Revision > created.Revision);
        Assert.Equal("gone", S(deleted.Current!.Value));
        Assert.Equal(created.Revision, deleted.Current.ModRevision);
        Assert.Null(await store.GetAsync(P + "a"));
    }

    [SkippableFact]
    public async Task DeleteAsync_StaleRevision_FailsAndKeepsKey()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("1"));
        var updated = await store.UpdateAsync(P + "a", B("2"), created.Revision);

        var stale = await store.DeleteAsync(P + "a", created.Revision);

        Assert.False(stale.Succeeded);
        Assert.Equal(updated.Revision, stale.Current!.ModRevision);
        Assert.Equal("2", S((await store.GetAsync(P + "a"))!.Value));
    }

    [SkippableFact]
    public async Task DeleteAsync_UnconditionalOnPresentAndAbsentKeys_DeletesOnlyWhatExists()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("1"));
        await store.UpdateAsync(P + "a", B("2"), created.Revision);

        var deleted = await store.DeleteAsync(P + "a", 0);
        var absent = await store.DeleteAsync(P + "a", 0);

        Assert.True(deleted.Succeeded);
        Assert.Equal("2", S(deleted.Current!.Value));
        Assert.False(absent.Succeeded);
        Assert.Null(absent.Current);
    }

    [SkippableFact]
    public async Task CreateAsync_AfterDelete_StartsANewLife()
    {
        var store = await OpenAsync();
        var first = await store.CreateAsync(P + "a", B("1"));
        await store.DeleteAsync(P + "a", first.Revision);

        var again = await store.CreateAsync(P + "a", B("2"));

        Assert.True(again.Succeeded);
        Assert.True(again.Current!.CreateRevision > first.Revision);
        Assert.Equal("2", S((await store.GetAsync(P + "a"))!.Value));
    }

    [SkippableFact]
    public async Task ListAsync_WithLimit_PagesThroughKeysAtOneRevision()
    {
        var store = await OpenAsync();
        foreach (var name in new[] { "e", "b", "d", "a", "c" })
        {
            await store.CreateAsync(P + name, B(name));
        }

        var first = await store.ListAsync(P, new ListOptions(Limit: 2));
        await store.CreateAsync(P + "bb", B("late"));
        var second = await store.ListAsync(P, new ListOptions(Limit: 2, StartKey: first.NextKey, Revision: first.Revision));
        var third = await store.ListAsync(P, new ListOptions(Limit: 2, StartKey: second.NextKey, Revision: first.Revision));

        Assert.Equal(["a", "b"], Names(first));
        Assert.Equal(P + "c", first.NextKey);
        Assert.Equal(3, first.RemainingCount);
        Assert.Equal(["c", "d"], Names(second));
        Assert.Equal(1, second.RemainingCount);
        Assert.Equal(first.Revision, second.Revision);
        Assert.Equal(["e"], Names(third));
        Assert.Null(third.NextKey);
        Assert.Equal(0, third.RemainingCount);
        Assert.Equal(["a", "b", "bb", "c", "d", "e"], Names(await store.ListAsync(P, ListOptions.Latest)));
    }

    [SkippableFact]
    public async Task ListAsync_LatestPagesOverHistoryAndDeletions_GivesLiveKeysOnceInKeyOrder()
    {
        var store = await OpenAsync();
        var names = Enumerable.Range(0, 30).Select(i => $"k{i:D2}").ToList();
        var revisions = new Dictionary<string, long>();
        foreach (var name in names.OrderBy(name => name.GetHashCode(StringComparison.Ordinal)))
        {
            revisions[name] = (await store.CreateAsync(P + name, B(name))).Revision;
        }

        foreach (var name in names.Where((_, i) => i % 3 == 0))
        {
            for (var round = 1; round <= 3; round++)
            {
                revisions[name] = (await store.UpdateAsync(P + name, B($"{name}.{round}"), revisions[name])).Revision;
            }
        }

        var deleted = names.Where((_, i) => i % 5 == 0).ToHashSet();
        foreach (var name in deleted)
        {
            await store.DeleteAsync(P + name, revisions[name]);
        }

        await store.CreateAsync(P + "k10", B("again"));
        deleted.Remove("k10");
        var pages = new List<ListResult> { await store.ListAsync(P, new ListOptions(Limit: 4)) };
        while (pages[^1].NextKey is { } next)
        {
            pages.Add(await store.ListAsync(P, new ListOptions(Limit: 4, StartKey: next)));
        }

        var live = names.Where(name => !deleted.Contains(name)).ToList();
        Assert.Equal(live, pages.SelectMany(Names));
        Assert.Equal(live.Count - 4, pages[0].RemainingCount);
        Assert.Equal(live.Count, await store.CountAsync(P));
        Assert.Equal("k03.3", S((await store.GetAsync(P + "k03"))!.Value));
        Assert.Equal("again", S((await store.GetAsync(P + "k10"))!.Value));
        Assert.Null(await store.GetAsync(P + "k05"));
    }

    [SkippableFact]
    public async Task ListAsync_AtOldRevision_ReturnsTheStateOfThatRevision()
    {
        var store = await OpenAsync();
        var a1 = await store.CreateAsync(P + "a", B("a1"));
        var b1 = await store.CreateAsync(P + "b", B("b1"));
        var a2 = await store.UpdateAsync(P + "a", B("a2"), a1.Revision);
        await store.DeleteAsync(P + "b", b1.Revision);
        await store.CreateAsync(P + "c", B("c1"));

        var atB1 = await store.ListAsync(P, new ListOptions(Revision: b1.Revision));
        var atA2 = await store.ListAsync(P, new ListOptions(Revision: a2.Revision));
        var latest = await store.ListAsync(P, ListOptions.Latest);

        Assert.Equal(["a1", "b1"], Values(atB1));
        Assert.Equal(b1.Revision, atB1.Revision);
        Assert.Equal(["a2", "b1"], Values(atA2));
        Assert.Equal(a1.Revision, atA2.Items[0].CreateRevision);
        Assert.Equal(["a2", "c1"], Values(latest));
        Assert.Equal(await store.CurrentRevisionAsync(), latest.Revision);
    }

    [SkippableFact]
    public async Task ListAsync_PagesAtAnOldRevisionOverLaterHistory_GiveThatRevisionsStateWithCounts()
    {
        var store = await OpenAsync();
        var names = Enumerable.Range(0, 12).Select(i => $"k{i:D2}").ToList();
        var revisions = new Dictionary<string, long>();
        foreach (var name in names)
        {
            revisions[name] = (await store.CreateAsync(P + name, B($"{name}.0"))).Revision;
        }

        for (var round = 1; round <= 3; round++)
        {
            foreach (var name in names.Where((_, i) => i % 3 == 0))
            {
                revisions[name] = (await store.UpdateAsync(P + name, B($"{name}.{round}"), revisions[name])).Revision;
            }
        }

        var at = await store.CurrentRevisionAsync();
        var expected = names.Select(name => names.IndexOf(name) % 3 == 0 ? $"{name}.3" : $"{name}.0").ToList();
        // What follows the revision read: deletions, updates and new keys, before, between and after the pages' keys.
        foreach (var name in names.Where((_, i) => i % 4 == 1))
        {
            await store.DeleteAsync(P + name, revisions[name]);
        }

        await store.UpdateAsync(P + "k00", B("k00.later"), revisions["k00"]);
        await store.CreateAsync(P + "a-new", B("new"));
        await store.CreateAsync(P + "k05x", B("new"));
        var pages = new List<ListResult> { await store.ListAsync(P, new ListOptions(Limit: 5, Revision: at)) };
        while (pages[^1].NextKey is { } next)
        {
            pages.Add(await store.ListAsync(P, new ListOptions(Limit: 5, StartKey: next, Revision: at)));
        }

        Assert.Equal(expected, pages.SelectMany(Values));
        Assert.Equal([7L, 2L, 0L], pages.Select(page => page.RemainingCount));
        Assert.All(pages, page => Assert.Equal(at, page.Revision));
    }

    [SkippableFact]
    public async Task ListAsync_FutureRevision_ThrowsOutOfRange()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("1"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAsync(P, new ListOptions(Revision: created.Revision + 1000)));
    }

    [SkippableFact]
    public async Task ListAsync_SiblingPrefixes_DoNotLeakIntoEachOther()
    {
        var store = await OpenAsync();
        await store.CreateAsync(P + "a/x", B("1"));
        await store.CreateAsync(P + "a/y", B("2"));
        await store.CreateAsync(P + "ab/z", B("3"));
        await store.CreateAsync(P + "a", B("4"));
        await using var watch = new WatchReader(store, P + "a/", await store.CurrentRevisionAsync());

        await store.CreateAsync(P + "ab/w", B("5"));
        await store.CreateAsync(P + "a/w", B("6"));

        Assert.Equal(["a/x", "a/y"], Names(await store.ListAsync(P + "a/", new ListOptions(Revision: (await store.GetAsync(P + "a"))!.ModRevision))));
        Assert.Equal(3, await store.CountAsync(P + "a/"));
        Assert.Equal(2, await store.CountAsync(P + "ab/"));
        Assert.Equal(P + "a/w", (await watch.NextAsync()).Current.Key);
    }

    [SkippableFact]
    public async Task WatchAsync_FromOldRevision_ReplaysInOrderThenGoesLive()
    {
        var store = await OpenAsync();
        var start = await store.CreateAsync(P + "a", B("1"));
        var b = await store.CreateAsync(P + "b", B("1"));
        await store.UpdateAsync(P + "a", B("2"), start.Revision);
        await store.DeleteAsync(P + "b", b.Revision);
        await using var watch = new WatchReader(store, P, start.Revision);

        var replayed = await watch.TakeAsync(3);
        var live = await store.CreateAsync(P + "c", B("1"));
        var liveEvent = await watch.NextAsync();

        Assert.Equal([(WatchEventType.Put, "b", "1"), (WatchEventType.Put, "a", "2"), (WatchEventType.Delete, "b", "")], replayed.Select(Describe));
        Assert.True(replayed[0].IsCreate);
        Assert.Equal("1", S(replayed[1].Previous!.Value));
        AssertIncreasing(replayed.Append(liveEvent));
        Assert.Equal(live.Revision, liveEvent.Revision);
        Assert.True(liveEvent.IsCreate);
    }

    [SkippableFact]
    public async Task WatchAsync_ManyWritesWhileWatching_DeliversEveryEventOnce()
    {
        var store = await OpenAsync();
        var start = await store.CurrentRevisionAsync();
        await using var watch = new WatchReader(store, P, start);
        const int count = 200;

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => store.CreateAsync($"{P}k{i:D4}", B("v"))));
        var events = await watch.TakeAsync(count);

        AssertIncreasing(events);
        Assert.Equal(count, events.Select(e => e.Current.Key).Distinct().Count());
    }

    [SkippableFact]
    public async Task WatchAsync_FromListRevisionWhileOthersWrite_StartsAfterWhatTheListShowed()
    {
        // The list-then-watch of every informer: writes race the list, and the watch must begin exactly after the
        // list's revision, neither repeating a change the list already showed nor missing the next one.
        var store = await OpenAsync();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var revision = (await store.CreateAsync($"{P}w{w}", B("0"))).Revision;
            while (!stop.IsCancellationRequested)
            {
                revision = (await store.UpdateAsync($"{P}w{w}", B("v"), revision)).Revision;
            }
        })).ToArray();
        try
        {
            for (var round = 0; round < 50; round++)
            {
                var listed = await store.ListAsync(P, ListOptions.Latest);
                await using var watch = new WatchReader(store, P, listed.Revision);
                var first = await watch.NextAsync();

                Assert.True(first.Revision > listed.Revision, $"the watch from {listed.Revision} began with revision {first.Revision}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
    }

    [SkippableFact]
    public async Task RequestWatchProgressAsync_AfterWritesOutsideThePrefix_WatchMarksTheirRevisionWhereSupported()
    {
        // A follower of one prefix (the API server's cache) must learn that a revision moved only by other keys
        // holds nothing for it, or a consistent read waiting for that revision would wait forever. A store that
        // cannot promise the mark's order says so, and sends none.
        var store = await OpenAsync();
        var before = await store.CreateAsync(P + "in/a", B("1"));
        await using var watch = new WatchReader(store, P + "in/", before.Revision - 1);
        Assert.Equal(before.Revision, (await watch.NextAsync()).Revision);
        var outside = await store.CreateAsync(P + "out/b", B("1"));

        var supported = await store.RequestWatchProgressAsync();
        var mark = supported ? await watch.NextAsync() : null;
        var quiet = supported || await watch.IsQuietAsync(TimeSpan.FromMilliseconds(500));
        var inside = await store.UpdateAsync(P + "in/a", B("2"), before.Revision);
        var next = await watch.NextAsync();

        Assert.Equal(await ReportsWatchProgressAsync(), supported);
        Assert.True(quiet, "a store that cannot mark progress sent something anyway");
        if (mark is not null)
        {
            Assert.Equal(WatchEventType.Progress, mark.Type);
            Assert.True(mark.Revision >= outside.Revision, $"progress at {mark.Revision}, before the write at {outside.Revision} outside the prefix");
        }

        Assert.Equal((WatchEventType.Put, inside.Revision), (next.Type, next.Revision));
    }

    [SkippableFact]
    public async Task WatchAsync_Delete_CarriesPreviousValue()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("last words"));
        await using var watch = new WatchReader(store, P, created.Revision);

        var deleted = await store.DeleteAsync(P + "a", created.Revision);
        var change = await watch.NextAsync();

        Assert.Equal(WatchEventType.Delete, change.Type);
        Assert.Equal(P + "a", change.Current.Key);
        Assert.Equal(deleted.Revision, change.Revision);
        Assert.Equal("last words", S(change.Previous!.Value));
        Assert.Equal(created.Revision, change.Previous.ModRevision);
    }

    [SkippableFact]
    public async Task WatchAsync_AfterRestart_ReplaysHistoryAndContinuesRevisions()
    {
        Skip.IfNot(IsDurable, "this backend keeps nothing across a restart");
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("1"));
        var updated = await store.UpdateAsync(P + "a", B("2"), created.Revision);

        store = await RestartAsync(store);
        await using var watch = new WatchReader(store, P, created.Revision);
        var replayed = await watch.NextAsync();
        var next = await store.UpdateAsync(P + "a", B("3"), updated.Revision);
        var live = await watch.NextAsync();

        Assert.Equal(updated.Revision, replayed.Revision);
        Assert.Equal("1", S(replayed.Previous!.Value));
        Assert.True(next.Succeeded);
        Assert.True(next.Revision > updated.Revision);
        Assert.Equal(next.Revision, live.Revision);
        Assert.Equal("3", S((await store.GetAsync(P + "a"))!.Value));
    }

    [SkippableFact]
    public async Task CompactAsync_ReadsBeforeTheRevision_ThrowCompacted()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("1"));
        var updated = await store.UpdateAsync(P + "a", B("2"), created.Revision);
        var other = await store.CreateAsync(P + "b", B("1"));
        await store.DeleteAsync(P + "b", other.Revision);
        var last = await store.UpdateAsync(P + "a", B("3"), updated.Revision);

        await store.CompactAsync(last.Revision);

        var listError = await Assert.ThrowsAsync<CompactedException>(() => store.ListAsync(P, new ListOptions(Revision: created.Revision)));
        Assert.Equal(last.Revision, listError.CompactedRevision);
        Assert.Equal(last.Revision, await store.CompactedRevisionAsync());
        await using (var old = new WatchReader(store, P, created.Revision))
        {
            var watchError = await Assert.ThrowsAsync<CompactedException>(old.NextAsync);
            Assert.Equal(last.Revision, watchError.CompactedRevision);
        }

        Assert.Equal(["3"], Values(await store.ListAsync(P, new ListOptions(Revision: last.Revision))));
        Assert.Equal(["3"], Values(await store.ListAsync(P, ListOptions.Latest)));
        await using var fromCompaction = new WatchReader(store, P, last.Revision);
        var after = await store.UpdateAsync(P + "a", B("4"), last.Revision);
        var kept = await fromCompaction.NextAsync();
        Assert.Equal(after.Revision, kept.Revision);
        Assert.Equal("3", S(kept.Previous!.Value));
    }

    [SkippableFact]
    public async Task CreateAsync_LargeValue_RoundTripsThroughGetListAndWatch()
    {
        var store = await OpenAsync();
        var value = new byte[1536 * 1024];
        new Random(42).NextBytes(value);
        var start = await store.CurrentRevisionAsync();
        await using var watch = new WatchReader(store, P, start);

        var created = await store.CreateAsync(P + "big", value);
        var changed = (byte[])value.Clone();
        changed[^1] ^= 0xFF;
        var updated = await store.UpdateAsync(P + "big", changed, created.Revision);

        Assert.True(created.Succeeded);
        Assert.True(updated.Succeeded);
        Assert.Equal(changed, (await store.GetAsync(P + "big"))!.Value);
        Assert.Equal(changed, (await store.ListAsync(P, ListOptions.Latest)).Items.Single().Value);
        Assert.Equal(value, (await watch.NextAsync()).Current.Value);
        Assert.Equal(value, (await watch.NextAsync()).Previous!.Value);
    }

    [SkippableFact]
    public async Task DisposeAsync_WhileWatching_EndsTheWatch()
    {
        var store = await OpenAsync();
        var created = await store.CreateAsync(P + "a", B("1"));
        var watch = store.WatchAsync(P, created.Revision).GetAsyncEnumerator();
        var pending = watch.MoveNextAsync().AsTask();

        await store.DisposeAsync();

        Assert.False(await pending.WaitAsync(TimeSpan.FromSeconds(10)));
        await watch.DisposeAsync();
    }

    /// <summary>Opens the backend under test (or skips with <see cref="SkipReason"/>); it is disposed after the test.</summary>
    protected async Task<IStorageBackend> OpenAsync()
    {
        Skip.If(SkipReason is not null, SkipReason);
        var store = await CreateBackendAsync();
        _opened.Add(store);
        return store;
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    /// <summary>Disposes <paramref name="store"/>, restarts what lies beneath it, and opens it again.</summary>
    protected virtual async Task<IStorageBackend> RestartAsync(IStorageBackend store)
    {
        await store.DisposeAsync();
        _opened.Remove(store);
        return await OpenAsync();
    }

    protected static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    protected static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static void AssertIncreasing(IEnumerable<WatchEvent> events)
    {
        var revisions = events.Select(e => e.Revision).ToList();
        Assert.Equal(revisions.Order().Distinct(), revisions);
    }

    private List<string> Names(ListResult result) => [.. result.Items.Select(item => item.Key[P.Length..])];

    private static List<string> Values(ListResult result) => [.. result.Items.Select(item => S(item.Value))];

    private (WatchEventType, string, string) Describe(WatchEvent e) => (e.Type, e.Current.Key[P.Length..], S(e.Current.Value));
}
