using System.Diagnostics;
using System.Globalization;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// Sustained churn: clients paced to a write rate cycle their own ConfigMaps through create, get, update, list,
/// update, delete (four writes in six calls) over many namespaces, each namespace watched by one watch, on top of a
/// base of objects nobody touches. Samples the server's RSS and the SQLite files' size throughout; at the end checks
/// that every watch got every write of its namespace once and in order.
/// </summary>
internal sealed class SoakScenario(string backend, BenchOptions options, ClusterCredentials credentials, ServerProcess server, CpuMeter cpu)
{
    private const int SlotsPerClient = 4;
    private const int CallsPerCycle = 6;
    private const int WritesPerCycle = 4;
    private static readonly TimeSpan _sampleEvery = TimeSpan.FromSeconds(5);
    private static readonly string[] _verbs = ["create", "get", "update", "list", "update", "delete"];

    /// <summary>Names of the objects the clients cycle; the watches count only these.</summary>
    public static ReadOnlySpan<byte> ObjectPrefix => "soak-"u8;

    public async Task<SoakResult> RunAsync()
    {
        var clients = ConfigMapClient.Create(options.SoakClients, ConnectionMode.Own, credentials, server.BaseAddress, options.Http2, options.ValueSize);
        try
        {
            var namespaces = Enumerable.Range(0, options.SoakWatches).Select(i => $"soak-{i:D3}").ToArray();
            var startRevision = await PopulateAsync(clients, namespaces);
            var watches = namespaces.Select(ns => new SoakWatch(ns)).ToArray();
            using var watchHttp = new HttpClient(credentials.CreateHandler()) { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            using var stop = new CancellationTokenSource();
            var readers = await OpenWatchesAsync(watchHttp, clients[0].Version, watches, startRevision, stop.Token);

            var clock = Stopwatch.StartNew();
            var measuredFrom = Stopwatch.GetTimestamp() + (long)(options.SoakWarmUp.TotalSeconds * Stopwatch.Frequency);
            var samples = new List<SoakSample>();
            using var sampling = new CancellationTokenSource();
            var sampler = SampleAsync(samples, clock, sampling.Token);
            var latencies = _verbs.Distinct().ToDictionary(verb => verb, _ => new List<double>());
            var errors = 0L;
            string? firstError = null;
            cpu.Start();
            await Task.WhenAll(clients.Select((client, index) => Task.Run(() => RunClientAsync(client, index, watches, clock, measuredFrom, latencies, error =>
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, error, null);
            }))));
            var used = cpu.Stop();
            await sampling.CancelAsync();
            await sampler;
            samples.Add(Sample(clock.Elapsed));

            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(15) && !watches.All(w => w.CaughtUp()))
            {
                await Task.Delay(100);
            }

