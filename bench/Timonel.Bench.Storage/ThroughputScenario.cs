using Timonel.Storage;

namespace Timonel.Bench.Storage;

/// <summary>
/// Create, get, list and update throughput of one backend at each client count. Gets read a population of 1,000
/// keys at random, lists read a 100-key prefix whole, and every update is a guarded write that succeeds (each
/// client updates its own keys with the revision it last wrote).
/// </summary>
internal sealed class ThroughputScenario(string name, IStorageBackend store, BenchOptions options)
{
    private const int Population = 1000;
    private const int ListSize = 100;
    private readonly byte[] _value = new byte[options.ValueSize];

    public async Task<List<PhaseResult>> RunAsync()
    {
        await FillAsync("/bench/pop/", Population);
        await FillAsync("/bench/list/", ListSize);
        var results = new List<PhaseResult>();
        foreach (var clients in options.Clients)
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            results.Add(await LoadRunner.RunAsync(name, "create", clients, options.PhaseDuration, (client, i) =>
                Expect(store.CreateAsync($"/bench/create/{run}/{client}/{i}", _value))));
            results.Add(await LoadRunner.RunAsync(name, "get", clients, options.PhaseDuration, async (_, _) =>
            {
                if (await store.GetAsync(PopulationKey(Random.Shared.Next(Population))) is null)
                {
                    throw new InvalidOperationException("a populated key is missing");
                }
            }));
            results.Add(await LoadRunner.RunAsync(name, $"list {ListSize}", clients, options.PhaseDuration, async (_, _) =>
            {
                if ((await store.ListAsync("/bench/list/", ListOptions.Latest)).Items.Count != ListSize)
                {
                    throw new InvalidOperationException("the list came back short");
                }
            }));
            var revisions = (await store.ListAsync("/bench/pop/", ListOptions.Latest)).Items.Select(item => item.ModRevision).ToArray();
            results.Add(await LoadRunner.RunAsync(name, "update", clients, options.PhaseDuration, async (client, i) =>
            {
                // Client c owns keys c, c + clients, c + 2·clients, …, so guarded updates never conflict.
                var owned = (Population - 1 - client) / clients + 1;
                var key = client + (int)(i % owned * clients);
                var result = await Expect(store.UpdateAsync(PopulationKey(key), _value, revisions[key]));
                revisions[key] = result.Revision;
            }));
        }

        return results;
    }

    private static string PopulationKey(int i) => $"/bench/pop/{i:D5}";

    private static async Task<WriteResult> Expect(Task<WriteResult> write)
    {
        var result = await write;
        return result.Succeeded ? result : throw new InvalidOperationException("a guarded write failed");
    }

    private async Task FillAsync(string prefix, int count)
    {
        for (var i = 0; i < count; i += 100)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(100, count - i)).Select(j => store.CreateAsync($"{prefix}{j:D5}", _value)));
        }
    }
}
