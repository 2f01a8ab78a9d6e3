using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Compiles labelSelector and fieldSelector query parameters into one object predicate.</summary>
public static class SelectorFilter
{
    public static Func<JsonObject, bool>? Build(string labelSelector, string fieldSelector, ResourceDefinition definition)
    {
        if (labelSelector.Length == 0 && fieldSelector.Length == 0)
        {
            return null;
        }

        throw StatusException.BadRequest("selectors are not supported yet");
    }
}
