using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// A column of the server-side table (meta.k8s.io/v1 Table) with the function that computes its cell.
/// Priority 0 columns are always shown; priority 1 only with <c>-o wide</c>.
/// </summary>
public sealed record TableColumn(string Name, string Type, Func<JsonObject, TableContext, JsonNode?> Cell, int Priority = 0, string Format = "", string Description = "");
