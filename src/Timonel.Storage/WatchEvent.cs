namespace Timonel.Storage;

/// <summary>A change to one key, or a progress mark.</summary>
/// <param name="Type">Put (create or update), Delete, or Progress (no key: only the revision the watch has reached).</param>
/// <param name="Current">For Put the new value; for Delete the key with an empty value and the delete's revision.</param>
/// <param name="Previous">The value before the change (always set for Delete; null for a create).</param>
public sealed record WatchEvent(WatchEventType Type, KeyValue Current, KeyValue? Previous)
{
    public long Revision => Current.ModRevision;

    public bool IsCreate => Type == WatchEventType.Put && Previous is null;

    public static WatchEvent Progress(long revision) => new(WatchEventType.Progress, new KeyValue("", [], 0, revision), null);
}
