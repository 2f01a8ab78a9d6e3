using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests;

/// <summary>What GenericStore.CreateAsync does to an object before writing it, minus storage and validation.</summary>
internal static class StoreSteps
{
    public static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static readonly BuiltInStrategies Strategies = new();

    public static JsonObject Create(string group, JsonObject obj, string? ns = "default")
    {
        var kind = (string)obj["kind"]!;
        var strategy = Strategies.For(group, kind);
        var metadata = obj.Metadata();
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        metadata["uid"] = "6f0b2c4e-1111-2222-3333-444455556666";
        metadata["creationTimestamp"] = ObjectMetadata.FormatTimestamp(Created);
        strategy.ApplyDefaults(obj);
        var definition = ResourceCatalog.BuiltIn(Strategies).First(d => d.Group == group && d.Kind == kind);
        // Every built-in plugin completes synchronously.
        AdmissionChain.BuiltIn.MutateAsync(new AdmissionAttributes(AdmissionOperation.Create, definition, ns, obj.Name() ?? "", obj, null), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        strategy.PrepareForCreate(obj);
        strategy.ApplyDefaults(obj);
        return obj;
    }

    public static IResourceStrategy For(string group, string kind) => Strategies.For(group, kind);

    /// <summary>The table cells of the kind's columns for one object, as text.</summary>
    public static List<string?> Cells(string group, string kind, JsonObject obj, TableContext context) =>
        [.. For(group, kind).Columns.Select(c => c.Cell(obj, context)?.ToString())];
}