            await stop.CancelAsync();
            await Task.WhenAll(readers);
            return Summarise(watches, latencies, measuredFrom, samples, errors, firstError, used);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    // The namespaces and the untouched base objects, created by all clients at once; returns the last revision.
    private async Task<long> PopulateAsync(ConfigMapClient[] clients, string[] namespaces)
    {
        await clients[0].CreateNamespaceAsync(namespaces[0]);
        await Parallel.ForEachAsync(namespaces.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = clients.Length }, async (ns, _) => await clients[0].CreateNamespaceAsync(ns));
        var last = 0L;
        var next = -1;
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.SoakBaseObjects)
            {
                var revision = await client.CreateAsync(namespaces[i % namespaces.Length], $"base-{i}");
                InterlockedMax(ref last, revision);
            }
        })));
        return Math.Max(last, await clients[0].CreateAsync(namespaces[0], "base-last"));
    }

    private static async Task<Task[]> OpenWatchesAsync(HttpClient http, Version version, SoakWatch[] watches, long fromRevision, CancellationToken stop)
    {
        var pending = watches.Length;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Settled()
        {
            if (Interlocked.Decrement(ref pending) == 0)
            {
                allOpen.TrySetResult();
            }
        }

        var readers = watches.Select(watch => Task.Run(async () =>
        {
            var path = $"/api/v1/namespaces/{watch.Namespace}/configmaps?watch=true&resourceVersion={fromRevision.ToString(CultureInfo.InvariantCulture)}";
            var open = false;
            try
            {
                await WatchLines.ReadAsync(http, version, path, () =>
                {
                    open = true;
                    Settled();
                }, watch.OnLine, stop);
                watch.Failure ??= "the watch ended before the soak did";
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                watch.Failure ??= ex.Message;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                if (!open)
                {
                    Settled();
                }
            }
        })).ToArray();
        await allOpen.Task.WaitAsync(TimeSpan.FromSeconds(60), stop);
        return readers;
    }

    // Open loop: the client's calls fall due at a fixed interval; a call that starts late because the previous one
    // overran counts that lateness as the server's.
    private async Task RunClientAsync(ConfigMapClient client, int index, SoakWatch[] watches, Stopwatch clock, long measuredFrom, Dictionary<string, List<double>> latencies, Action<string> failed)
    {
        var callsPerSecond = options.SoakWritesPerSecond * CallsPerCycle / WritesPerCycle;
        var interval = TimeSpan.FromSeconds(options.SoakClients / callsPerSecond);
        var due = interval * index / options.SoakClients;
        var revisions = new long[SlotsPerClient];
        for (var call = 0L; clock.Elapsed < options.SoakDuration; call++)
        {
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var late = wait < TimeSpan.Zero ? -wait : TimeSpan.Zero;
            due += interval;
            var slot = (int)(call / CallsPerCycle % SlotsPerClient);
            var watch = watches[((index * SlotsPerClient) + slot) % watches.Length];
            var name = $"soak-c{index}-{slot}";
            var verb = _verbs[call % CallsPerCycle];
            var sent = Stopwatch.GetTimestamp();
            try
            {
                switch (call % CallsPerCycle)
                {
                    case 0:
                        revisions[slot] = await client.CreateAsync(watch.Namespace, name);
                        watch.Wrote(revisions[slot], sent);
                        break;
                    case 1:
                        await client.GetAsync(watch.Namespace, name);
                        break;
                    case 2 or 4:
                        revisions[slot] = await client.UpdateAsync(watch.Namespace, name, revisions[slot], call);
                        watch.Wrote(revisions[slot], sent);
                        break;
                    case 3:
                        await client.ListAsync(watch.Namespace);
                        break;
                    default:
                        await client.DeleteAsync(watch.Namespace, name);
                        watch.Deleted();
                        break;
                }

                if (sent >= measuredFrom)
                {
                    var list = latencies[verb];
                    lock (list)
                    {
                        list.Add((Stopwatch.GetElapsedTime(sent) + late).TotalMilliseconds);
                    }
                }
            }
            catch (Exception ex)
            {
                failed($"{verb}: {ex.Message}");
            }
        }
    }

    private async Task SampleAsync(List<SoakSample> samples, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_sampleEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var sample = Sample(clock.Elapsed);
                samples.Add(sample);
                if (samples.Count % 6 == 0)
                {
                    Console.Error.WriteLine($"  {sample.At.TotalSeconds:F0} s: RSS {sample.RssMiB:F0} MiB, SQLite {sample.DatabaseMiB:F1} MiB");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private SoakSample Sample(TimeSpan at)
    {
        var database = Path.Combine(server.DataDir, "db", "state.db");
        var bytes = new[] { database, database + "-wal" }.Where(File.Exists).Sum(file => new FileInfo(file).Length);
        return new SoakSample(at, server.ResidentMiB(), bytes / (1024.0 * 1024.0));
    }

    private SoakResult Summarise(SoakWatch[] watches, Dictionary<string, List<double>> latencies, long measuredFrom, List<SoakSample> samples, long errors, string? firstError, CpuUse used)
    {
        var delays = new List<double>();
        var problems = watches.Select(watch => watch.Check(measuredFrom, delays)).Where(problem => problem is not null).ToList();
        delays.Sort();
        var verbs = latencies.Select(pair =>
        {
            var sorted = pair.Value.Order().ToList();
            return (pair.Key, sorted.Count, Percentiles.Of(sorted, 0.50), Percentiles.Of(sorted, 0.99), sorted.Count > 0 ? sorted[^1] : double.NaN);
        }).ToList();
        var afterWarmUp = samples.FirstOrDefault(sample => sample.At >= options.SoakWarmUp) ?? samples[0];
        return new SoakResult(
            backend, options.SoakDuration, options.SoakWritesPerSecond, verbs, errors, firstError,
            Percentiles.Of(delays, 0.50), Percentiles.Of(delays, 0.99), watches.Length, watches.Length - problems.Count, problems.FirstOrDefault(),
            afterWarmUp.RssMiB, samples[^1].RssMiB, samples.Max(sample => sample.RssMiB), samples, used);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
