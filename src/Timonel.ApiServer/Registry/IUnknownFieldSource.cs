using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry;

/// <summary>A strategy that knows its kind's schema well enough to name the fields it does not declare.</summary>
public interface IUnknownFieldSource
{
    /// <summary>Paths of undeclared fields ("spec.foo"), as the strict decoder names them.</summary>
    IReadOnlyList<string> UnknownFields(JsonObject obj);
}
