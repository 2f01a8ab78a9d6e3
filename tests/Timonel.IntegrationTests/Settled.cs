namespace Timonel.IntegrationTests;

/// <summary>
/// Reads that wait for the controllers to be done with what a test just created: a Deployment gets a ReplicaSet and
/// status writes (new resourceVersions) within a moment of its creation, as on any cluster. Tests that compare
/// before and after, or write with a resourceVersion read earlier, take their "before" once that has settled.
/// </summary>
public static class Settled
{
    /// <summary>Reads until two reads half a second apart agree (15 s at most); the last read either way.</summary>
    public static async Task<string> ReadAsync(Func<Task<string>> read)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var last = await read();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            var next = await read();
            if (next == last)
            {
                return next;
            }

            last = next;
        }

        return last;
    }
}
