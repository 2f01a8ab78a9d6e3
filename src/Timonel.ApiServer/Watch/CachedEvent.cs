using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;
using Timonel.Storage;

namespace Timonel.ApiServer.Watch;

/// <summary>
/// A storage change as watchers receive it. The wire line (the object's JSON with resourceVersion set to the event's
/// revision, in its envelope) is produced once and shared by every watcher, so a thousand watchers cost one encoding.
/// The object's JSON is read from inside that line rather than kept beside it: the watch cache holds 75 s of events,
/// and one copy of each instead of two is most of what that window costs in memory.
/// </summary>
public sealed class CachedEvent
{
    private readonly Lazy<byte[]> _frame;

    private readonly byte[]? _previousValue;
    private ConvertedFrame? _converted;

    public CachedEvent(string type, string key, long revision, byte[] storedValue, byte[]? previousValue = null)
    {
        _previousValue = previousValue;
        Type = type;
        Key = key;
        Revision = revision;
        _frame = new Lazy<byte[]>(() => WatchFrame.EncodeStored(type, storedValue, revision), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>ADDED, MODIFIED or DELETED.</summary>
    public string Type { get; }

    public string Key { get; }

    public long Revision { get; }

    /// <summary>The object as served: for DELETED, the last state with the deletion's revision.</summary>
    public ReadOnlySpan<byte> ObjectJson => WatchFrame.ObjectIn(Frame, Type);

    /// <summary>The whole wire line for an unfiltered watcher, built once and written by every such watcher as is.</summary>
    public byte[] Frame => _frame.Value;

    /// <summary>
    /// The wire line for an unfiltered watcher of a resource stored in another's form (events.k8s.io Events over
    /// core Events): converted once and shared by every such watcher. Two watchers racing may both convert; either
    /// result is the same.
    /// </summary>
    public byte[] FrameConvertedBy(IVersionConverter converter)
    {
        var seen = Volatile.Read(ref _converted);
        if (seen is not null && ReferenceEquals(seen.Converter, converter))
        {
            return seen.Frame;
        }

        var frame = WatchFrame.Encode(Type, GoJson.Serialize(converter.FromStorage(DecodeObject())));
        Volatile.Write(ref _converted, new ConvertedFrame(converter, frame));
        return frame;
    }

    /// <summary>A private, mutable copy of the object (for selectors and table conversion).</summary>
    public JsonObject DecodeObject() => (JsonObject)JsonNode.Parse(ObjectJson, documentOptions: NestingLimit.DocumentOptions)!;

    /// <summary>The object before a MODIFIED change (to tell when it enters or leaves a selector), else null.</summary>
    public JsonObject? DecodePrevious()
    {
        if (_previousValue is null)
        {
            return null;
        }

        StoredObject.ThrowIfUndecryptable(_previousValue);
        return (JsonObject)JsonNode.Parse(_previousValue, documentOptions: NestingLimit.DocumentOptions)!;
    }

    public static CachedEvent FromStorage(WatchEvent change) => change.Type switch
    {
        WatchEventType.Delete => new CachedEvent("DELETED", change.Current.Key, change.Revision, change.Previous?.Value ?? "{}"u8.ToArray()),
        _ when change.Previous is null => new CachedEvent("ADDED", change.Current.Key, change.Revision, change.Current.Value),
        _ => new CachedEvent("MODIFIED", change.Current.Key, change.Revision, change.Current.Value, change.Previous.Value),
    };

    private sealed record ConvertedFrame(IVersionConverter Converter, byte[] Frame);
}
