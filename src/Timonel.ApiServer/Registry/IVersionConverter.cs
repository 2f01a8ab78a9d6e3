using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// Converts one resource's objects between the form it is served in and the form its storage holds, for a resource
/// that shares the key space of another (upstream stores events.k8s.io/v1 Events as core/v1 Events). Both methods
/// return a new object and leave their argument as it was; metadata (resourceVersion included) passes through.
/// </summary>
public interface IVersionConverter
{
    /// <summary>The stored form of an object as a client of the served version wrote it.</summary>
    JsonObject ToStorage(JsonObject served);

    /// <summary>An object as the served version shows it, from its stored form.</summary>
    JsonObject FromStorage(JsonObject stored);
}
