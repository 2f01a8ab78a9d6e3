namespace Timonel.IntegrationTests;

/// <summary>Reads something again and again until it looks as expected, for what a cluster does in its own time.</summary>
public static class Eventually
{
    /// <summary>The first value <paramref name="check"/> accepts, or the last one read when <paramref name="within"/> (default 60 s) has passed.</summary>
    public static async Task<string> ReadAsync(Func<Task<string>> read, Func<string, bool> check, TimeSpan? within = null)
    {
        var value = "";
        for (var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60)); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            value = await read();
            if (check(value))
            {
                return value;
            }
        }

        return value;
    }
}
