using System.Diagnostics;
using System.Globalization;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// N concurrent watches of ConfigMaps in one namespace, all on one HTTP handler (HTTP/2, several connections
/// once one has 100 streams), then one writer updating an object at a fixed modest rate. Each watcher notes when
/// it read each event; the writer notes when each PUT was sent and answered.
/// </summary>
internal sealed class WatchScenario
{
    private const string Namespace = "bench-watch";
    private const string Name = "watched";
    private readonly string _backend;
    private readonly BenchOptions _options;
    private readonly ClusterCredentials _credentials;
    private readonly ServerProcess _server;
    private readonly CpuMeter _cpu;

    public WatchScenario(string backend, BenchOptions options, ClusterCredentials credentials, ServerProcess server, CpuMeter cpu)
    {
        _cpu = cpu;
        _backend = backend;
        _options = options;
        _credentials = credentials;
        _server = server;
    }

    public async Task<WatchResult> RunAsync()
    {
        using var writer = new ConfigMapClient(_credentials, _server.BaseAddress, _options.Http2, _options.ValueSize);
        await writer.CreateNamespaceAsync(Namespace);
        var resourceVersion = await writer.CreateAsync(Namespace, Name);

        using var watchHttp = new HttpClient(_credentials.CreateHandler()) { BaseAddress = _server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var received = new List<(long Revision, long At)>[_options.Watchers];
        string? firstError = null;
        var opening = Stopwatch.StartNew();
        var pending = _options.Watchers;
        var allOpened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Settled()
        {
            if (Interlocked.Decrement(ref pending) == 0)
            {
                allOpened.TrySetResult();
            }
        }

        var path = $"/api/v1/namespaces/{Namespace}/configmaps?watch=true&resourceVersion={resourceVersion.ToString(CultureInfo.InvariantCulture)}";
        var readers = Enumerable.Range(0, _options.Watchers).Select(i => Task.Run(async () =>
        {
            var mine = received[i] = new List<(long, long)>(1024);
            var isOpen = false;
            try
            {
                await ReadWatchAsync(watchHttp, writer.Version, path, mine, () =>
                {
                    isOpen = true;
                    Settled();
                }, stop.Token);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref firstError, ex.Message, null);
                if (!isOpen)
                {
                    Settled();
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
        })).ToArray();
        await allOpened.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var openTime = opening.Elapsed;
        // Let the server subscribe the last watchers to its cache (that follows the response headers).
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The same paced updates first for the warm-up time, not recorded (only revisions in `sent` count), so the
        // figures are those of a running server rather than of one still compiling its hot paths, as in the CRUD cells.
        var warmUpdates = (int)(_options.WatchUpdatesPerSecond * _options.WarmUp.TotalSeconds);
        resourceVersion = await UpdatePacedAsync(writer, resourceVersion, 0, warmUpdates, null);
        await WaitDeliveredAsync(received, resourceVersion, TimeSpan.FromSeconds(10));

        var updates = (int)(_options.WatchUpdatesPerSecond * _options.WatchDuration.TotalSeconds);
        var sent = new Dictionary<long, (long Sent, long Acked)>(updates);
        _cpu.Start();
        resourceVersion = await UpdatePacedAsync(writer, resourceVersion, warmUpdates, updates, sent);
        await WaitDeliveredAsync(received, resourceVersion, TimeSpan.FromSeconds(10));
        var used = _cpu.Stop();
        var rss = _server.ResidentMiB();
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        return Summarise(received, sent, openTime, updates, rss, used, firstError);
    }

    private async Task<long> UpdatePacedAsync(ConfigMapClient writer, long resourceVersion, int firstValue, int updates, Dictionary<long, (long Sent, long Acked)>? sent)
    {
        var interval = TimeSpan.FromSeconds(1 / _options.WatchUpdatesPerSecond);
        var pace = Stopwatch.StartNew();
        for (var n = 0; n < updates; n++)
        {
            var due = interval * n - pace.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var before = Stopwatch.GetTimestamp();
            resourceVersion = await writer.UpdateAsync(Namespace, Name, resourceVersion, firstValue + n + 1);
            sent?.Add(resourceVersion, (before, Stopwatch.GetTimestamp()));
        }

        return resourceVersion;
    }

    private static Task ReadWatchAsync(HttpClient http, Version version, string path, List<(long, long)> received, Action onOpen, CancellationToken cancellationToken) =>
        WatchLines.ReadAsync(http, version, path, onOpen, (line, at) =>
        {
            lock (received)
            {
                received.Add((ResourceVersions.Find(line), at));
            }
        }, cancellationToken);

    private static async Task WaitDeliveredAsync(List<(long Revision, long At)>[] received, long last, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !received.All(list => HasSeen(list, last)))
        {
            await Task.Delay(50);
        }
    }

    private static bool HasSeen(List<(long Revision, long At)> list, long revision)
    {
        lock (list)
        {
            return list.Count > 0 && list[^1].Revision >= revision;
        }
    }

    private WatchResult Summarise(List<(long Revision, long At)>[] received, Dictionary<long, (long Sent, long Acked)> sent, TimeSpan openTime, int updates, double rss, CpuUse used, string? firstError)
    {
        var fromAck = new List<double>(updates * received.Length);
        var fromSend = new List<double>(updates * received.Length);
        foreach (var list in received)
        {
            lock (list)
            {
                foreach (var (revision, at) in list)
                {
                    if (sent.TryGetValue(revision, out var write))
                    {
                        // An event read before the writer had its answer counts as no delay.
                        fromAck.Add(Math.Max(0, Stopwatch.GetElapsedTime(write.Acked, at).TotalMilliseconds));
                        fromSend.Add(Stopwatch.GetElapsedTime(write.Sent, at).TotalMilliseconds);
                    }
                }
            }
        }

        fromAck.Sort();
        fromSend.Sort();
        var writes = sent.Values.Select(w => Stopwatch.GetElapsedTime(w.Sent, w.Acked).TotalMilliseconds).Order().ToList();
        return new WatchResult(
            _backend, received.Length, openTime, updates, _options.WatchUpdatesPerSecond, fromAck.Count, (long)updates * received.Length,
            Percentiles.Of(fromAck, 0.50), Percentiles.Of(fromAck, 0.99), fromAck.Count > 0 ? fromAck[^1] : double.NaN,
            Percentiles.Of(fromSend, 0.50), Percentiles.Of(fromSend, 0.99), Percentiles.Of(writes, 0.50), rss, used, firstError);
    }
}
