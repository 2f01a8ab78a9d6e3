using Timonel.Storage.CrashWriter;
using Timonel.Storage.Sqlite;

// Usage: Timonel.Storage.CrashWriter DB_PATH ACK_FILE [CLIENTS]
//    or: Timonel.Storage.CrashWriter churn DB_PATH LOG_FILE CLIENTS SEED (see ChurnWriter)
// Creates keys from CLIENTS concurrent tasks forever. After each create is acknowledged, its key is appended to
// ACK_FILE and flushed to the kernel, so the line survives this process being killed; the test then checks that
// every acknowledged key is in the database.
if (args is ["churn", var churnDatabase, var churnLog, var churnClients, var churnSeed])
{
    await ChurnWriter.RunAsync(churnDatabase, churnLog, int.Parse(churnClients, System.Globalization.CultureInfo.InvariantCulture), int.Parse(churnSeed, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Timonel.Storage.CrashWriter DB_PATH ACK_FILE [CLIENTS]");
    return 2;
}

var clients = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 16;
await using var store = await SqliteStorageBackend.OpenAsync(args[0]);
await using var acks = new StreamWriter(args[1], append: true) { AutoFlush = true };
var ackLock = new Lock();
var value = new byte[512];
Console.WriteLine("writing");
await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var key = $"/crash/{client}/{i}";
        var result = await store.CreateAsync(key, value);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{key} already existed");
        }

        lock (ackLock)
        {
            acks.WriteLine(key);
        }
    }
})));
return 0;
