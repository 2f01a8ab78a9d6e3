using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.OpenApi;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// A /scale body or patch result as upstream decodes it into autoscaling/v1 Scale before writing spec.replicas back:
/// spec an object and spec.replicas an int32 (a replica count out of range must not reach the scaled object).
/// </summary>
internal static class ScaleDecoding
{
    private static readonly FieldShape _int32 = FieldShape.Scalar(FieldShape.Word(FieldShapeKind.Int32))!;

    /// <summary>The Go decoder's error for the Scale, or null when it decodes.</summary>
    public static string? Error(JsonObject scale)
    {
        var spec = scale["spec"];
        if (spec is null)
        {
            return null;
        }

        if (spec is not JsonObject specObject)
        {
            return DecodeError.TypeMismatch(GoJsonKind.Of(spec), "v1.ScaleSpec", aborts: false).Text("Scale", "spec");
        }

        return specObject["replicas"] is { } replicas && ScalarDecoder.Check(_int32, replicas) is { } error ? error.Text("ScaleSpec", "spec.replicas") : null;
    }
}
