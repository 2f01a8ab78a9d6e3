namespace Timonel.Bench.ApiServer;

/// <summary>
/// Create, get, list and update throughput against one running server, each at every client count. Every client
/// has its own HttpClient (its own connection), as separate controllers or kubectl processes would.
/// Creates go to namespace "bench"; gets read objects created earlier; lists read a namespace of 10 objects;
/// each client updates its own object, guarded by the resourceVersion its previous write returned.
/// </summary>
internal sealed class CrudScenario
{
    private const string Namespace = "bench";
    private const string SmallNamespace = "bench-small";
    private const int SmallNamespaceSize = 10;
    private readonly string _backend;
    private readonly BenchOptions _options;
    private readonly ConfigMapClient[] _clients;
    private readonly List<string> _created = [];
    private readonly CpuMeter _cpu;
    private readonly ConnectionMode _connections;
    private readonly EtcdPutScenario? _reference;

    /// <param name="reference">Raw etcd Puts to run right before each create cell (null: no etcd in this run).</param>
    public CrudScenario(string backend, BenchOptions options, ClusterCredentials credentials, Uri server, CpuMeter cpu, ConnectionMode connections, EtcdPutScenario? reference)
    {
        _reference = reference;
        _cpu = cpu;
        _backend = backend;
        _options = options;
        _connections = connections;
        _clients = ConfigMapClient.Create(options.Clients.Max(), connections, credentials, server, options.Http2, options.ValueSize);
    }

    public async Task<List<CellResult>> RunAsync()
    {
        try
        {
            return [.. (await MeasureAsync()).Select(cell => cell with { Connections = _connections })];
        }
        finally
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task<List<CellResult>> MeasureAsync()
    {
        var first = _clients[0];
        await first.CreateNamespaceAsync(Namespace);
        await first.CreateNamespaceAsync(SmallNamespace);
        for (var i = 0; i < SmallNamespaceSize; i++)
        {
            await first.CreateAsync(SmallNamespace, $"small-{i}");
        }

        var owned = new long[_clients.Length];
        for (var i = 0; i < _clients.Length; i++)
        {
            owned[i] = await first.CreateAsync(Namespace, $"updated-by-{i}");
        }

        // Warm-up, not recorded: opens every client's connection and runs every operation long enough for the
        // server's tiered JIT to settle, so the cells measure a long-running server, as etcd (compiled ahead of
        // time) is measured. With a 1 s warm-up the first create cells ran while the JIT still took 15-20 % of
        // the server's CPU.
        var warmUp = _options.WarmUp;
        var generation = 0L;
        var clients = _clients.Length;
        var warmNames = new List<string>[clients];
        await LoadRunner.RunAsync(_backend, "warm-up", clients, warmUp, _cpu, async (c, n) =>
        {
            var name = $"warm-{c}-{n}";
            await _clients[c].CreateAsync(Namespace, name);
            (warmNames[c] ??= []).Add(name);
        });
        _created.AddRange(warmNames.Where(list => list is not null).SelectMany(list => list));
        await LoadRunner.RunAsync(_backend, "warm-up", clients, warmUp, _cpu, GetCreated);
        await LoadRunner.RunAsync(_backend, "warm-up", clients, warmUp, _cpu, (c, _) => _clients[c].ListAsync(SmallNamespace));
        await LoadRunner.RunAsync(_backend, "warm-up", clients, warmUp, _cpu, async (c, _) =>
            owned[c] = await _clients[c].UpdateAsync(Namespace, $"updated-by-{c}", owned[c], Interlocked.Increment(ref generation)));

        var results = new List<CellResult>();
        if (_reference is not null)
        {
            await _reference.WarmUpAsync();
        }

        var round = 0;
        foreach (var count in _options.Clients)
        {
            var cell = round++;
            if (_reference is not null)
            {
                // Side by side: the reference runs just before the cell it is compared with, on the same machine state.
                results.Add(await _reference.RunAsync(count));
            }

            var names = new List<string>[count];
            results.Add(await LoadRunner.RunAsync(_backend, "create", count, _options.CellDuration, _cpu, async (c, n) =>
            {
                var name = $"c{cell}-{c}-{n}";
                await _clients[c].CreateAsync(Namespace, name);
                (names[c] ??= []).Add(name);
            }));
            _created.AddRange(names.Where(list => list is not null).SelectMany(list => list));
        }

        foreach (var count in _options.Clients)
        {
            results.Add(await LoadRunner.RunAsync(_backend, "get", count, _options.CellDuration, _cpu, GetCreated));
        }

        if (_options.PacedGetsPerSecond > 0)
        {
            var most = _options.Clients.Max();
            results.Add(await LoadRunner.RunPacedAsync(_backend, $"get, paced at {_options.PacedGetsPerSecond:N0}/s", most, _options.CellDuration, _cpu, _options.PacedGetsPerSecond, GetCreated));
        }

        foreach (var count in _options.Clients)
        {
            results.Add(await LoadRunner.RunAsync(_backend, $"list ({SmallNamespaceSize} objects)", count, _options.CellDuration, _cpu, (c, _) => _clients[c].ListAsync(SmallNamespace)));
        }

        foreach (var count in _options.Clients)
        {
            results.Add(await LoadRunner.RunAsync(_backend, "update", count, _options.CellDuration, _cpu, async (c, _) =>
                owned[c] = await _clients[c].UpdateAsync(Namespace, $"updated-by-{c}", owned[c], Interlocked.Increment(ref generation))));
        }

        return results;
    }

    // Each client reads objects created earlier, spread over all of them by two primes.
    private Task GetCreated(int client, long call) =>
        _clients[client].GetAsync(Namespace, _created[(int)((client * 7919L + call * 104729L) % _created.Count)]);
}
