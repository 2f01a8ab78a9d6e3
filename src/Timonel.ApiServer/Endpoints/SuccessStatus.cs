using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// The metav1.Status a successful action answers with (a binding, an eviction). Upstream's create handler fills in
/// the response code when the result leaves it 0 (endpoints/handlers/create.go), so a create says 201.
/// </summary>
public static class SuccessStatus
{
    public static JsonObject Of(int code) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["code"] = code,
    };
}
