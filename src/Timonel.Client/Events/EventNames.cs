using System.Globalization;

namespace Timonel.Client.Events;

/// <summary>How client-go's recorders name and word events (tools/record/event.go makeEvent, tools/events).</summary>
public static class EventNames
{
    /// <summary>The longest message or note an event carries (events.k8s.io noteLengthLimit, 1 kB).</summary>
    public const int MessageLengthLimit = 1024;

    /// <summary>"&lt;object name&gt;.&lt;unix nanoseconds in hex&gt;", unique per object and instant.</summary>
    public static string For(string objectName, DateTimeOffset time) => For(objectName, (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);

    /// <summary>"&lt;object name&gt;.&lt;<paramref name="unixNanoseconds"/> in hex&gt;".</summary>
    public static string For(string objectName, long unixNanoseconds) =>
        $"{objectName}.{unixNanoseconds.ToString("x", CultureInfo.InvariantCulture)}";

    /// <summary>Cuts a message longer than the limit and ends it with " ..." (the scheduler's truncateMessage), so it stays valid.</summary>
    public static string Truncate(string message) =>
        message.Length <= MessageLengthLimit ? message : string.Concat(message.AsSpan(0, MessageLengthLimit - 4), " ...");
}
