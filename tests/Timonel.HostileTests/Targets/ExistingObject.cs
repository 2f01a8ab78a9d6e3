using System.Text.Json.Nodes;

namespace Timonel.HostileTests.Targets;

/// <summary>An object the suite creates before the first batch, for patches, deletes and paths to aim at.</summary>
internal sealed record ExistingObject(ServedKind Kind, string Name, JsonObject Body)
{
    public string Path => Kind.CollectionPath + "/" + Name;
}
