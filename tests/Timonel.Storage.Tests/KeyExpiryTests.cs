using System.Text;
using Microsoft.Extensions.Time.Testing;
using Timonel.Storage.Memory;

namespace Timonel.Storage.Tests;

public sealed class KeyExpiryTests
{
    private const string Events = "/registry/events/";
    private static readonly TimeSpan _ttl = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(_start);

    [Fact]
    public async Task SweepOnceAsync_KeyUnwrittenForTheTtl_DeletedAndWatchersSeeItDeleted()
    {
        await using var store = new MemoryStorageBackend();
        await using var expiry = new KeyExpiry(store, Events, _ttl, _time);
        expiry.Start();
        await expiry.Synced;
        var created = await store.CreateAsync($"{Events}ns/a.1", Value("a"));
        await UntilAsync(() => expiry.ExpiresAt($"{Events}ns/a.1") is not null);
        await using var watch = new WatchReader(store, Events, created.Revision);

        _time.Advance(_ttl - TimeSpan.FromMilliseconds(1));
        await expiry.SweepOnceAsync();
        var before = await store.GetAsync($"{Events}ns/a.1");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await expiry.SweepOnceAsync();

        Assert.NotNull(before);
        Assert.Null(await store.GetAsync($"{Events}ns/a.1"));
        var deleted = await watch.NextAsync();
        Assert.Equal((WatchEventType.Delete, $"{Events}ns/a.1"), (deleted.Type, deleted.Current.Key));
    }

    [Fact]
    public async Task SweepOnceAsync_KeyWrittenAgain_TtlCountsFromTheLastWrite()
    {
        await using var store = new MemoryStorageBackend();
        await using var expiry = new KeyExpiry(store, Events, _ttl, _time);
        expiry.Start();
        await expiry.Synced;
        var created = await store.CreateAsync($"{Events}ns/a.1", Value("count 1"));
        await UntilAsync(() => expiry.ExpiresAt($"{Events}ns/a.1") == _start + _ttl);

        _time.Advance(TimeSpan.FromMinutes(30));
        await store.UpdateAsync($"{Events}ns/a.1", Value("count 2"), created.Revision);
        await UntilAsync(() => expiry.ExpiresAt($"{Events}ns/a.1") == _start + TimeSpan.FromMinutes(30) + _ttl);
        _time.Advance(TimeSpan.FromMinutes(30));
        await expiry.SweepOnceAsync();
        var atFirstDue = await store.GetAsync($"{Events}ns/a.1");
        _time.Advance(TimeSpan.FromMinutes(30));
        await expiry.SweepOnceAsync();

        Assert.Equal("count 2", Encoding.UTF8.GetString(atFirstDue!.Value));
        Assert.Null(await store.GetAsync($"{Events}ns/a.1"));
    }

    [Fact]
    public async Task Start_KeysAlreadyThere_GivenAFullTtlFromStart()
    {
        await using var store = new MemoryStorageBackend();
        for (var i = 0; i < 1200; i++)
        {
            await store.CreateAsync($"{Events}ns/e{i:D4}", Value("old"));
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        await using var expiry = new KeyExpiry(store, Events, _ttl, _time);
        expiry.Start();
        await expiry.Synced;

        Assert.Equal(1200, expiry.Count);
        Assert.Equal(_time.GetUtcNow() + _ttl, expiry.ExpiresAt($"{Events}ns/e1199"));
    }

    [Fact]
    public async Task SweepOnceAsync_KeysOutsideThePrefix_Kept()
    {
        await using var store = new MemoryStorageBackend();
        await store.CreateAsync("/registry/pods/ns/web", Value("pod"));
        await using var expiry = new KeyExpiry(store, Events, _ttl, _time);
        expiry.Start();
        await expiry.Synced;

        _time.Advance(_ttl * 2);
        await expiry.SweepOnceAsync();

        Assert.NotNull(await store.GetAsync("/registry/pods/ns/web"));
        Assert.Equal(0, expiry.Count);
    }

    private static byte[] Value(string text) => Encoding.UTF8.GetBytes(text);

    // The expiry learns of writes through its watch, which runs on its own: wait (the test's timeout bounds it).
    private static async Task UntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(5);
        }
    }
}
