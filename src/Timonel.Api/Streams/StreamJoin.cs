namespace Timonel.Api.Streams;

/// <summary>
/// Two upgraded connections joined byte for byte, as a proxy of a switched protocol joins them (upstream's
/// UpgradeAwareHandler): whatever one side sends reaches the other, until either side is done.
/// </summary>
public static class StreamJoin
{
    /// <summary>Copies both ways until either side is done, then stops the other copy (so neither end waits on a dead peer).</summary>
    public static async Task RunAsync(Stream client, Stream backend, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(client, backend, done.Token);
        var down = CopyAsync(backend, client, done.Token);
        await Task.WhenAny(up, down);
        await done.CancelAsync();
        await Task.WhenAll(up, down);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await to.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // A closed or reset peer ends the stream; nothing is left to tell it.
        }
    }
}
