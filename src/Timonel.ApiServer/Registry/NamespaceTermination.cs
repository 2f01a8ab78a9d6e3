using System.Runtime.CompilerServices;
using Timonel.ApiServer.Watch;
using Timonel.Storage;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// Whether a stored namespace is terminating (has a deletionTimestamp), asked before every namespaced create.
/// The answer is remembered per stored value: the watch cache hands out the same <see cref="KeyValue"/> until the
/// namespace changes, so a create no longer parses the namespace's JSON (which showed in create profiles).
/// </summary>
internal static class NamespaceTermination
{
    private static readonly object _terminating = new();
    private static readonly object _active = new();
    private static readonly ConditionalWeakTable<KeyValue, object> _states = new();

    public static bool IsTerminating(KeyValue storedNamespace) =>
        _states.GetValue(storedNamespace, static kv => StoredObject.Decode(kv).DeletionTimestamp() is not null ? _terminating : _active) == _terminating;
}
