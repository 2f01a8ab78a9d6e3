using Timonel.Storage.Sqlite;

namespace Timonel.Storage.CrashWriter;

/// <summary>
/// Creates, updates and deletes a few keys per client while compacting history close behind the head, so a kill -9
/// lands in compaction steps and checkpoints as well as in write groups. Before each write it logs
/// <c>try KIND KEY</c> and after its acknowledgement <c>ok KIND KEY REVISION</c>, each line flushed to the kernel,
/// which keeps it when this process is killed: the test knows every promise and the one write in flight per client.
/// </summary>
internal static class ChurnWriter
{
    private const int KeysPerClient = 8;

    // Far fewer revisions than the server keeps (1000), so nearly every compaction step removes rows that the newest
    // writes have just superseded.
    private const long Retained = 50;

    public static async Task RunAsync(string database, string logPath, int clients, int seed)
    {
        await using var store = await SqliteStorageBackend.OpenAsync(database);
        await using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var logLock = new Lock();
        void Log(string line)
        {
            lock (logLock)
            {
                log.WriteLine(line);
            }
        }

        Console.WriteLine("writing");
        var writers = Enumerable.Range(0, clients).Select(client => Task.Run(() => ChurnAsync(store, client, new Random(seed + client), Log)));
        await Task.WhenAll(writers.Append(Task.Run(() => CompactAsync(store))));
    }

    private static async Task CompactAsync(SqliteStorageBackend store)
    {
        while (true)
        {
            var head = await store.CurrentRevisionAsync();
            if (head > Retained)
            {
                await store.CompactAsync(head - Retained);
            }

            await Task.Delay(5);
        }
    }

    private static async Task ChurnAsync(SqliteStorageBackend store, int client, Random random, Action<string> log)
    {
        var value = new byte[256];
        while (true)
        {
            var key = $"/churn/{client}/{random.Next(KeysPerClient)}";
            var current = await store.GetAsync(key);
            random.NextBytes(value);
            var kind = current is null ? "create" : random.Next(4) == 0 ? "delete" : "update";
            log($"try {kind} {key}");
            var result = await (kind switch
            {
                "create" => store.CreateAsync(key, value),
                "delete" => store.DeleteAsync(key, current!.ModRevision),
                _ => store.UpdateAsync(key, value, current!.ModRevision),
            });
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{kind} {key} failed its precondition, yet only this client writes it");
            }

            log($"ok {kind} {key} {result.Revision}");
        }
    }
}
