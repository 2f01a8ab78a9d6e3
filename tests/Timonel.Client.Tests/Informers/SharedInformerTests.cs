using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Client.Informers;
using static Timonel.Client.Tests.Informers.ScriptedListWatch;

namespace Timonel.Client.Tests.Informers;

public sealed class SharedInformerTests : IAsyncLifetime, IDisposable
{
    private readonly ScriptedListWatch _api = new();
    private readonly ConcurrentQueue<string> _seen = new();
    private readonly SemaphoreSlim _events = new(0);
    private SharedInformer<V1ConfigMap> _informer = null!;

    public Task InitializeAsync()
    {
        _informer = new SharedInformer<V1ConfigMap>(_api.Source, NullLogger.Instance, TimeProvider.System);
        _informer.AddHandlers(new(
            OnAdd: c => Saw($"add {c.Metadata.Name}@{c.Metadata.ResourceVersion}"),
            OnUpdate: (old, c) => Saw($"update {c.Metadata.Name}@{old.Metadata.ResourceVersion}->{c.Metadata.ResourceVersion}"),
            OnDelete: c => Saw($"delete {c.Metadata.Name}")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _informer.DisposeAsync();

    public void Dispose() => _events.Dispose();

    [Fact]
    public async Task Start_ListThenWatchEvents_CacheAndHandlersFollowTheServer()
    {
        _api.QueueList("5", ConfigMap("a", "1"), ConfigMap("b", "2"));

        _informer.Start();
        await _informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        var watch = await _api.NextWatchAsync();
        await watch.WriteAsync(new(WatchEventType.Modified, ConfigMap("a", "6", "changed")));
        await watch.WriteAsync(new(WatchEventType.Deleted, ConfigMap("b", "7")));
        await watch.WriteAsync(new(WatchEventType.Added, ConfigMap("c", "8")));
        await SeenAsync(5);

        Assert.Equal(["5"], _api.WatchedFrom);
        Assert.Equal(["add a@1", "add b@2", "update a@1->6", "delete b", "add c@8"], [.. _seen]);
        Assert.Equal("changed", _informer.Cache.Get("default", "a")!.Data["k"]);
        Assert.Null(_informer.Cache.Get("default", "b"));
        Assert.Equal(["a", "c"], _informer.Cache.List("default").Select(c => c.Metadata.Name).Order());
    }

    [Fact]
    public async Task WatchEnds_ResumesFromTheLastVersionSeenWithoutListingAgain()
    {
        _api.QueueList("5", ConfigMap("a", "1"));
        _informer.Start();
        var first = await _api.NextWatchAsync();

        await first.WriteAsync(new(WatchEventType.Added, ConfigMap("b", "9")));
        // A bookmark moves the resourceVersion on without an object change.
        await first.WriteAsync(new(WatchEventType.Bookmark, new V1ConfigMap { Metadata = new V1ObjectMeta { ResourceVersion = "12" } }));
        first.Complete();
        await _api.NextWatchAsync();

        Assert.Equal(["5", "12"], _api.WatchedFrom);
        Assert.Equal(1, _api.ListCount);
        Assert.Equal(2, _informer.Cache.Count);
    }

    [Fact]
    public async Task WatchFailsMidway_ResumesAfterTheLastEventItDelivered()
    {
        _api.QueueList("5", ConfigMap("a", "1"));
        _informer.Start();
        var first = await _api.NextWatchAsync();

        await first.WriteAsync(new(WatchEventType.Modified, ConfigMap("a", "7")));
        await first.WriteAsync(Step.ConnectionLost());
        await _api.NextWatchAsync();

        Assert.Equal(["5", "7"], _api.WatchedFrom);
        Assert.Equal(1, _api.ListCount);
    }

    [Fact]
    public async Task WatchGone_ListsAgainAndReportsWhatChangedMeanwhile()
    {
        _api.QueueList("5", ConfigMap("a", "1"), ConfigMap("b", "2"));
        _api.QueueList("20", ConfigMap("b", "15"), ConfigMap("c", "16"));
        _informer.Start();
        var first = await _api.NextWatchAsync();
        await SeenAsync(2);

        // 410 Gone: the watch's resourceVersion was compacted away; events may have been missed.
        await first.WriteAsync(Step.Gone());
        first.Complete();
        await _api.NextWatchAsync();
        await SeenAsync(5);

        Assert.Equal(2, _api.ListCount);
        Assert.Equal(["5", "20"], _api.WatchedFrom);
        Assert.Equal(["add a@1", "add b@2", "delete a", "update b@2->15", "add c@16"], [.. _seen]);
        Assert.Equal(["b", "c"], _informer.Cache.List().Select(c => c.Metadata.Name).Order());
    }

    [Fact]
    public async Task AddHandlers_AfterSync_ReportsCachedObjectsAsAdded()
    {
        _api.QueueList("5", ConfigMap("a", "1"));
        _informer.Start();
        await _informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        var late = new List<string>();

        _informer.AddHandlers(new(OnAdd: c => late.Add(c.Metadata.Name)));

        Assert.Equal(["a"], late);
    }

    [Fact]
    public async Task AddIndexer_BeforeStart_ListedAndWatchedObjectsFoundByIndex()
    {
        _informer.AddIndexer("data.k", c => [c.Data["k"]]);
        _api.QueueList("5", ConfigMap("a", "1", "x"), ConfigMap("b", "2", "y"));

        _informer.Start();
        var watch = await _api.NextWatchAsync();
        await watch.WriteAsync(new(WatchEventType.Added, ConfigMap("c", "6", "x")));
        await SeenAsync(3);

        Assert.Equal(["a", "c"], _informer.Cache.ByIndex("data.k", "x").Select(c => c.Metadata.Name).Order());
    }

    private void Saw(string what)
    {
        _seen.Enqueue(what);
        _events.Release();
    }

    private async Task SeenAsync(int count)
    {
        while (_seen.Count < count)
        {
            Assert.True(await _events.WaitAsync(TimeSpan.FromSeconds(10)), $"saw only {string.Join(", ", _seen)}");
        }
    }
}
